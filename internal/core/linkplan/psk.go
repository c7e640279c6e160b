package linkplan

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// pskContext versions the derivation, so a future scheme cannot collide with this one.
const pskContext = "havpn/psk/v1/"

// DerivePSK returns the pre-shared key of one tunnel: HMAC-SHA256 of the tunnel name under the master
// secret, hex-encoded (64 printable characters, within Azure's 128-character limit). It is deterministic,
// so keys are stable across runs, and distinct per tunnel name.
func DerivePSK(masterSecret, tunnelName string) string {
	mac := hmac.New(sha256.New, []byte(masterSecret))
	mac.Write([]byte(pskContext + tunnelName))
	return hex.EncodeToString(mac.Sum(nil))
}
