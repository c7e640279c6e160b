#!/usr/bin/env bash
# Build cost, each with an EMPTY Go build cache (GOCACHE=$(mktemp -d); the module cache is reused):
#   minimal  a minimal program importing both cloud SDKs (pulumi-gcp compute + azure-native network)
#   clients  a minimal program importing havpn status's API libraries (x/oauth2/google, azcore, azidentity)
#   test     cold `make test`
# and the ratio test/minimal the issue bounds (<= 1.3). Reports wall and CPU time, peak RSS, the load
# average before and after (other builds on the machine inflate wall time: measure on a quiet machine),
# and the binary sizes. Usage: scripts/buildcost.sh [minimal] [clients] [test] (default: all three).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
for tool in bc /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "buildcost needs $tool (Debian: apt-get install bc time)"; exit 1; }
done
work=_buildcost # inside the module (its packages resolve), ignored by ./... (leading underscore)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/minimal" "$work/clients"
cat > "$work/minimal/main.go" <<'EOF'
package main

import (
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		if _, err := compute.NewNetwork(ctx, "vpc", nil); err != nil {
			return err
		}
		_, err := network.NewVirtualNetwork(ctx, "vnet", &network.VirtualNetworkArgs{ResourceGroupName: pulumi.String("rg")})
		return err
	})
}
EOF
cat > "$work/clients/main.go" <<'EOF'
package main

import (
	"context"
	"fmt"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"golang.org/x/oauth2/google"
)

func main() {
	gcp, err := google.DefaultClient(context.Background(), "https://www.googleapis.com/auth/compute.readonly")
	cred, err2 := azidentity.NewDefaultAzureCredential(nil)
	pl := runtime.NewPipeline("m", "v", runtime.PipelineOptions{}, nil)
	fmt.Println(gcp != nil, cred != nil, pl, err, err2)
}
EOF

load() { cut -d' ' -f1-3 /proc/loadavg; }
declare -A wall
# measure NAME COMMAND...: runs COMMAND with an empty GOCACHE and prints one line.
measure() {
  local name=$1; shift
  local cache; cache=$(mktemp -d)
  local before; before=$(load)
  local t0; t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$work/$name.time" env GOCACHE="$cache" "$@" >"$work/$name.log" 2>&1 || {
    echo "$name: FAILED"; tail -20 "$work/$name.log"; rm -rf "$cache"; exit 1; }
  local t1; t1=$(date +%s.%N)
  rm -rf "$cache"
  read -r user sys rss <"$work/$name.time"
  wall[$name]=$(echo "$t1 - $t0" | bc)
  printf '%-8s wall %6.1f s  cpu %6.1f s (user+sys)  peak RSS %5.2f GB  load before [%s] after [%s]\n' \
    "$name" "${wall[$name]}" "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1048576" | bc -l)" "$before" "$(load)"
}
size() { printf '%-8s binary %6.1f MB\n' "$1" "$(echo "$(stat -c %s "$2") / 1048576" | bc -l)"; }

echo "== build cost on $(nproc) cores, $("$GO" version | cut -d' ' -f3), empty GOCACHE each"
steps=("$@"); [ ${#steps[@]} -gt 0 ] || steps=(minimal clients test)
for step in "${steps[@]}"; do
  case $step in
    minimal) measure minimal "$GO" build -o "$work/minimal.bin" "./$work/minimal/main.go"; size minimal "$work/minimal.bin" ;;
    clients) measure clients "$GO" build -o "$work/clients.bin" "./$work/clients/main.go"; size clients "$work/clients.bin" ;;
    test)    measure test make --no-print-directory test ;;
    *) echo "unknown step $step (minimal, clients, test)"; exit 2 ;;
  esac
done
"$GO" build -o "$work/havpn.bin" ./cmd/havpn && size havpn "$work/havpn.bin"
if [ -n "${wall[minimal]:-}" ] && [ -n "${wall[test]:-}" ]; then
  printf 'ratio cold make test / minimal program (wall): %.2f (goal <= 1.30)\n' "$(echo "${wall[test]} / ${wall[minimal]}" | bc -l)"
fi
