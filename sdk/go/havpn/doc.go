// HaVpnLink: redundant, BGP-routed IPsec VPN between a Google Cloud VPC (HA VPN + Cloud Router) and an Azure VNet (active-active VPN gateway), validated before anything is created; AzureVpnHub: one Azure VPN gateway shared by many links.
package havpn
