package plandoc

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecode(t *testing.T) {
	p, err := Decode(strings.NewReader(`{"stack":"dev","resources":[{"type":"t:m:T","name":"n","inputs":{"asn":4294967294}}],"tunnels":[],"failures":[],"warnings":[]}`))
	require.NoError(t, err)
	assert.Equal(t, json.Number("4294967294"), p.Resources[0].Inputs["asn"])
	for _, bad := range []string{
		``, `not json`, `[]`, `{"stack":"dev"}`, `{"resources":[]} {"resources":[]}`,
		`{"resources":[],"tunnel":[]}`, // a renamed field is refused, not read as empty
	} {
		_, err := Decode(strings.NewReader(bad))
		assert.Error(t, err, bad)
	}
}
