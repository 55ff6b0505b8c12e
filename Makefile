# mingdeng: `make demo` and `make test` are the two commands of the README.
# Every Go command needs the duckdb_arrow tag (the driver's Arrow interface), so it is set once here.
export GOFLAGS := -tags=duckdb_arrow
GO ?= go
BIN := bin/mingdeng
DEMO := mingdeng-demo

.PHONY: all build demo test lint vet fmt-check deps assets test-deps bench

all: build

deps:
	$(GO) mod download

build: deps assets
	$(GO) build -o $(BIN) ./cmd/mingdeng

# Sample data at company scale → warehouse → evaluation and annual reports in ./mingdeng-demo/.
# The files mix CSV, XLSX and NDJSON with the faults real files have (--messy), as users get them.
demo: build
	./$(BIN) demo --out $(DEMO)

# The developers' benchmark (cmd/mingdeng-bench, not shipped): same-run baselines and ratios.
# BENCH_ARGS="--scale province --runs 3 --out province.json" for more; docs/BENCHMARKS.md.
BENCH_ARGS ?= --scale company --runs 3
bench: build
	$(GO) build -o bin/mingdeng-bench ./cmd/mingdeng-bench
	./bin/mingdeng-bench $(BENCH_ARGS)

# ECharts for the offline HTML reports: pinned by reports/assets/package-lock.json (no download
# addresses in it), copied into reports/assets/dist/, which package reports embeds. Git-ignored.
ECHARTS_JS := reports/assets/dist/echarts.min.js

assets: $(ECHARTS_JS)

$(ECHARTS_JS): reports/assets/package.json reports/assets/package-lock.json
	cd reports/assets && npm ci --no-audit --no-fund
	cp reports/assets/node_modules/echarts/dist/echarts.min.js $@

# The browser test of the reports needs Debian's chromium.
test-deps:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	command -v soffice >/dev/null || (apt-get update && apt-get install -y libreoffice-writer-nogui)
	command -v pdftoppm >/dev/null || (apt-get update && apt-get install -y poppler-utils)
	/usr/bin/python3 -c 'import docx' 2>/dev/null || (apt-get update && apt-get install -y python3-docx)
	test -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc || (apt-get update && apt-get install -y fonts-noto-cjk)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

lint: fmt-check vet

test: deps assets test-deps lint
	$(GO) test -count=1 ./...
