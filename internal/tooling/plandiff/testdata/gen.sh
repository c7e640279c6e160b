#!/usr/bin/env bash
# Regenerates the fixture plans from the real plan command (run from anywhere; needs the Go toolchain).
# The golden Markdown files are then rewritten with: go test ./internal/tooling/plandiff -update
set -euo pipefail
cd "$(dirname "$0")/../../../.."
out=internal/tooling/plandiff/testdata
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/havpn" ./cmd/havpn   # built once, not once per fixture
plan() { "$bin/havpn" plan --json "$@"; }
plan --stack dev                                   > $out/dev.json
plan --stack dev --set bgpSessionBlock=2           > $out/dev-block2.json
plan --stack dev --set topology=dualGateway        > $out/dev-dualgateway.json
plan --stack dev --set keepaliveInterval=30        > $out/dev-keepalive30.json
# A secret-bearing input changes: the master secret (masked as "[secret]" in every input that carries it).
plan --stack dev --set sharedSecret=fixture-secret-value-do-not-print-0123456789 > $out/dev-secret.json
# Replace-or-update verdicts and what replacements drag along (cloudrules.ReplaceRules):
# the Azure location replaces the public IPs, hence the external VPN gateway, hence every tunnel; ARM refuses moving the rest.
plan --stack dev --set azureLocation=japanwest     > $out/dev-location.json
# A Google subnetwork range that only grows is updated in place; one that shrinks is replaced.
plan --stack dev --set 'subnets=[{"region":"asia-northeast1","cidr":"172.16.0.0/23"}]' > $out/dev-subnet-grow.json
plan --stack dev --set 'subnets=[{"region":"asia-northeast1","cidr":"172.16.0.0/25"}]' > $out/dev-subnet-shrink.json
# A staged rotation: stage 1 stages nextSharedSecret, stage 2 moves sharedSecret to the same value.
next=fixture-next-secret-value-do-not-print-0123
plan --stack dev --set nextSharedSecret=$next      > $out/dev-rotate-stage1.json
plan --stack dev --set nextSharedSecret=$next --set sharedSecret=$next > $out/dev-rotate-stage2.json
# Every connection updated in place: the component's connection waves keep one session up.
plan --stack dev --set dpdTimeoutSeconds=30        > $out/dev-dpd30.json
plan --stack prod                                  > $out/prod.json
plan --stack prod --set azureSku=VpnGw2AZ --set 'advertisedIpRanges=["192.168.0.0/24"]' > $out/prod-sku.json
