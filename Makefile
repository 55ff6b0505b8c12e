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
	command -v pandoc >/dev/null || (apt-get update && apt-get install -y pandoc)
	test -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc || (apt-get update && apt-get install -y fonts-noto-cjk)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

lint: fmt-check vet

# The 30-minute ceiling is for shared, loaded machines: cmd/mingdeng alone runs ~6 min on a quiet one.
test: deps assets test-deps lint
	$(GO) test -count=1 -timeout 30m ./...

# ---- Release builds: windows-amd64 (mingdeng.exe + duckdb.dll, one zip), linux-amd64 and
# linux-arm64 (one executable each), all cross-built on this Linux machine with ECharts embedded
# and symbols stripped. docs/RELEASE.md explains the choices.
#
# One DuckDB version everywhere: the Go driver's version in go.mod decides it (its static
# libraries for Linux); Windows links DuckDB's own duckdb.dll from the npm package pinned, with
# its integrity, in packaging/windows/package-lock.json. Moving the DLL is the one version line in
# packaging/windows/package.json, then `make release-lock`; release-check-duckdb refuses a DLL of
# another DuckDB release than the driver's, and release-test compares version() at run time.
RELEASE_DIR := bin/release
RELEASE_GOFLAGS := -trimpath -ldflags='-s -w -linkmode=external -extldflags=-static'
DUCKDB_DLL_PKG := @duckdb/node-bindings-win32-x64
DUCKDB_DLL_DIR := packaging/windows/node_modules/$(DUCKDB_DLL_PKG)
# DuckDB's version from the driver's bindings module: v0.10505.0 is DuckDB 1.5.5.
DUCKDB_VERSION = $(shell $(GO) list -m -f '{{.Version}}' github.com/duckdb/duckdb-go-bindings | awk -F. '{ printf "%d.%d.%d", $$2 / 10000, ($$2 / 100) % 100, $$2 % 100 }')
DUCKDB_DLL_VERSION = $(shell node -p 'require("./packaging/windows/package.json").optionalDependencies["$(DUCKDB_DLL_PKG)"]')

.PHONY: release release-deps release-check-duckdb release-lock release-windows release-linux-amd64 release-linux-arm64 release-test release-test-deps

release: release-windows release-linux-amd64 release-linux-arm64
	@ls -l $(RELEASE_DIR)

# The cross compilers (Debian's), and zip.
release-deps:
	command -v x86_64-w64-mingw32-gcc-posix >/dev/null || (apt-get update && apt-get install -y gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix)
	command -v aarch64-linux-gnu-gcc >/dev/null || (apt-get update && apt-get install -y gcc-aarch64-linux-gnu g++-aarch64-linux-gnu)
	command -v zip >/dev/null || (apt-get update && apt-get install -y zip)

release-check-duckdb:
	@case "$(DUCKDB_DLL_VERSION)" in "$(DUCKDB_VERSION)"-*|"$(DUCKDB_VERSION)") ;; \
	*) echo "duckdb.dll ($(DUCKDB_DLL_PKG)@$(DUCKDB_DLL_VERSION)) is not DuckDB $(DUCKDB_VERSION), the Go driver's: set its version in packaging/windows/package.json and run make release-lock"; exit 1;; esac

# Rewrites the DLL's lock file after its version line changed: integrity from the registry, no
# download addresses.
release-lock:
	cd packaging/windows && npm install --package-lock-only --omit-lockfile-registry-resolved --os=win32 --cpu=x64 --no-audit --no-fund

$(DUCKDB_DLL_DIR)/duckdb.dll: packaging/windows/package.json packaging/windows/package-lock.json
	cd packaging/windows && npm ci --os=win32 --cpu=x64 --no-audit --no-fund
	test -f $@

# Linked against duckdb.dll (duckdb_use_lib): the driver's static Windows library wants the UCRT
# C runtime, Debian's mingw-w64 is msvcrt-based. The zip holds one folder to unzip anywhere.
release-windows: release-deps release-check-duckdb deps assets $(DUCKDB_DLL_DIR)/duckdb.dll
	rm -rf $(RELEASE_DIR)/mingdeng && mkdir -p $(RELEASE_DIR)/mingdeng
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc-posix CXX=x86_64-w64-mingw32-g++-posix \
	  CGO_LDFLAGS="-L$(CURDIR)/$(DUCKDB_DLL_DIR) -lduckdb" GOFLAGS=-tags=duckdb_arrow,duckdb_use_lib \
	  $(GO) build -trimpath -ldflags='-s -w' -o $(RELEASE_DIR)/mingdeng/mingdeng.exe ./cmd/mingdeng
	cp $(DUCKDB_DLL_DIR)/duckdb.dll $(RELEASE_DIR)/mingdeng/
	cp $(DUCKDB_DLL_DIR)/LICENSE $(RELEASE_DIR)/mingdeng/LICENSE-duckdb.txt
	rm -f $(RELEASE_DIR)/mingdeng-windows-amd64.zip
	cd $(RELEASE_DIR) && zip -q -r -9 mingdeng-windows-amd64.zip mingdeng

# linux-amd64 is static (glibc and libstdc++ inside), so it runs on older systems than this
# Debian's glibc 2.36 (Kylin V10 and UOS 20 have glibc 2.28); netgo and osusergo keep Go's own
# resolver and user lookup, which a static glibc cannot load.
release-linux-amd64: deps assets
	mkdir -p $(RELEASE_DIR)
	CGO_ENABLED=1 GOOS=linux GOARCH=amd64 GOFLAGS=-tags=duckdb_arrow,netgo,osusergo \
	  $(GO) build $(RELEASE_GOFLAGS) -o $(RELEASE_DIR)/mingdeng-linux-amd64 ./cmd/mingdeng

