# Framecast: `make run` starts the server on the embedded defaults, `make test` runs every test. Both first
# install what is missing (FFmpeg; Chromium and versitygw for tests) with scripts/setup.sh, or print the
# command that does.
GO ?= go
BIN := bin/framecast

.PHONY: build run test setup-run setup-test bench bench-cluster bench-batch loadtest schema vet fmt clean fuzz agent-eval

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

# loadtest: 30 s at 50 concurrent clients on GET /api/v1/credits and POST /api/v1/preview against a real
# `framecast serve` on loopback (SQLite, rate limit off); prints req/s, p50/p99 and errors.
loadtest:
	$(GO) test -tags loadtest -run '^TestLoad$$' -count=1 -v -timeout 10m ./cmd/framecast/

# bench: the engine against FFmpeg encoding the same frames (ratio) on the reference, title card (1080p and
# 2160p) and busy documents, then the previews' time to a playable proxy and cold/warm frame latency. Each
# figure is the mean of BENCHRUNS runs, engine and FFmpeg alternating: on a shared 2-core VM one run of a
# 2-second render moves by ±10 %. (Go's testing runs each benchmark once more before, with b.N = 1, so
# `make bench` takes BENCHRUNS + 1 runs of each.)
BENCHRUNS ?= 3
bench:
	$(GO) test -run '^$$' -bench BenchmarkReference -benchtime $(BENCHRUNS)x -timeout 30m ./render/
	$(GO) test -run '^$$' -bench BenchmarkPreview -benchtime $(BENCHRUNS)x -timeout 30m ./core/preview/

# fuzz runs each native Go fuzz target for FUZZTIME (go test -fuzz takes one target of one package at a
# time). Crashers found are written to the package's testdata/fuzz/<Target>/ and then run with every
# `go test`: fix the bug and commit them. A new input that widens coverage is minimised for FUZZMINIMIZETIME
# at most (Go's default is 60 s): FuzzProbeMP4's inputs are kilobytes of MP4, and minimising one ran past a
# 20 s FUZZTIME, which Go's coordinator then reported as a failure ("context deadline exceeded").
FUZZTIME ?= 60s
FUZZMINIMIZETIME ?= 5s
FUZZ_TARGETS := \
	./schemas:FuzzValidate ./schemas:FuzzParseColor \
	./render:FuzzLoadFrame ./render:FuzzParseCues \
	./render/paint:FuzzSVG ./render/paint:FuzzDecodeAnimation ./render/text:FuzzSVGTextToPaths \
	./core:FuzzDetectFileType ./render/ffmpeg:FuzzProbeMP4

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz: $$name in $$pkg for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) -parallel 2 $$pkg; \
	done

# The same 60 s 1080p document rendered by 1 and by 2 worker processes (serve --workers 0, PostgreSQL, S3 on
# versitygw), the finalize time, and the speedup to expect on N machines. Needs FRAMECAST_TEST_POSTGRES_URL.
bench-cluster: setup-test
	FRAMECAST_BENCH_CLUSTER=1 $(GO) test -count=1 -run '^TestBenchCluster$$' -v -timeout 60m ./cmd/framecast/

# bench-batch: what render reuse saves. 20 variants of a 30 s 1080p document whose first 3 s carry a name,
# rendered without and with a shared segment cache (interleaved, same run); one title edited in a 60 s
# document against a fresh render; and the reused renders checked frame-identical to fresh ones.
bench-batch:
	FRAMECAST_BENCH_BATCH=1 $(GO) test -count=1 -run '^TestBenchBatch$$' -v -timeout 60m ./render/

# agent-eval replays the recorded tool-call sequences of six briefs (mcp/testdata/agent-eval) against the
# in-process MCP server: each must reach a valid document and a rendered video. No network, no model.
agent-eval:
	$(GO) test -count=1 -run 'TestAgentEval' -v ./mcp/

schema:
	$(GO) generate ./schemas/

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin
