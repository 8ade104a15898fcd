package cli

import (
	"fmt"

	"github.com/parley-chat/parley/internal/server"
)

// connectors are the channels --connector may name.
var connectors = []string{"rest", "socketio", "callback"}

// checkServeFlags refuses --cors, --jwt-* and --connector values the
// server cannot use, before anything starts.
func (a *app) checkServeFlags(f *serveFlags) error {
	if f.connector != "" && !contains(connectors, f.connector) {
		return fmt.Errorf("--connector %s is not supported by Parley: use rest, socketio or "+
			"callback (and list it in credentials.yml)", f.connector)
	}
	if err := server.CheckCORS(f.cors, a.env.Dir); err != nil {
		return err
	}
	return server.CheckJWT(f.jwtSecret, f.jwtMethod)
}

// onlyConnector keeps the credentials of the --connector channel alone;
// with no --connector all of them stay.
func onlyConnector(creds map[string]map[string]any, connector string) map[string]map[string]any {
	if connector == "" {
		return creds
	}
	return map[string]map[string]any{connector: creds[connector]}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