# linux-arm64 cannot be linked statically with Debian's cross glibc (its -fpic libc.a overflows
# the small GOT next to DuckDB: "relocation truncated to fit: R_AARCH64_LD64_GOTPAGE_LO15"). So
# it links glibc dynamically, against an older glibc than this machine's: the arm64 sysroot of
# packaging/linux-arm64/sysroot.lock (Debian 11's glibc 2.31, fetched with apt, pinned by version
# and checksum), with libstdc++ linked in, the target's libgcc_s for unwinding, and
# packaging/linux-arm64/glibc228.c for the few newer glibc symbols this libstdc++ wants. It runs
# on glibc 2.28 and later (Kylin V10, UOS 20); release-test checks the symbol versions.
ARM64_SYSROOT := bin/arm64-sysroot
# The driver asks for -lstdc++, which would pick libstdc++.so: a folder holding only the static
# archive, searched first, makes it libstdc++.a.
ARM64_STATIC_CXX := bin/arm64-static-cxx
ARM64_SYSROOT_FLAGS := --sysroot=$(CURDIR)/$(ARM64_SYSROOT) -B$(CURDIR)/$(ARM64_SYSROOT)/usr/lib/aarch64-linux-gnu/
# Debian's cross gcc also searches its own glibc 2.36 (/usr/aarch64-linux-gnu): the sysroot's
# headers and libraries are named first.
ARM64_CFLAGS := -isystem $(CURDIR)/$(ARM64_SYSROOT)/usr/include/aarch64-linux-gnu -isystem $(CURDIR)/$(ARM64_SYSROOT)/usr/include
ARM64_LDFLAGS := -L$(CURDIR)/$(ARM64_STATIC_CXX) -L$(CURDIR)/$(ARM64_SYSROOT)/usr/lib/aarch64-linux-gnu -L$(CURDIR)/$(ARM64_SYSROOT)/lib/aarch64-linux-gnu

$(ARM64_SYSROOT)/.complete: packaging/linux-arm64/sysroot.lock packaging/linux-arm64/sysroot.sh
	sh packaging/linux-arm64/sysroot.sh packaging/linux-arm64/sysroot.lock $(ARM64_SYSROOT)

$(ARM64_STATIC_CXX)/glibc228.o: packaging/linux-arm64/glibc228.c $(ARM64_SYSROOT)/.complete
	mkdir -p $(ARM64_STATIC_CXX)
	aarch64-linux-gnu-gcc $(ARM64_SYSROOT_FLAGS) $(ARM64_CFLAGS) -O2 -fno-builtin -Wall -Werror -c -o $@ $<

# The output is removed first: go build does not relink when only glibc228.o or the sysroot changed.
release-linux-arm64: release-deps deps assets $(ARM64_SYSROOT)/.complete $(ARM64_STATIC_CXX)/glibc228.o
	mkdir -p $(RELEASE_DIR) $(ARM64_STATIC_CXX)
	ln -sf "$$(aarch64-linux-gnu-g++ -print-file-name=libstdc++.a)" $(ARM64_STATIC_CXX)/libstdc++.a
	rm -f $(RELEASE_DIR)/mingdeng-linux-arm64
	CGO_ENABLED=1 GOOS=linux GOARCH=arm64 CC="aarch64-linux-gnu-gcc $(ARM64_SYSROOT_FLAGS)" CXX="aarch64-linux-gnu-g++ $(ARM64_SYSROOT_FLAGS)" GOFLAGS=-tags=duckdb_arrow,netgo,osusergo \
	  CGO_CFLAGS="-O2 -g $(ARM64_CFLAGS)" CGO_LDFLAGS="-O2 -g $(ARM64_LDFLAGS)" \
	  $(GO) build -trimpath -ldflags='-s -w -linkmode=external -extldflags "-static-libstdc++ -shared-libgcc $(CURDIR)/$(ARM64_STATIC_CXX)/glibc228.o"' -o $(RELEASE_DIR)/mingdeng-linux-arm64 ./cmd/mingdeng

# Runs what this machine cannot run natively: the Windows zip under wine (Debian's wine64), the
# arm64 executable under qemu-user. The ProcessPrng stub goes into the test's wine prefix only.
RELEASE_TEST_DIR := bin/release-test
WINE ?= /usr/lib/wine/wine64

release-test-deps: release-deps
	test -x $(WINE) || (apt-get update && apt-get install -y wine64)
	command -v qemu-aarch64-static >/dev/null || (apt-get update && apt-get install -y qemu-user-static)

$(RELEASE_TEST_DIR)/bcryptprimitives.dll: packaging/wine/processprng.c
	mkdir -p $(RELEASE_TEST_DIR)
	x86_64-w64-mingw32-gcc -O2 -shared -s -o $@ $< -ladvapi32

# A fresh wine prefix has no Chinese font (every Chinese Windows has Microsoft YaHei), which the
# demo's DOCX chart pictures need: the test points MINGDENG_CHART_FONT at Debian's Noto CJK.
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

release-test: release release-test-deps test-deps $(RELEASE_TEST_DIR)/bcryptprimitives.dll
	MINGDENG_RELEASE_DIR=$(CURDIR)/$(RELEASE_DIR) MINGDENG_WINE=$(WINE) MINGDENG_PRNG_STUB=$(CURDIR)/$(RELEASE_TEST_DIR)/bcryptprimitives.dll MINGDENG_CJK_FONT=$(CJK_FONT) MINGDENG_ARM64_SYSROOT=$(CURDIR)/$(ARM64_SYSROOT) \
	  MINGDENG_ECHARTS=$(CURDIR)/$(ECHARTS_JS) GOFLAGS= $(GO) test -tags=releasetest -count=1 -v ./packaging/releasetest
