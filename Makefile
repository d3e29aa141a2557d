# pqi: two commands matter on a fresh machine:
#   make demo   generate a synthetic ecosystem and run the pipeline on it
#   make test   vet, format check, house rules and every test
GO      ?= go
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
BIN     := bin/pqi

.PHONY: all build demo test vet fmt-check house unit memcheck bench package lint-infra clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./functions/pqi

demo: build
	./$(BIN) demo --dir demo

test: vet fmt-check house lint-infra unit

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

# Import graph, function length and table look-ups (docs/operations.md).
house:
	$(GO) run ./scripts/house

# The emulator tests take minutes each on a busy two-core machine: past
# go test's default 10-minute limit per package.
unit:
	$(GO) test -count=1 -timeout 30m ./...

# The Lambda function: one static arm64 binary named bootstrap for the
# provided.al2023 runtime, zipped for infra/template.yaml (CodeUri).
package:
	mkdir -p bin/lambda
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -tags lambda.norpc -trimpath -ldflags "-s -w $(LDFLAGS)" -o bin/lambda/bootstrap ./functions/lambda
	rm -f bin/pqi-lambda.zip
	cd bin/lambda && zip -q -X -9 ../pqi-lambda.zip bootstrap
	@ls -l bin/pqi-lambda.zip

# The SAM template, checked offline.
lint-infra:
	cfn-lint infra/template.yaml

# Peak memory of ingesting a 2-million-row deals export (not part of make test).
memcheck: build
	scripts/memcheck.sh

# pqi's jobs beside a DuckDB peer on generated ecosystems of 4,000 and
# 40,000 partners: wall, CPU, peak RSS, medians and ratios (docs/operations.md).
# Not part of make test: about half an hour; the exports are kept in
# bench-data/ and reused. BENCH_FLAGS=--partners=4000 --runs=1 for a quick look.
bench: build
	$(GO) run ./scripts/bench --pqi $(BIN) $(BENCH_FLAGS)

clean:
	rm -rf bin demo
