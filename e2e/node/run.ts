// End-to-end test (SIMULATED clouds): the dev environment written in TypeScript, run through the
// Node Automation API as an inline program. The havpn link is the TypeScript SDK's remote component,
// served by pulumi-resource-havpn; the Google and Azure resources go to simcloud.
//
// Usage: node bin/run.js <repo root> <work dir>   (environment: PATH, PULUMI_HOME, PULUMI_CONFIG_PASSPHRASE,
// SIMCLOUD_STATE_DIR, BACKEND_URL, MASTER_SECRET). Prints one JSON object with the stack outputs.
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

const program = async () => {
    const config = new pulumi.Config("havpn");
    const vpc = raw("gcp:compute/network:Network", "vpc", { autoCreateSubnetworks: false, routingMode: "REGIONAL" }, ["selfLink"]);
    raw("gcp:compute/subnetwork:Subnetwork", "subnet-asia-northeast1",
        { region: "asia-northeast1", network: vpc.id, ipCidrRange: "172.16.0.0/24" }, []);
    const rg = raw("azure-native:resources:ResourceGroup", "rg", { location: "japaneast" }, ["name"]);
    const vnet = raw("azure-native:network:VirtualNetwork", "vnet",
        { resourceGroupName: rg.name, location: "japaneast", addressSpace: { addressPrefixes: ["10.1.0.0/16"] } }, ["name"],
        { ignoreChanges: ["subnets"] });
    const gatewaySubnet = raw("azure-native:network:Subnet", "gateway-subnet",
        { subnetName: "GatewaySubnet", resourceGroupName: rg.name, virtualNetworkName: vnet.name, addressPrefix: "10.1.255.0/27" }, []);
    raw("azure-native:network:Subnet", "workload-subnet",
        { subnetName: "workload", resourceGroupName: rg.name, virtualNetworkName: vnet.name, addressPrefix: "10.1.1.0/24" }, [],
        { dependsOn: [gatewaySubnet] });

    // Nested arguments fed by Outputs of the resources above, and a secret from config.
    const link = new havpn.HaVpnLink("gcp-azure", {
        topology: havpn.Topology.Paired,
        sharedSecret: config.requireSecret("sharedSecret"),
        bgpSessionBlock: 0,
        gcp: { region: "asia-northeast1", network: vpc.selfLink, asn: 65534 },
        azure: {
            resourceGroupName: rg.name,
            location: "japaneast",
            gatewaySubnetId: gatewaySubnet.id,
            addressPrefixes: [vnet.name.apply(() => "10.1.0.0/16")],
            asn: 65515,
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
    process.stdout.write(JSON.stringify({ summary: up.summary.resourceChanges, outputs }) + "\n");
}

main().catch((err) => {
    process.stderr.write(`e2e node program failed (simulated clouds): ${err}\n`);
    process.exit(1);
});
