# havpn developer targets. `make test` is the test command CI runs (.ci/run).
GO        ?= go
STACK     ?= dev
FUZZTIME  ?= 15s

.PHONY: build test plan lint fuzz ci

## build: compile every package, the example program and the havpn tool into bin/
build:
	$(GO) build ./...
	$(GO) build -o bin/havpn ./cmd/havpn

## test: lint, then every unit, mock and golden test
test: lint
	$(GO) test ./...

## plan: offline plan of a stack under Pulumi mocks (make plan STACK=prod)
plan:
	$(GO) run ./cmd/havpn plan --stack $(STACK)

## lint: gofmt and go vet
lint:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## fuzz: short runs of the pure core's fuzz targets
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzValidate$$' -fuzztime=$(FUZZTIME) ./internal/linkplan
	$(GO) test -run='^$$' -fuzz='^FuzzBuild$$' -fuzztime=$(FUZZTIME) ./internal/analysis
	$(GO) test -run='^$$' -fuzz='^FuzzCheckWiringCorrupt$$' -fuzztime=$(FUZZTIME) ./internal/analysis

ci: test fuzz
