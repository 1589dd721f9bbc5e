# Framecast: `make run` starts the server on the embedded defaults, `make test` runs every test.
GO ?= go
BIN := bin/framecast

.PHONY: build run test bench schema vet fmt clean

build:
	$(GO) build -o $(BIN) ./cmd/framecast

run: build
	$(BIN) serve --data ./data

test:
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
