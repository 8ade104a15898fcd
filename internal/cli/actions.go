package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-chat/parley/internal/action"
	"github.com/parley-chat/parley/internal/actionclient"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/sdk"
)

// noActionsHelp is what `parley run actions` says in a binary without
// actions.
const noActionsHelp = `This parley binary registers no custom actions, so it has none to serve.

Either keep your Rasa SDK action server (rasa run actions) and point
action_endpoint in endpoints.yml at it, or write the actions in Go and build
your own binary that registers them:

    package main

    import (
        "os"

        "github.com/parley-chat/parley/app"
        "github.com/parley-chat/parley/sdk"
    )

    func main() {
        reg := sdk.NewRegistry()
        reg.MustRegister(myAction{}) // your sdk.Action values
        os.Exit(app.Main(reg))
    }

That binary is a complete parley: "run actions" serves the actions on port
5055, and "run" calls them in process. See examples/pizzabot.`

// actionsFlags are the flags of `parley run actions`.
type actionsFlags struct {
	port  int
	iface string
	cors  []string
}

// runActionsCommand is `parley run actions`.
func (a *app) runActionsCommand() *cobra.Command {
	f := &actionsFlags{}
	cmd := &cobra.Command{
		Use:   "actions",
		Short: "Serve the custom actions this binary registers (port 5055)",
		Long: "Serves the Go actions registered in this binary as a Rasa SDK action server:\n" +
			"POST /webhook, GET /health and GET /actions, on port 5055. The stock parley\n" +
			"binary registers none; build your own with the sdk and app packages.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.serveActions(cmd.Context(), f)
		},
	}
	fs := cmd.Flags()
	fs.IntVarP(&f.port, "port", "p", sdk.DefaultPort, "the port to listen on")
	fs.StringVarP(&f.iface, "interface", "i", "0.0.0.0", "the network interface to listen on")
	fs.StringSliceVar(&f.cors, "cors", nil,
		`origins allowed to call the actions from a browser (off by default; quote "*" for any)`)
	refuse(fs, "actions", "", kindString, "the Python module holding the actions",
		"Go actions are compiled into the binary that serves them")
	refuse(fs, "auto-reload", "", kindBool, "reload changed action modules",
		"rebuild and restart the binary instead")
	for _, n := range []string{"ssl-certificate", "ssl-keyfile", "ssl-password"} {
		refuse(fs, n, "", kindString, "serve the actions over HTTPS",
			"serve plain HTTP on a private network, or terminate TLS in a proxy")
	}
	return cmd
}

