# pqi: two commands matter on a fresh machine:
#   make demo   generate a synthetic ecosystem and run the pipeline on it
#   make test   vet, format check, house rules and every test
GO      ?= go
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
BIN     := bin/pqi

.PHONY: all build demo test vet fmt-check house unit memcheck package lint-infra clean

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

clean:
	rm -rf bin demo
