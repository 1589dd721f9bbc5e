# Framecast: `make run` starts the server on the embedded defaults, `make test` runs every test. Both first
# install what is missing (FFmpeg; Chromium and versitygw for tests) with scripts/setup.sh, or print the
# command that does.
GO ?= go
BIN := bin/framecast

.PHONY: build run test setup-run setup-test bench schema vet fmt clean

build:
	$(GO) build -o $(BIN) ./cmd/framecast

setup-run:
	@scripts/setup.sh run

setup-test:
	@scripts/setup.sh test

run: setup-run build
	$(BIN) serve --data ./data

test: setup-test
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 25m ./...

bench:
	$(GO) test -run '^$$' -bench BenchmarkReference -benchtime 1x -timeout 20m ./render/

schema:
	$(GO) generate ./schemas/

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
