"""What a Python user meets when the plugin refuses arguments: the real engine, pulumi-resource-havpn
through Construct, simcloud for the other resources (SIMULATED clouds). Run by the Go e2e test
(TestPythonSDK), which prepares the world (world.py)."""
import pulumi
import pytest
from pulumi import automation as auto

import devenv
import pulumi_havpn as havpn
import world

pytestmark = pytest.mark.engine



def subnet_id(resource_group):
    return (f"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/{resource_group}/providers/"
            "Microsoft.Network/virtualNetworks/vnet/subnets/GatewaySubnet")

HAVPN_TYPES = ("havpn:index:HaVpnLink", "gcp:compute/", "azure-native:network:")


def link(topology=havpn.Topology.PAIRED, bgp_session_block=None, gcp_asn=None, sku=None, rg_name="rg",
         gateway_subnet_id=subnet_id("rg")):
    return havpn.HaVpnLink(
        "link",
        topology=topology,
        shared_secret=pulumi.Output.secret(world.master_secret()),
        bgp_session_block=bgp_session_block,
        gcp=havpn.GcpArgs(region="asia-northeast1", network="projects/p/global/networks/vpc", asn=gcp_asn),
        azure=havpn.AzureArgs(resource_group_name=rg_name, location="japaneast", gateway_subnet_id=gateway_subnet_id,
                              address_prefixes=["10.1.0.0/16"], sku=sku),
    )


def run(stack, operation):
    with pytest.raises(auto.errors.CommandError) as failure:
        getattr(stack, operation)(on_output=lambda _: None)
    return str(failure.value)


def registered_by_havpn(stack):
    return [t for t in world.resources_in_state(stack) if t.startswith(HAVPN_TYPES)]


@pytest.mark.parametrize("operation,asn_problem", [
    # During preview the resource group has no ID yet, so a value derived from it is unknown.
    ("preview", "gcp.asn is not known yet (an Output of a resource still to be created); it shapes the link's plan, so pass a value known at preview"),
    # During up the resource group exists: the value is known, but still taken from another resource.
    ("up", """gcp.asn comes from azure-native:resources:ResourceGroup "rg" (an Output); it shapes the link's plan, so pass a plain value"""),
])
def test_plan_shaping_values_given_as_outputs_or_secrets_are_refused(new_stack, operation, asn_problem):
    def program():
        rg = devenv.raw("azure-native:resources:ResourceGroup", "rg", {"location": "japaneast"}, ["name"])
        # Python accepts an Output where the SDK's type says int or an enum; the plugin refuses it by name.
        link(gcp_asn=rg.id.apply(lambda _: 65534), bgp_session_block=rg.name.apply(lambda _: 1),
             sku=pulumi.Output.secret(havpn.AzureSku.VPN_GW1_AZ))

    st = new_stack(program)
    message = run(st, operation)
    assert "havpn: 3 argument(s) cannot be used:" in message
    for problem in (
        asn_problem,
        """bgpSessionBlock comes from azure-native:resources:ResourceGroup "rg" (an Output); it shapes the link's plan, so pass a plain value""",
        "azure.sku is a secret; it is a design parameter shown in plans and reports, so pass it as a plain value",
    ):
        assert f"- {problem}" in message
    assert registered_by_havpn(st) == []


def test_validation_error_lists_every_problem(new_stack):
    def program():
        rg = devenv.raw("azure-native:resources:ResourceGroup", "rg", {"location": "japaneast"}, ["name"])
        # A string where the SDK offers an enum reaches the plugin, which names the allowed values.
        link(topology="mesh", gcp_asn=65515, sku="VpnGw1", rg_name=rg.name, gateway_subnet_id=rg.name.apply(subnet_id))

    st = new_stack(program)
    message = run(st, "up")
    assert "havpn: 3 invalid argument(s):" in message
    for problem in (
        '- topology = "mesh": the topology must be "paired" or "dualGateway". Fix: set topology to "paired" (2 tunnels) or "dualGateway" (4 tunnels).',
        "- gcp.asn = 65515: Azure refuses this ASN for the peer of its gateway",
        '- azure.sku = "VpnGw1": non-AZ SKUs can no longer be created (SKU consolidation). Fix: use VpnGw1AZ.',
    ):
        assert problem in message
    # Errors before resources: the resource group was created, nothing of the link was.
    assert "azure-native:resources:ResourceGroup" in world.resources_in_state(st)
    assert registered_by_havpn(st) == []


def test_valid_link_is_accepted(new_stack):
    """The same helper with valid arguments deploys, so the refusals above are about the arguments."""
    def program():
        rg = devenv.raw("azure-native:resources:ResourceGroup", "rg", {"location": "japaneast"}, ["name"])
        vpn = link(gcp_asn=65534, sku=havpn.AzureSku.VPN_GW1_AZ, rg_name=rg.name, gateway_subnet_id=rg.name.apply(subnet_id))
        pulumi.export("tunnels", vpn.tunnels)

    st = new_stack(program)
    result = st.preview(on_output=lambda _: None)
    # The stack, the resource group, the link and its 17 resources (paired: 2 public IPs, the Azure
    # gateway, 2 LNGs, 2 connections, HA VPN and external gateways, router, firewall, 2 tunnels,
    # 2 router interfaces, 2 BGP peers).
    assert result.change_summary == {"create": 3 + 17}