// serveActions is `parley run actions`.
func (a *app) serveActions(ctx context.Context, f *actionsFlags) error {
	reg := a.env.Actions
	if reg == nil || len(reg.Names()) == 0 {
		fmt.Fprintln(a.env.Stderr, noActionsHelp)
		return exitError{code: 1}
	}
	addr := net.JoinHostPort(f.iface, strconv.Itoa(f.port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (is another action server using port %d? "+
			"choose another with --port)", addr, err, f.port)
	}
	names := reg.Names()
	a.log.Info("serving custom actions", "count", len(names), "actions", strings.Join(names, ","))
	fmt.Fprintf(a.env.Stderr, "Action server is up: http://localhost:%d/webhook serves %d "+
		"actions. Press Ctrl+C to stop.\n", ln.Addr().(*net.TCPAddr).Port, len(names))
	srv := sdk.NewServer(reg, sdk.ServerOptions{Logger: a.log, AllowedOrigins: f.cors})
	return srv.ServeListener(ctx, ln)
}

// customActions is what `parley run` needs for custom actions and
// responses.
type customActions struct {
	// Runner runs custom actions: in process when the binary registers
	// them, else at action_endpoint. It is never nil, so that a custom
	// action without a server fails with a hint and the user gets a reply.
	Runner action.Runner
	// NLG renders responses at the nlg endpoint; nil without one.
	NLG action.NLG
}

// customActions reads action_endpoint and nlg from the endpoints file and
// logs where custom actions run.
func (a *app) customActions(f *projectFlags) (customActions, error) {
	ep, err := a.readEndpoints(f)
	if err != nil {
		return customActions{}, err
	}
	cfg, err := a.endpointConfig("action_endpoint", ep.Action)
	if err != nil {
		return customActions{}, err
	}
	opts := actionclient.Options{Logger: a.log}
	if reg := a.env.Actions; reg != nil && len(reg.Names()) > 0 {
		opts.Local = reg
	}
	client, err := actionclient.New(cfg, opts)
	if err != nil {
		return customActions{}, fmt.Errorf("action_endpoint in endpoints.yml: %w", err)
	}
	a.logActionRouting(client)
	out := customActions{Runner: actionclient.NewRunner(client)}
	if len(ep.NLG) == 0 {
		return out, nil
	}
	nlgCfg, err := a.endpointConfig("nlg", ep.NLG)
	if err == nil && nlgCfg.URL == "" {
		err = errors.New("nlg: needs a url, such as http://localhost:5056/nlg")
	}
	if err != nil {
		return customActions{}, err
	}
	nlg, err := actionclient.NewNLG(nlgCfg, actionclient.Options{Logger: a.log})
	if err != nil {
		return customActions{}, fmt.Errorf("nlg in endpoints.yml: %w", err)
	}
	a.log.Info("responses are rendered by the nlg endpoint", "url", nlgCfg.URL)
	out.NLG = nlg.Dialogue()
	return out, nil
}

// readEndpoints reads the endpoints file; a missing file at its default
// place is no error.
func (a *app) readEndpoints(f *projectFlags) (project.Endpoints, error) {
	path := a.resolve(f.endpoints)
	ep, _, err := project.LoadEndpointsFile(path, nil)
	switch {
	case err == nil:
		return ep, nil
	case errors.Is(err, project.ErrNotFound) && f.endpoints == "endpoints.yml":
		return project.Endpoints{}, nil
	}
	return project.Endpoints{}, fmt.Errorf("reading the endpoints file: %w", err)
}

// endpointConfig parses one endpoint section, warning about unknown keys.
func (a *app) endpointConfig(name string, section map[string]any) (actionclient.Config, error) {
	section, from := a.actionEndpointEnv(name, section)
	cfg, err := actionclient.ParseConfig(section)
	if err != nil {
		return cfg, fmt.Errorf("%s in %s: %w", name, from, err)
	}
	if len(cfg.Unknown) > 0 {
		a.log.Warn("endpoints.yml: keys that Parley does not use", "section", name,
			"keys", strings.Join(cfg.Unknown, ","))
	}
	v := a.env.Getenv(actionclient.EnvCompress)
	if name == "action_endpoint" && strings.EqualFold(v, "true") {
		cfg.Compress = true
	}
	return cfg, nil
}

// logActionRouting says at start where custom actions run.
func (a *app) logActionRouting(c *actionclient.Client) {
	if local := c.LocalActions(); len(local) > 0 {
		a.log.Info("custom actions registered in this binary run in process",
			"actions", strings.Join(local, ","))
	}
	if c.URL() != "" {
		a.log.Info("other custom actions are called at the action endpoint", "url", c.URL())
		return
	}
	a.log.Debug("no action_endpoint in endpoints.yml: custom actions that this binary " +
		"does not register will fail")
}

// actionEndpointEnv puts PARLEY_ACTION_ENDPOINT, when set, in place of
// the url of endpoints.yml's action_endpoint (the other keys stay), and
// names where the section now comes from.
func (a *app) actionEndpointEnv(name string, section map[string]any) (map[string]any, string) {
	url := a.env.Getenv("PARLEY_ACTION_ENDPOINT")
	if name != "action_endpoint" || url == "" {
		return section, "endpoints.yml"
	}
	out := map[string]any{}
	maps.Copy(out, section)
	out["url"] = url
	return out, "endpoints.yml with url from PARLEY_ACTION_ENDPOINT"
}
