package simdemo

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"

	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
	"github.com/havpn/pulumi-havpn/internal/example/program"
	"github.com/havpn/pulumi-havpn/internal/simulation/simrun"
)

// Hub8 is the bench of a hub with 8 spokes brought up together.
const Hub8 = "hub8"

// Hub8Spokes is how many spokes the hub8 bench brings up with its hub.
const Hub8Spokes = 8

// hubBenchSku is the SKU a hub of 8 paired spokes needs: 8 x 2 connections x 2 tunnels = 32 S2S
// tunnels, more than VpnGw1AZ-VpnGw3AZ carry (30), within VpnGw4AZ's 100; VpnGw4AZ is Generation2 only
// (cloudrules; hubplan refuses the smaller SKUs).
const (
	hubBenchSku        = "VpnGw4AZ"
	hubBenchGeneration = "Generation2"
)

// hubBenchParallel is the engine's --parallel for the hub8 up. The default is 4 x CPUs (8 on CI's two
// cores), and a hub with 8 spokes starts well over 8 independent operations at once (8 VPCs, routers,
// HA VPN gateways, 16 LNGs of a simulated minute each), so the hub's path to its 45-minute gateway
// would queue behind them; the bound assumes every independent operation can start at once.
const hubBenchParallel = 64

// benchHub deploys, in one `up` of one program, the hub stack of stacks/Pulumi.hub.yaml (resized for n
// spokes) and n spoke links, each with a VPC of its own (program.RunHubWithSpokes). Separate spoke stacks
// could only start once the hub stack's up had finished (its outputs exist only then), adding a second
// up's fixed cost and a spoke's own path to the hub's 45-minute gateway; in one program the spokes'
// Google sides and LNGs run while the gateway is created, and the critical path stays a single link's.
func benchHub(ctx context.Context, root string, n int, scale float64, out io.Writer) (StackResult, error) {
	dir, err := os.MkdirTemp("", "havpn-bench-hub-")
	if err != nil {
		return StackResult{}, err
	}
	defer os.RemoveAll(dir)
	w, err := simrun.NewWorld(root, dir, benchPassphrase, scale)
	if err != nil {
		return StackResult{}, err
	}
	cfg, spokes, err := hubBenchConfig(root, n)
	if err != nil {
		return StackResult{}, err
	}
	name := fmt.Sprintf("hub%d", n)
	st, err := w.GoStackProgram(ctx, name, program.RunHubWithSpokes(spokes), cfg)
	if err != nil {
		return StackResult{}, err
	}
	fmt.Fprintf(out, "  %s: pulumi up of a hub (%s, %d slots) and %d spoke links in one program (simulated clouds) ...\n", name, hubBenchSku, n, n)
	r, err := measureUp(ctx, w, st, optup.Parallel(hubBenchParallel))
	if err != nil {
		return StackResult{}, err
	}
	report, err := w.Sessions()
	if err != nil {
		return StackResult{}, err
	}
	if report.Established != 2*n {
		return StackResult{}, fmt.Errorf("%s: %d BGP sessions established, want %d (simulated clouds)", name, report.Established, 2*n)
	}
	return r, nil
}

// hubBenchConfig is the hub stack's configuration with n slots, the SKU they need and n registered
// spokes, and the n spokes' environments: spoke-1..n, ASN 65001+i, VPC subnet 172.(16+i).0.0/24.
func hubBenchConfig(root string, n int) (auto.ConfigMap, []*envconfig.Environment, error) {
	cfg, err := simrun.StackConfig(root, HubStack, "")
	if err != nil {
		return nil, nil, err
	}
	set := func(key, value string) { cfg[envconfig.Qualify(key)] = auto.ConfigValue{Value: value} }
	set("linkSlots", fmt.Sprint(n))
	set("azureSku", hubBenchSku)
	set("azureGeneration", hubBenchGeneration)
	registry := make([]envconfig.HubSpoke, n)
	spokes := make([]*envconfig.Environment, n)
	for i := range n {
		name := fmt.Sprintf("spoke-%d", i+1)
		registry[i] = envconfig.HubSpoke{Name: name, Slot: i, Asn: 65001 + i}
		subnets, _ := json.Marshal([]envconfig.Subnet{{Region: "asia-northeast1", Cidr: fmt.Sprintf("172.%d.0.0/24", 16+i)}})
		values := map[string]string{
			"role": string(envconfig.RoleSpoke), "spokeName": name, "hubStack": simrun.StackRef("havpn", HubStack),
			"sharedSecret": SpokeSecret(benchSecret, name), "gcpAsn": fmt.Sprint(65001 + i), "subnets": string(subnets),
		}
		env, err := envconfig.Load(func(k string) (string, bool) { v, ok := values[k]; return v, ok })
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		spokes[i] = env
	}
	raw, err := json.Marshal(registry)
	if err != nil {
		return nil, nil, err
	}
	set("spokes", string(raw))
	return cfg, spokes, nil
}
