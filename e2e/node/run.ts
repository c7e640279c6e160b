// End-to-end test (SIMULATED clouds): the dev environment written in TypeScript, run through the
// Node Automation API as an inline program. The havpn link is the TypeScript SDK's remote component,
// served by pulumi-resource-havpn; the Google and Azure resources go to simcloud.
//
// Usage: node bin/run.js <repo root> <work dir>   (environment: PATH, PULUMI_HOME, PULUMI_CONFIG_PASSPHRASE,
// SIMCLOUD_STATE_DIR, BACKEND_URL, MASTER_SECRET, HAVPN_ENV). HAVPN_ENV is the dev stack's environment
// as the Go program resolves it (envconfig.Environment as JSON), so both programs deploy the same
// values. Prints one JSON object with the stack outputs (secrets masked) and a SHA-256 of the PSKs.
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import * as havpn from "@havpn/havpn";

class RawResource extends pulumi.CustomResource {
    constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(type, name, props, opts);
    }
}

// raw registers a resource by its type token: @pulumi/gcp and @pulumi/azure-native are not installed
// here, and their providers are simulated anyway. Keys listed in outputs become Outputs of the resource.
function raw(type: string, name: string, props: Record<string, unknown>, outputs: string[], opts?: pulumi.CustomResourceOptions) {
    const all: Record<string, unknown> = { ...props };
    for (const o of outputs) {
        all[o] = undefined;
    }
    return new RawResource(type, name, all, opts) as unknown as RawResource & Record<string, pulumi.Output<string>>;
}

// Environment is envconfig.Environment's JSON (Go field names; unset numbers are null).
interface Environment {
    Topology: string;
    BgpSessionBlock: number | null;
    GcpRegion: string;
    RoutingMode: string;
    Subnets: { region: string; cidr: string }[];
    GcpAsn: number | null;
    KeepaliveInterval: number | null;
    AzureLocation: string;
    AzureAsn: number | null;
    VnetCidr: string;
    GatewaySubnetCidr: string;
    WorkloadSubnetCidr: string;
}

const env: Environment = JSON.parse(process.env.HAVPN_ENV as string);
const orUndefined = (n: number | null) => (n === null ? undefined : n);

const program = async () => {
    const config = new pulumi.Config("havpn");
    const vpc = raw("gcp:compute/network:Network", "vpc", { autoCreateSubnetworks: false, routingMode: env.RoutingMode }, ["selfLink"]);
    for (const s of env.Subnets) {
        raw("gcp:compute/subnetwork:Subnetwork", `subnet-${s.region}`, { region: s.region, network: vpc.id, ipCidrRange: s.cidr }, []);
    }
    const rg = raw("azure-native:resources:ResourceGroup", "rg", { location: env.AzureLocation }, ["name"]);
    const vnet = raw("azure-native:network:VirtualNetwork", "vnet",
        { resourceGroupName: rg.name, location: env.AzureLocation, addressSpace: { addressPrefixes: [env.VnetCidr] } }, ["name"],
        { ignoreChanges: ["subnets"] });
    const gatewaySubnet = raw("azure-native:network:Subnet", "gateway-subnet",
        { subnetName: "GatewaySubnet", resourceGroupName: rg.name, virtualNetworkName: vnet.name, addressPrefix: env.GatewaySubnetCidr }, []);
    raw("azure-native:network:Subnet", "workload-subnet",
        { subnetName: "workload", resourceGroupName: rg.name, virtualNetworkName: vnet.name, addressPrefix: env.WorkloadSubnetCidr }, [],
        { dependsOn: [gatewaySubnet] });

    // Nested arguments fed by Outputs of the resources above, and a secret from config.
    const link = new havpn.HaVpnLink("gcp-azure", {
        topology: env.Topology as havpn.Topology,
        sharedSecret: config.requireSecret("sharedSecret"),
        bgpSessionBlock: orUndefined(env.BgpSessionBlock),
        gcp: { region: env.GcpRegion, network: vpc.selfLink, asn: orUndefined(env.GcpAsn), keepaliveInterval: orUndefined(env.KeepaliveInterval) },
        azure: {
            resourceGroupName: rg.name,
            location: env.AzureLocation,
            gatewaySubnetId: gatewaySubnet.id,
            addressPrefixes: [vnet.name.apply(() => env.VnetCidr)],
            asn: orUndefined(env.AzureAsn),
        },
    });
    return {
        tunnels: link.tunnels,
        gcpGatewayIps: link.gcpGatewayIps,
        azurePublicIps: link.azurePublicIps,
        sharedSecrets: link.sharedSecrets,
        topologyReport: link.topologyReport,
    };
};

// pskDigest hashes the PSKs by tunnel name (keys sorted), so the test compares them without printing them.
function pskDigest(psks: Record<string, string>): string {
    const sorted: Record<string, string> = {};
    for (const k of Object.keys(psks).sort()) {
        sorted[k] = psks[k];
    }
    return createHash("sha256").update(JSON.stringify(sorted)).digest("hex");
}

async function main() {
    const [root, workDir] = process.argv.slice(2);
    const env = process.env;
    const pulumiCommand = await PulumiCommand.get({ root, skipVersionCheck: true });
    const envVars: Record<string, string> = {};
    for (const k of ["PATH", "PULUMI_HOME", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_SKIP_UPDATE_CHECK", "SIMCLOUD_STATE_DIR", "SIMCLOUD_TIME_SCALE"]) {
        if (env[k] !== undefined) {
            envVars[k] = env[k] as string;
        }
    }
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "dev", projectName: "havpn-ts", program },
        {
            workDir,
            pulumiHome: env.PULUMI_HOME,
            envVars,
            pulumiCommand,
            secretsProvider: "passphrase",
            projectSettings: { name: "havpn-ts", runtime: "nodejs", backend: { url: env.BACKEND_URL as string } },
        },
    );
    await stack.setConfig("havpn:sharedSecret", { value: env.MASTER_SECRET as string, secret: true });
    const up = await stack.up({ onOutput: (s) => process.stderr.write(s) });
    const outputs: Record<string, { value: unknown; secret: boolean }> = {};
    for (const [k, v] of Object.entries(up.outputs)) {
        outputs[k] = { value: v.secret ? "[secret]" : v.value, secret: v.secret };
    }
    const pskSha256 = pskDigest(up.outputs.sharedSecrets.value as Record<string, string>);
    process.stdout.write(JSON.stringify({ summary: up.summary.resourceChanges, outputs, pskSha256 }) + "\n");
}

main().catch((err) => {
    process.stderr.write(`e2e node program failed (simulated clouds): ${err}\n`);
    process.exit(1);
});
