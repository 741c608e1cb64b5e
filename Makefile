# shepadapter: the two commands a user needs are `make run` and `make test`.
GO      ?= go
PKGS    := ./...
BIN     := bin/shepadapter
TOOLS   := xmlsec1:xmlsec1 xmllint:libxml2-utils redis-server:redis-server

.PHONY: all build test generate check-generate bench run deps fmt vet

all: build

build:
	$(GO) build -o $(BIN) ./cmd/shepadapter

# deps makes sure the real peers the tests talk to are installed.
deps:
	@./.ci/deps.sh

generate:
	$(GO) generate ./...

# check-generate fails when generated code is not what `make generate` makes.
check-generate: generate
	@git diff --exit-code -- 'adapter/contract/*/*.go' || { echo "generated code is stale: run make generate and commit"; exit 1; }

vet:
	$(GO) vet $(PKGS)

test: deps vet check-generate
	$(GO) test -race -count=1 -timeout 12m $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

run: build
	./$(BIN) serve --demo

fmt:
	gofmt -w $$(git ls-files '*.go')
