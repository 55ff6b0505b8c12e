# mingdeng: `make demo` and `make test` are the two commands of the README.
# Every Go command needs the duckdb_arrow tag (the driver's Arrow interface), so it is set once here.
export GOFLAGS := -tags=duckdb_arrow
GO ?= go
BIN := bin/mingdeng
DEMO := mingdeng-demo

.PHONY: all build demo test lint vet fmt-check deps

all: build

deps:
	$(GO) mod download

build: deps
	$(GO) build -o $(BIN) ./cmd/mingdeng

# Until the generator and ingest land, the demo creates a warehouse and shows its status.
demo: build
	mkdir -p $(DEMO)
	./$(BIN) init --db $(DEMO)/mingdeng.duckdb
	./$(BIN) status --db $(DEMO)/mingdeng.duckdb

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

lint: fmt-check vet

test: deps lint
	$(GO) test -count=1 ./...
