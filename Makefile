# havpn developer targets. `make test` is the test command CI runs (.ci/run).
GO        ?= go
STACK     ?= dev
# Fuzz budget per target: an execution count (Nx) by default, because a duration budget on
# Go 1.26 can fail spuriously with "context deadline exceeded" (golang/go#75804, fixed in Go 1.27).
FUZZTIME  ?= 200000x

PULUMI_VERSION := v3.274.1
BASE      ?=
HEAD      ?= HEAD
STACKS    ?= dev,prod
E2EFLAGS  ?=
# The Python tests' virtualenv (git-ignored): hash-locked e2e/python/requirements.txt, then sdk/python.
PYENV     ?= .venv

.PHONY: demo demo-hub bench build test plan plan-diff lint fuzz ci schema provider install sdk sdk-check sdk-ts sdk-py pyenv multilang cli simcloud azurite e2e-node e2e buildcost

## demo: first run, no cloud account: builds what it needs, then pulumi up of the dev stack against SIMULATED clouds
demo:
	@scripts/with-progress.sh "Pulumi CLI $(PULUMI_VERSION) (built from source once, then reused)" $(MAKE) --no-print-directory cli
	@scripts/with-progress.sh "simulated Google Cloud and Azure providers (simcloud)" $(MAKE) --no-print-directory simcloud
	@scripts/with-progress.sh "havpn plugin (pulumi-resource-havpn)" $(MAKE) --no-print-directory provider
	@scripts/with-progress.sh "havpn tool" $(GO) build -o bin/havpn ./cmd/havpn
	@bin/havpn demo

## demo-hub: team stacks against SIMULATED clouds with their state in Azurite: the hub, spoke-a/-b/-c at once, then spoke-d added (needs Node for Azurite)
demo-hub:
	@scripts/with-progress.sh "Pulumi CLI $(PULUMI_VERSION) (built from source once, then reused)" $(MAKE) --no-print-directory cli
	@scripts/with-progress.sh "simulated Google Cloud and Azure providers (simcloud)" $(MAKE) --no-print-directory simcloud
	@scripts/with-progress.sh "havpn plugin (pulumi-resource-havpn)" $(MAKE) --no-print-directory provider
	@scripts/with-progress.sh "Azurite, the Azure Storage emulator (npm ci, once)" $(MAKE) --no-print-directory azurite
	@scripts/with-progress.sh "havpn tool" $(GO) build -o bin/havpn ./cmd/havpn
	@bin/havpn demo-hub

## bench: deployment time of dev, prod and a hub with 8 spokes vs the physical lower bound, and day-2 changes (SIMULATED clouds; make bench BENCH=hub8 for one)
bench: cli simcloud provider
	$(GO) build -o bin/havpn ./cmd/havpn
	bin/havpn bench $(if $(SCALE),--scale $(SCALE)) $(if $(BENCH),--stacks $(BENCH))

## buildcost: cold build cost (empty GOCACHE): minimal program importing both cloud SDKs, the status clients, cold make test; ratio and binary sizes
buildcost:
	scripts/buildcost.sh $(STEPS)

## build: compile every package, the example program and the havpn tool into bin/
build:
	$(GO) build ./...
	$(GO) build -o bin/havpn ./cmd/havpn

## test: lint, then every unit, mock and golden test
test: lint
	$(GO) test -vet=off ./...  # lint has just run the full go vet; go test's own subset would compute it again on a cold cache

## plan: offline plan of a stack under Pulumi mocks (make plan STACK=prod)
plan:
	$(GO) run ./cmd/havpn plan --stack $(STACK)

## plan-diff: Markdown diff of the offline plans of two git refs (make plan-diff BASE=origin/main [HEAD=<ref>|.] [STACKS=dev])
plan-diff:
	@if [ -z "$(BASE)" ]; then echo "usage: make plan-diff BASE=<git ref> [HEAD=<git ref>] [STACKS=dev,prod]"; exit 2; fi
	$(GO) run ./cmd/havpn plan-diff '$(BASE)' '$(HEAD)' --stack '$(STACKS)'

## lint: gofmt and go vet
lint:
	@out="$$(gofmt -l .)"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## fuzz: short runs of the pure core's fuzz targets
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzValidate$$' -fuzztime=$(FUZZTIME) ./internal/core/linkplan
	$(GO) test -run='^$$' -fuzz='^FuzzBuild$$' -fuzztime=$(FUZZTIME) ./internal/core/analysis
	$(GO) test -run='^$$' -fuzz='^FuzzCheckWiringCorrupt$$' -fuzztime=$(FUZZTIME) ./internal/core/analysis
	$(GO) test -run='^$$' -fuzz='^FuzzHub$$' -fuzztime=$(FUZZTIME) ./internal/core/hubplan

## schema: copy schema.json into the provider (it serves it byte for byte)
schema:
	cp schema.json provider/schema.json

