package simcloud

import (
	"crypto/sha256"
	"fmt"
	"net/netip"
)

// usedPublicIps lists every public address the two simulated clouds have handed out, but those of one resource.
func usedPublicIps(st *State, exceptID string) map[string]bool {
	used := map[string]bool{}
	for _, r := range st.Resources {
		if r.ID == exceptID {
			continue
		}
		for _, iface := range objects(r.Outputs, "vpnInterfaces") {
			if ip, ok := str(iface, "ipAddress"); ok {
				used[ip] = true
			}
		}
		if r.Type == azurePublicIp {
			if ip, ok := str(r.Outputs, "ipAddress"); ok {
				used[ip] = true
			}
		}
	}
	return used
}

// allocatePublicIp picks a public-looking address deterministically from a resource ID, in one of the
// given first octets, skipping addresses already in use.
func allocatePublicIp(id, salt string, firstOctets []byte, used map[string]bool) string {
	for i := 0; ; i++ {
		h := sha256.Sum256([]byte(fmt.Sprintf("%s#%s#%d", id, salt, i)))
		a := netip.AddrFrom4([4]byte{firstOctets[int(h[0])%len(firstOctets)], h[1], h[2], 1 + h[3]%254}).String()
		if !used[a] {
			used[a] = true
			return a
		}
	}
}

// nthAddress returns the address n after the network address of a prefix.
func nthAddress(p netip.Prefix, n int) netip.Addr {
	a := p.Masked().Addr()
	for i := 0; i < n; i++ {
		a = a.Next()
	}
	return a
}

// slash30 is a /30 given as "<host>/30": the network, and whether the host is one of its two usable addresses.
func slash30(s string) (host netip.Addr, network netip.Prefix, ok bool) {
	p, err := netip.ParsePrefix(s)
	if err != nil || p.Bits() != 30 || !p.Addr().Is4() {
		return netip.Addr{}, netip.Prefix{}, false
	}
	return p.Addr(), p.Masked(), true
}

// usableHost reports whether a lies in a /30 and is neither its network nor its broadcast address.
func usableHost(network netip.Prefix, a netip.Addr) bool {
	return network.Contains(a) && a != nthAddress(network, 0) && a != nthAddress(network, 3)
}
