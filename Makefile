# jixiao — build, test and benchmark. Every install step the tests need lives
# here, so a fresh Debian machine with Go needs nothing else.
SHELL   := /bin/bash
GO      ?= go
BIN     := bin/jixiao
export CGO_ENABLED := 1
# sqlite_fts5: mattn/go-sqlite3 compiles SQLite's FTS5 only with this tag;
# with it the SQLite store's full-text index is FTS5 (smaller, faster, ranked
# by bm25), without it a table of tokens (internal/sqlite/index.go), so a
# plain go build or go install works too. Every go command run by make gets
# the tag.
export GOFLAGS := -tags=sqlite_fts5

.PHONY: all build test bench fuzz demo deps browser office clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/jixiao

# deps: system packages the tests need (a C compiler for go-sqlite3, Debian's
# PostgreSQL server for the shared-store tests, Debian's Chromium for the
# browser tests, LibreOffice for the old .doc/.xls/.wps formats, Tesseract
# for OCR). Installs
# only what is missing. The PostgreSQL tests start a throwaway cluster of
# their own (internal/postgres/pgtest): the package's own cluster and
# service are not used.
deps:
	@command -v gcc >/dev/null 2>&1 || { apt-get update && apt-get install -y gcc; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; }
	@$(MAKE) --no-print-directory browser
	@$(MAKE) --no-print-directory office
	@$(MAKE) --no-print-directory ocr

# ocr: Debian's Tesseract and its simplified-Chinese model, which jixiao
# loads at run time to read scanned reports (libtesseract5 comes with
# tesseract-ocr); poppler-utils for the benchmark's plain script (pdftoppm).
.PHONY: ocr
ocr:
	@{ [ -e /usr/lib/x86_64-linux-gnu/libtesseract.so.5 ] || ldconfig -p 2>/dev/null | grep -q 'libtesseract.so.5 '; } && \
	  ls /usr/share/tesseract-ocr/*/tessdata/chi_sim.traineddata >/dev/null 2>&1 || \
	  { (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y tesseract-ocr tesseract-ocr-chi-sim) || echo "warning: tesseract could not be installed; OCR tests will fail"; }
	@command -v pdftoppm >/dev/null 2>&1 || \
	  { (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils) || echo "warning: poppler-utils could not be installed; the OCR benchmark cannot run its script"; }

# office: LibreOffice headless (Debian's -nogui builds, Writer and Calc only),
# which jixiao runs to convert .doc/.wps/.xls. Optional at run time: without
# it those files get a clear error; .docx/.xlsx need nothing.
office:
	@command -v soffice >/dev/null 2>&1 || \
	  { (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui) || echo "warning: LibreOffice could not be installed; the .doc/.xls tests will be skipped"; }

# browser: Debian's Chromium for the browser tests, and a Chinese font so
# their screenshots are readable.
browser:
	@command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || \
	  { (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium) || echo "warning: chromium could not be installed; browser tests will fail"; }
	@[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || \
	  { (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-wqy-microhei) || echo "warning: no Chinese font; screenshots will show boxes"; }

# test: go vet, then every test, then the SQLite store's tests again in a
# plain build (GOFLAGS cleared: no sqlite_fts5, as go build and go install
# make it), whose full-text index is the token table. The verbose log is
# kept in testout/go-test.log; the terminal gets the package lines, the
# failures with their messages, and a closing "N passed, M failed" count of
# the tests.
test: deps build
	$(GO) vet ./...
	@mkdir -p testout
	@( $(GO) test -count=1 -timeout 30m -v ./...; all=$$?; \
	   echo "== again without the sqlite_fts5 tag (no FTS5):"; \
	   GOFLAGS= $(GO) test -count=1 -timeout 10m -v ./internal/sqlite/; plain=$$?; \
	   [ $$all -eq 0 ] && [ $$plain -eq 0 ] ) > testout/go-test.log 2>&1; status=$$?; \
	  grep -E '^(ok|FAIL|\?|panic:|== )' testout/go-test.log; \
	  if [ $$status -ne 0 ]; then grep -B3 -A25 -E -- '--- FAIL|^panic:' testout/go-test.log | head -400; fi; \
	  echo "$$(grep -c -E '^ *--- PASS' testout/go-test.log) passed, $$(grep -c -E '^ *--- FAIL' testout/go-test.log) failed, $$(grep -c -E '^ *--- SKIP' testout/go-test.log) skipped"; \
	  exit $$status

bench: build
	$(GO) test -run '^$$' -bench . -benchmem -timeout 30m ./...

# demo: the main job on the bundled sample reports: ingest them into the
# default store (./jixiao.db; a second run finds them all already present),
# then a year-over-year trend, the recurring problems and one review report.
demo: build
	./$(BIN) ingest testdata/corpus
	./$(BIN) trend --org 吐鲁番市残疾人联合会
	./$(BIN) problems --recurring
	./$(BIN) check --fail-on never testdata/corpus/xj-redcross-2022.txt

clean:
	rm -rf bin testout

# bench-compare: warm throughput of the Go pipeline beside a Python script
# doing the same with jieba and regexes (Debian's python3-jieba, installed
# when absent), on the bundled corpora in one run; prints both rates and the
# ratio, then the whole-command ratio: `jixiao extract` over 240 reports
# beside the script's --once run over the same files.
.PHONY: bench-compare
bench-compare: build
	@/usr/bin/python3 -c 'import jieba' 2>/dev/null || \
	  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-jieba; }
	$(GO) run ./scripts/benchcompare -python /usr/bin/python3 -jixiao $(BIN) testdata/corpus/*.txt testdata/corpus2/*.txt
