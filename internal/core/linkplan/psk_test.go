package linkplan

import "testing"

// While a rotation is staged only the first stage's tunnels take the next secret; "" stages nothing.
func TestMasterSecretFor(t *testing.T) {
	first := Tunnel{Name: "l-t0", RotationStage: RotationStageFirst}
	second := Tunnel{Name: "l-t1", RotationStage: RotationStageSecond}
	tests := []struct {
		t             Tunnel
		current, next string
		want          string
	}{
		{first, "old", "new", "new"},
		{second, "old", "new", "old"},
		{first, "old", "", "old"},
		{second, "new", "new", "new"},
	}
	for _, tc := range tests {
		if got := tc.t.MasterSecretFor(tc.current, tc.next); got != tc.want {
			t.Errorf("%s stage %d with (%q, %q): %q, want %q", tc.t.Name, tc.t.RotationStage, tc.current, tc.next, got, tc.want)
		}
	}
}
