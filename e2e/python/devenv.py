"""The dev environment in Python (SIMULATED clouds): the Google VPC and subnets, the Azure resource
group, VNet, GatewaySubnet and workload subnet of internal/example/program, and one pulumi_havpn.HaVpnLink
between them whose nested gcp / azure arguments are fed by Outputs of those resources and whose master
secret is a config secret. The link is served by pulumi-resource-havpn (Construct); the Google and
Azure resources go to simcloud.

The Google and Azure resources are registered by type token (pulumi.CustomResource), as the TypeScript
e2e program does: the pulumi-gcp and pulumi-azure-native Python SDKs would add large installs for no
coverage (their providers are simulated here), and the type tokens and input names are the contract
the engine and simcloud see.
"""
from typing import Optional, Sequence

import pulumi
import pulumi_havpn as havpn

LINK_NAME = "gcp-azure"  # internal/example/program.LinkName


def raw(type_: str, name: str, props: dict, outputs: Sequence[str] = (),
        opts: Optional[pulumi.ResourceOptions] = None) -> pulumi.CustomResource:
    """Registers a resource by its type token; each key in outputs becomes an Output attribute of the
    resource under its wire name (vpc.selfLink)."""
    return pulumi.CustomResource(type_, name, {**props, **{o: None for o in outputs}}, opts)


class Networks:
    """The networks the link connects, as internal/example/program builds them."""

    def __init__(self, env: dict):
        project = {"project": env["GcpProject"]} if env.get("GcpProject") else {}
        self.vpc = raw("gcp:compute/network:Network", "vpc",
                       {**project, "autoCreateSubnetworks": False, "routingMode": env["RoutingMode"]}, ["selfLink"])
        for s in env["Subnets"] or []:
            raw("gcp:compute/subnetwork:Subnetwork", f"subnet-{s['region']}",
                {**project, "region": s["region"], "network": self.vpc.id, "ipCidrRange": s["cidr"]})
        self.rg = raw("azure-native:resources:ResourceGroup", "rg", {"location": env["AzureLocation"]}, ["name"])
        # Subnets are separate resources; without ignore_changes the VNet would remove them on update.
        self.vnet = raw("azure-native:network:VirtualNetwork", "vnet",
                        {"resourceGroupName": self.rg.name, "location": env["AzureLocation"],
                         "addressSpace": {"addressPrefixes": [env["VnetCidr"]]}}, ["name"],
                        pulumi.ResourceOptions(ignore_changes=["subnets"]))
        self.gateway_subnet = raw("azure-native:network:Subnet", "gateway-subnet",
                                  {"subnetName": "GatewaySubnet", "resourceGroupName": self.rg.name,
                                   "virtualNetworkName": self.vnet.name, "addressPrefix": env["GatewaySubnetCidr"]})
        # Azure serializes subnet writes in one VNet: the workload subnet follows the GatewaySubnet.
        raw("azure-native:network:Subnet", "workload-subnet",
            {"subnetName": "workload", "resourceGroupName": self.rg.name,
             "virtualNetworkName": self.vnet.name, "addressPrefix": env["WorkloadSubnetCidr"]},
            opts=pulumi.ResourceOptions(depends_on=[self.gateway_subnet]))
        # The VNet's range as an Output of the VNet, so azure.addressPrefixes carries a dependency.
        self.vnet_cidr = self.vnet.name.apply(lambda _: env["VnetCidr"])


def link(env: dict, nets: Networks, shared_secret: pulumi.Input[str]) -> havpn.HaVpnLink:
    """The dev stack's HaVpnLink; unset values (null in env) are left to the component's defaults."""
    return havpn.HaVpnLink(
        LINK_NAME,
        topology=havpn.Topology(env["Topology"]),
        shared_secret=shared_secret,
        bgp_session_block=env["BgpSessionBlock"],
        gcp=havpn.GcpArgs(
            project=env.get("GcpProject") or None,
            region=env["GcpRegion"],
            network=nets.vpc.selfLink,
            asn=env["GcpAsn"],
            keepalive_interval=env["KeepaliveInterval"],
            advertised_ip_ranges=env.get("AdvertisedIpRanges"),
        ),
        azure=havpn.AzureArgs(
            resource_group_name=nets.rg.name,
            location=env["AzureLocation"],
            gateway_subnet_id=nets.gateway_subnet.id,
            address_prefixes=[nets.vnet_cidr],
            asn=env["AzureAsn"],
            sku=havpn.AzureSku(env["AzureSku"]) if env.get("AzureSku") else None,
        ),
    )


def program(env: dict):
    """The inline program of the dev environment: the stack's havpn:sharedSecret is the master secret."""

    def run():
        nets = Networks(env)
        vpn = link(env, nets, pulumi.Config("havpn").require_secret("sharedSecret"))
        pulumi.export("tunnels", vpn.tunnels)
        pulumi.export("gcpGatewayIps", vpn.gcp_gateway_ips)
        pulumi.export("azurePublicIps", vpn.azure_public_ips)
        pulumi.export("sharedSecrets", vpn.shared_secrets)
        pulumi.export("topologyReport", vpn.topology_report)

    return run


def infra_program(env: dict):
    """The infrastructure stack examples/python reads through a StackReference: the same networks,
    exported under the names the example asks for."""

    def run():
        nets = Networks(env)
        pulumi.export("vpcSelfLink", nets.vpc.selfLink)
        pulumi.export("resourceGroupName", nets.rg.name)
        pulumi.export("gatewaySubnetId", nets.gateway_subnet.id)
        pulumi.export("vnetCidr", nets.vnet_cidr)

    return run
