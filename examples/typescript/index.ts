// HaVpnLink from TypeScript. The infrastructure stack (VPC, VNet, GatewaySubnet) is another stack
// here; its outputs, and a secret from config, flow into the nested gcp / azure arguments.
import * as pulumi from "@pulumi/pulumi";
import * as havpn from "@havpn/havpn";

const config = new pulumi.Config();
const infra = new pulumi.StackReference(config.require("infraStack"));

const link = new havpn.HaVpnLink("gcp-azure", {
    topology: havpn.Topology.DualGateway,
    sharedSecret: config.requireSecret("sharedSecret"),
    bgpSessionBlock: 1,
    gcp: {
        region: "asia-northeast1",
        network: infra.requireOutput("vpcSelfLink") as pulumi.Output<string>,
        asn: 65534,
        advertisedIpRanges: ["172.24.0.0/24"],
        firewall: { allow: [{ protocol: "tcp", ports: ["22", "443"] }, { protocol: "icmp" }] },
    },
    azure: {
        resourceGroupName: infra.requireOutput("resourceGroupName") as pulumi.Output<string>,
        location: "japaneast",
        gatewaySubnetId: infra.requireOutput("gatewaySubnetId") as pulumi.Output<string>,
        addressPrefixes: [infra.requireOutput("vnetCidr") as pulumi.Output<string>],
        sku: havpn.AzureSku.VpnGw1AZ,
    },
});

export const tunnels = link.tunnels;
export const gcpGatewayIps = link.gcpGatewayIps;
export const azurePublicIps = link.azurePublicIps;
export const topologyReport = link.topologyReport;
export const sharedSecrets = link.sharedSecrets; // stays secret
