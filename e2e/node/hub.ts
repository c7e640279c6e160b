// End-to-end test (SIMULATED clouds): a hub and a spoke written in TypeScript, two stacks through the
// Node Automation API. The hub stack creates an AzureVpnHub (the TypeScript SDK's remote component,
// served by pulumi-resource-havpn); the spoke stack reads the hub's `hub` output through a
// StackReference and passes it, unchanged, to an HaVpnLink on the slot the hub's registry gives it.
//
// Usage: node bin/hub.js <repo root> <work dir>   (environment: PATH, PULUMI_HOME, PULUMI_CONFIG_PASSPHRASE,
// SIMCLOUD_STATE_DIR, BACKEND_URL, MASTER_SECRET). Prints one JSON object: the hub's and the spoke's
// stack outputs (secrets masked) and their resource changes.
import { mkdirSync } from "fs";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import * as havpn from "@havpn/havpn";

class RawResource extends pulumi.CustomResource {
    constructor(type: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(type, name, props, opts);
    }
}

// raw registers a resource by its type token (the gcp and azure-native SDKs are not installed here;
// their providers are simulated). Keys listed in outputs become Outputs of the resource.
function raw(type: string, name: string, props: Record<string, unknown>, outputs: string[], opts?: pulumi.CustomResourceOptions) {
    const all: Record<string, unknown> = { ...props };
    for (const o of outputs) {
        all[o] = undefined;
    }
    return new RawResource(type, name, all, opts) as unknown as RawResource & Record<string, pulumi.Output<string>>;
}

const hubProject = "havpn-ts-hub";
const spokeProject = "havpn-ts-spoke";
const location = "japaneast";
const vnetCidr = "10.3.0.0/16";

// The hub team's stack: the Azure network and the hub, with one spoke registered on slot 1.
const hubProgram = async () => {
    const rg = raw("azure-native:resources:ResourceGroup", "rg", { location }, ["name"]);
    const vnet = raw("azure-native:network:VirtualNetwork", "vnet",
        { resourceGroupName: rg.name, location, addressSpace: { addressPrefixes: [vnetCidr] } }, ["name"], { ignoreChanges: ["subnets"] });
    const gatewaySubnet = raw("azure-native:network:Subnet", "gateway-subnet",
        { subnetName: "GatewaySubnet", resourceGroupName: rg.name, virtualNetworkName: vnet.name, addressPrefix: "10.3.255.0/27" }, []);
    const hub = new havpn.AzureVpnHub("hub", {
        resourceGroupName: rg.name,
        location,
        gatewaySubnetId: gatewaySubnet.id,
        linkSlots: 2,
        spokes: [{ name: "spoke-ts", slot: 1, asn: 65010 }],
    });
    return { hub: hub.hub, capacity: hub.capacity, gatewayId: hub.gatewayId, publicIps: hub.publicIps };
};

// The spoke team's stack: its own VPC, and a link on the hub read through a StackReference.
const spokeProgram = async () => {
    const config = new pulumi.Config("havpn");
    const vpc = raw("gcp:compute/network:Network", "vpc", { autoCreateSubnetworks: false, routingMode: "GLOBAL" }, ["selfLink"]);
    raw("gcp:compute/subnetwork:Subnetwork", "subnet", { region: "asia-northeast1", network: vpc.id, ipCidrRange: "172.20.0.0/24" }, []);
    const hubStack = new pulumi.StackReference(`organization/${hubProject}/hub`);
    // The hub's plan-shaping values must be known to the link: a deployed hub's outputs are, so read them as values.
    const hub = (await hubStack.getOutputDetails("hub")).value as havpn.types.input.AzureVpnHubRefArgs;
    const link = new havpn.HaVpnLink("spoke-ts", {
        sharedSecret: config.requireSecret("sharedSecret"),
        gcp: { region: "asia-northeast1", network: vpc.selfLink, asn: 65010 },
        azure: { hub, hubSpoke: "spoke-ts", addressPrefixes: [vnetCidr] },
    });
    return { tunnels: link.tunnels, azureGatewayId: link.azureGatewayId, azurePublicIps: link.azurePublicIps, sharedSecrets: link.sharedSecrets };
};

async function stack(root: string, workDir: string, project: string, stackName: string, program: () => Promise<Record<string, unknown>>): Promise<Stack> {
    const env = process.env;
    const pulumiCommand = await PulumiCommand.get({ root, skipVersionCheck: true });
    const envVars: Record<string, string> = {};
    for (const k of ["PATH", "PULUMI_HOME", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_SKIP_UPDATE_CHECK", "SIMCLOUD_STATE_DIR", "SIMCLOUD_TIME_SCALE"]) {
        if (env[k] !== undefined) {
            envVars[k] = env[k] as string;
        }
    }
    const dir = `${workDir}/${project}`;
    mkdirSync(dir, { recursive: true });
    return LocalWorkspace.createOrSelectStack(
        { stackName, projectName: project, program },
        {
            workDir: dir,
            pulumiHome: env.PULUMI_HOME,
            envVars,
            pulumiCommand,
            secretsProvider: "passphrase",
            projectSettings: { name: project, runtime: "nodejs", backend: { url: env.BACKEND_URL as string } },
        },
    );
}

function shown(outputs: Record<string, { value: unknown; secret: boolean }>) {
    const out: Record<string, { value: unknown; secret: boolean }> = {};
    for (const [k, v] of Object.entries(outputs)) {
        out[k] = { value: v.secret ? "[secret]" : v.value, secret: v.secret };
    }
    return out;
}

async function main() {
    const [root, workDir] = process.argv.slice(2);
    const hub = await stack(root, workDir, hubProject, "hub", hubProgram);
    const hubUp = await hub.up({ onOutput: (s) => process.stderr.write(s) });
    const spoke = await stack(root, workDir, spokeProject, "spoke", spokeProgram);
    await spoke.setConfig("havpn:sharedSecret", { value: process.env.MASTER_SECRET as string, secret: true });
    const spokeUp = await spoke.up({ onOutput: (s) => process.stderr.write(s) });
    process.stdout.write(JSON.stringify({
        hub: { summary: hubUp.summary.resourceChanges, outputs: shown(hubUp.outputs) },
        spoke: { summary: spokeUp.summary.resourceChanges, outputs: shown(spokeUp.outputs) },
    }) + "\n");
}

main().catch((err) => {
    process.stderr.write(`e2e node hub program failed (simulated clouds): ${err}\n`);
    process.exit(1);
});
