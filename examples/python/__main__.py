"""HaVpnLink from Python. The infrastructure stack (VPC, VNet, GatewaySubnet) is another stack here;
its outputs, and a secret from config, flow into the nested gcp / azure arguments."""
import pulumi
import pulumi_havpn as havpn

config = pulumi.Config()
infra = pulumi.StackReference(config.require("infraStack"))

link = havpn.HaVpnLink(
    "gcp-azure",
    topology=havpn.Topology.DUAL_GATEWAY,
    shared_secret=config.require_secret("sharedSecret"),
    bgp_session_block=1,
    gcp=havpn.GcpArgs(
        region="asia-northeast1",
        network=infra.require_output("vpcSelfLink"),
        asn=65534,
        advertised_ip_ranges=["172.24.0.0/24"],
        firewall=havpn.FirewallArgs(
            allow=[havpn.FirewallAllowArgs(protocol="tcp", ports=["22", "443"]), havpn.FirewallAllowArgs(protocol="icmp")],
        ),
    ),
    azure=havpn.AzureArgs(
        resource_group_name=infra.require_output("resourceGroupName"),
        location="japaneast",
        gateway_subnet_id=infra.require_output("gatewaySubnetId"),
        address_prefixes=[infra.require_output("vnetCidr")],
        sku=havpn.AzureSku.VPN_GW1_AZ,
    ),
)

pulumi.export("tunnels", link.tunnels)
pulumi.export("gcpGatewayIps", link.gcp_gateway_ips)
pulumi.export("azurePublicIps", link.azure_public_ips)
pulumi.export("topologyReport", link.topology_report)
pulumi.export("sharedSecrets", link.shared_secrets)  # stays secret
