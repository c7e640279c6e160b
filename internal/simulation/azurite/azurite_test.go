package azurite

import (
	"context"
	"net"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The emulator itself runs in the e2e tests (TestAzuriteEmulator and the shared backend tests); these
// cover what needs no Node.

func TestBackendURLAndEnv(t *testing.T) {
	e := &Emulator{Port: 41234, Container: "team-state"}
	assert.Equal(t, "azblob://team-state?domain=127.0.0.1:41234&protocol=http&localemu=true", e.BackendURL())
	assert.Equal(t, "http://127.0.0.1:41234/devstoreaccount1", e.Endpoint())
	assert.Equal(t, map[string]string{
		"AZURE_STORAGE_ACCOUNT": "devstoreaccount1",
		"AZURE_STORAGE_KEY":     "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
	}, e.Env())
}

func TestListeningLine(t *testing.T) {
	for _, tc := range []struct {
		line string
		port string
	}{
		{"Azurite Blob service successfully listens on http://127.0.0.1:35449", "35449"},
		{"Azurite Blob service is starting on 127.0.0.1:0", ""},
		{"Azurite Blob service successfully listens on http://0.0.0.0:10000", ""},
	} {
		m := listening.FindStringSubmatch(tc.line)
		if tc.port == "" {
			assert.Nil(t, m, tc.line)
			continue
		}
		require.NotNil(t, m, tc.line)
		assert.Equal(t, tc.port, m[1])
	}
}

func TestTakenPortRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	err = portFree(port)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "127.0.0.1:"+strconv.Itoa(port)+" is taken")
	assert.Contains(t, err.Error(), "0 picks a free one")
}

func TestStartWithoutInstallSaysHow(t *testing.T) {
	_, err := Start(context.Background(), Options{Root: t.TempDir(), DataDir: t.TempDir()})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "make azurite")
}

func TestEmulatorEnvDropsAzuriteSettings(t *testing.T) {
	t.Setenv("AZURITE_ACCOUNTS", "other:a2V5")
	t.Setenv("HAVPN_KEEP", "1")
	env := emulatorEnv()
	assert.Contains(t, env, "HAVPN_KEEP=1")
	assert.NotContains(t, env, "AZURITE_ACCOUNTS=other:a2V5")
}
