#!/usr/bin/env bash
# Regenerates the fixture plans from the real plan command (run from anywhere; needs the Go toolchain).
# The golden Markdown files are then rewritten with: go test ./internal/plandiff -update
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=internal/plandiff/testdata
plan() { go run ./cmd/havpn plan --json "$@"; }
plan --stack dev                                   > $out/dev.json
plan --stack dev --set bgpSessionBlock=2           > $out/dev-block2.json
plan --stack dev --set topology=dualGateway        > $out/dev-dualgateway.json
plan --stack dev --set keepaliveInterval=30        > $out/dev-keepalive30.json
# A secret-bearing input changes: the master secret (masked as "[secret]" in every input that carries it).
plan --stack dev --set sharedSecret=fixture-secret-value-do-not-print-0123456789 > $out/dev-secret.json
plan --stack prod                                  > $out/prod.json
plan --stack prod --set azureSku=VpnGw2AZ --set 'advertisedIpRanges=["192.168.0.0/24"]' > $out/prod-sku.json
