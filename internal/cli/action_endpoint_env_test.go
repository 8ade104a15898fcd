package cli

import (
	"io"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/actionclient"
)

// TestActionEndpointFromEnvironment: PARLEY_ACTION_ENDPOINT replaces the
// url of endpoints.yml's action_endpoint for the custom actions.
func TestActionEndpointFromEnvironment(t *testing.T) {
	cases := []struct {
		name, endpoints, env, wantURL, wantErr string
	}{
		{"env over the file", "action_endpoint:\n  url: http://localhost:5055/webhook\n" +
			"  timeout: 3\n", "http://action-server:5055/webhook",
			"http://action-server:5055/webhook", ""},
		{"env without a file", "", "http://action-server:5055/webhook",
			"http://action-server:5055/webhook", ""},
		{"file without env", "action_endpoint:\n  url: http://actions:5055/webhook\n", "",
			"http://actions:5055/webhook", ""},
		{"bad env url", "", "action-server:5055", "", "PARLEY_ACTION_ENDPOINT"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{}
			if c.endpoints != "" {
				files["endpoints.yml"] = c.endpoints
			}
			getenv := func(k string) string {
				if k == "PARLEY_ACTION_ENDPOINT" {
					return c.env
				}
				return ""
			}
			a := &app{env: Env{Dir: writeProject(t, files), Stderr: io.Discard,
				Getenv: getenv, Actions: helloRegistry()}}
			if err := a.setup(a.rootCommand(), nil); err != nil {
				t.Fatal(err)
			}
			got, err := a.customActions(&projectFlags{endpoints: "endpoints.yml"})
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want one naming %s", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if st := actionclient.StatusOf(got.Runner); st == nil || st.URL != c.wantURL {
				t.Errorf("action endpoint %+v, want %s", st, c.wantURL)
			}
		})
	}
}