## provider: build the plugin bin/pulumi-resource-havpn
provider: schema
	$(GO) build -o bin/pulumi-resource-havpn ./provider/cmd/pulumi-resource-havpn

## install: put the plugin on PATH ($$GOPATH/bin), where the Pulumi engine finds it
install: schema
	$(GO) install ./provider/cmd/pulumi-resource-havpn

## sdk: regenerate sdk/nodejs, sdk/python and sdk/go from schema.json (tools module, Pulumi codegen)
sdk: schema
	cd tools && $(GO) build -o ../bin/sdkgen ./sdkgen
	bin/sdkgen -schema schema.json -out sdk

## sdk-check: fail when the committed SDKs or provider/schema.json differ from a regeneration
sdk-check: sdk
	@changed="$$(git status --porcelain -- sdk provider/schema.json)"; \
	if [ -n "$$changed" ]; then echo "SDKs are stale; run make sdk and commit:"; echo "$$changed"; git diff --stat -- sdk; exit 1; fi
	@echo "sdk-check: SDKs match schema.json"

## sdk-ts: compile the TypeScript SDK and the TypeScript example with tsc (npm lockfiles)
sdk-ts:
	cd sdk/nodejs && npm ci --no-audit --no-fund && npx tsc && cp package.json bin/package.json
	cd examples/typescript && npm ci --no-audit --no-fund && npx tsc

## sdk-py: the installed Python SDK against schema.json (pytest: names, required, defaults, enums); the example runs in make e2e
sdk-py: pyenv
	$(PYENV)/bin/python -m py_compile examples/python/__main__.py
	$(PYENV)/bin/python -m pytest -q -m "not engine" e2e/python

## pyenv: the pinned Python environment (.venv): pulumi 3.272.0 and pytest from PyPI by hashed lockfile, then sdk/python installed as a user installs it
pyenv: $(PYENV)/.sdk-installed

$(PYENV)/.locked: e2e/python/requirements.txt
	rm -rf $(PYENV) && python3 -m venv $(PYENV)
	$(PYENV)/bin/python -m pip install --quiet --require-hashes --only-binary=:all: -r e2e/python/requirements.txt
	touch $@

# --no-deps --no-build-isolation: the dependencies and the build backend come from the lockfile above,
# not from whatever the index serves today; pip check then proves the SDK's requirements are met.
$(PYENV)/.sdk-installed: $(PYENV)/.locked sdk/python/pyproject.toml $(wildcard sdk/python/pulumi_havpn/*)
	rm -rf sdk/python/build
	$(PYENV)/bin/python -m pip install --quiet --force-reinstall --no-deps --no-build-isolation ./sdk/python
	$(PYENV)/bin/python -m pip check
	touch $@

## multilang: everything the multi-language package needs checked
multilang: provider sdk-check sdk-ts sdk-py
	$(GO) build ./sdk/go/...

## cli: build the pinned Pulumi CLI into bin/pulumi from the module proxy (reused when already built)
cli:
	@if [ -x bin/pulumi ] && [ bin/pulumi -nt tools/go.sum ] && bin/pulumi version 2>/dev/null | grep -qx '$(PULUMI_VERSION)'; then \
		echo "bin/pulumi $(PULUMI_VERSION) is up to date"; \
	else \
		echo "building the Pulumi CLI $(PULUMI_VERSION) from source (a few minutes the first time)..."; \
		cd tools && $(GO) build -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$(PULUMI_VERSION)" \
			-o ../bin/pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi; \
	fi

## simcloud: the SIMULATED Google Cloud and Azure providers, installed under both plugin names
simcloud:
	$(GO) build -o bin/simcloud ./cmd/simcloud
	ln -sf simcloud bin/pulumi-resource-gcp
	ln -sf simcloud bin/pulumi-resource-azure-native

## azurite: the Azure Storage emulator (npm azurite) and its blob client, pinned by tools/azurite/package-lock.json: the shared state backend on loopback
azurite: tools/azurite/node_modules/.package-lock.json

tools/azurite/node_modules/.package-lock.json: tools/azurite/package-lock.json
	cd tools/azurite && npm ci --no-audit --no-fund

## e2e-node: the Node Automation API test program (needs the compiled TypeScript SDK)
e2e-node: sdk-ts
	cd e2e/node && npm ci --no-audit --no-fund && npx tsc

## e2e: real Pulumi engine, offline, against the simulated clouds (Go, TypeScript and Python programs; file:// and shared Azurite backends)
e2e: cli simcloud provider azurite e2e-node pyenv
	$(GO) build -o bin/havpn ./cmd/havpn
	HAVPN_PYTHON=$(abspath $(PYENV))/bin/python $(GO) test -tags e2e -count=1 -timeout 45m -v ./e2e $(E2EFLAGS)

ci: test fuzz multilang e2e
