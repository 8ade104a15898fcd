package cli

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-chat/parley/internal/duckling"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/server"
	"github.com/parley-chat/parley/internal/store"
)

// serveFlags are the flags of run (and, in part, shell and demo).
type serveFlags struct {
	// upNote is added to the line that says the server is up.
	upNote string

	project         projectFlags
	model           string
	port            int
	iface           string
	enableAPI       bool
	authToken       string
	jwtSecret       string
	jwtMethod       string
	cors            []string
	connector       string
	responseTimeout int
	store           string
	dataDir         string
	maxPredictions  int
	logFile         string
	sslCertificate  string
	sslKeyfile      string
}

func (a *app) runCommand() *cobra.Command {
	f := &serveFlags{}
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Start the bot's HTTP server (REST channel, chat page, optional API)",
		Long: "Serves the newest model in models/ (or -m) on port 5005: the REST channel at\n" +
			"/webhooks/rest/webhook, a chat page at /, /version, and with --enable-api the\n" +
			"HTTP API, /healthz, /readyz and /metrics. With no model yet, development trains\n" +
			"one in the background; production never trains at start. Until a model is\n" +
			"ready, chat and parse requests get 409 with the `parley train` command; a new\n" +
			"archive in the models folder is picked up without a restart.",
		// Words after the flags are more --cors values, as Rasa's --cors takes
		// several ("--cors https://a https://b"); an unquoted --cors * arrives
		// so too, as the file names the shell put in its place, which the
		// origin check refuses with the hint to quote it.
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && !cmd.Flags().Changed("cors") {
				return fmt.Errorf("unexpected argument %q for \"parley run\" (see parley run "+
					"--help)", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			f.cors = append(f.cors, args...)
			return a.serve(cmd, f)
		},
	}
	fs := cmd.Flags()
	f.project.addTraining(fs)
	f.project.addEndpoints(fs)
	f.project.addCredentials(fs)
	a.addModelFlags(cmd, f)
	fs.IntVarP(&f.port, "port", "p", server.DefaultPort, "the port to listen on")
	fs.StringVarP(&f.iface, "interface", "i", "0.0.0.0", "the network interface to listen on")
	fs.BoolVar(&f.enableAPI, "enable-api", false, "serve the HTTP API (/model/parse, /status)")
	fs.StringVarP(&f.authToken, "auth-token", "t", "",
		"require ?token=<this> on the HTTP API")
	fs.StringVar(&f.jwtSecret, "jwt-secret", "",
		"accept API requests with Authorization: Bearer <JWT> signed with this secret "+
			"(a public key in PEM for RS/ES methods)")
	fs.StringVar(&f.jwtMethod, "jwt-method", server.DefaultJWTMethod,
		"the JWT signing method (HS256, RS256, ES256, ...)")
	fs.StringSliceVar(&f.cors, "cors", nil,
		`origins allowed to call the server from a browser; quote "*" for any`)
	fs.StringVar(&f.connector, "connector", "",
		"serve only this channel of credentials.yml (rest, socketio or callback)")
	fs.IntVar(&f.responseTimeout, "response-timeout", 3600,
		"seconds one message may take before its request fails")
	fs.StringVar(&f.logFile, "log-file", "", "also write the logs to this file")
	fs.StringVar(&f.sslCertificate, "ssl-certificate", "", "serve HTTPS with this certificate")
	fs.StringVar(&f.sslKeyfile, "ssl-keyfile", "", "the private key of --ssl-certificate")
	refuseServerFlags(cmd)
	cmd.AddCommand(a.runActionsCommand())
	return cmd
}

// addModelFlags adds -m, --store, --data-dir and --max-predictions.
func (a *app) addModelFlags(cmd *cobra.Command, f *serveFlags) {
	fs := cmd.Flags()
	fs.StringVarP(&f.model, "model", "m", "models",
		"a model archive, or a folder whose newest archive is used")
	fs.StringVar(&f.store, "store", store.KindSQLite,
		"where conversations are kept: sqlite (in --data-dir) or memory")
	fs.StringVar(&f.dataDir, "data-dir", "",
		"the folder for Parley's database (default .parley in the project, or $PARLEY_DATA_DIR)")
	fs.IntVar(&f.maxPredictions, "max-predictions", 10,
		"the most actions predicted after one user message")
}

// refuseServerFlags adds Rasa's run flags that Parley does not support.
func refuseServerFlags(cmd *cobra.Command) {
	fs := cmd.Flags()
	refuse(fs, "remote-storage", "", kindString, "load the model from aws, gcs or azure",
		"copy the archive next to Parley and pass it with -m")
	refuse(fs, "ssl-ca-file", "", kindString, "a CA file for client certificates",
		"client certificates are not checked; terminate TLS in a proxy such as NGINX for that")
	refuse(fs, "ssl-password", "", kindString, "the password of an encrypted --ssl-keyfile",
		"decrypt the key file first (openssl rsa -in key.pem -out plain.pem)")
	refuse(fs, "jwt-private-key", "", kindString, "the private key of JWT authentication",
		"Parley only verifies JWTs: give the public key (or the shared secret) as --jwt-secret")
	refuse(fs, "use-syslog", "", kindBool, "send logs to syslog",
		"Parley logs to stderr; let the service manager (systemd, Docker) collect them")
	refuse(fs, "syslog-address", "", kindString, "the syslog host", "there is no syslog output")
	refuse(fs, "syslog-port", "", kindInt, "the syslog port", "there is no syslog output")
	refuse(fs, "syslog-protocol", "", kindString, "the syslog protocol",
		"there is no syslog output")
	refuse(fs, "sanic-backlog", "", kindInt, "the listen backlog of Sanic",
		"Parley's server is Go's net/http, which has no such setting")
	refuse(fs, "request-timeout", "", kindInt, "the timeout of calls to the action server",
		"set timeout under action_endpoint in endpoints.yml")
}

// newServer opens the store and builds the server of f.
func (a *app) newServer(ctx context.Context, f *serveFlags, p *project.Project) (
	*server.Server, func(), error) {
	var creds map[string]map[string]any
	if p != nil {
		creds = onlyConnector(p.Credentials, f.connector)
	}
	acts, err := a.customActions(&f.project)
	if err != nil {
		return nil, nil, err
	}
	ts, err := a.openStore(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	srv := server.New(server.Options{
		Runner:          acts.Runner,
		EnableAPI:       f.enableAPI,
		AuthToken:       f.authToken,
		JWTSecret:       f.jwtSecret,
		JWTMethod:       f.jwtMethod,
		ModelsDir:       a.resolve("models"),
		CORS:            f.cors,
		Credentials:     creds,
		Store:           ts,
		Logger:          a.log,
		MaxPredictions:  f.maxPredictions,
		ResponseTimeout: time.Duration(f.responseTimeout) * time.Second,
		DucklingURL:     a.env.Getenv(duckling.EnvURL),
	})
	return srv, func() { ts.Close() }, nil
}

// listenAndServe listens as f says and serves until ctx ends.
func (a *app) listenAndServe(ctx context.Context, srv *server.Server, f *serveFlags) error {
	addr := net.JoinHostPort(f.iface, strconv.Itoa(f.port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (is another server using port %d? "+
			"choose another with --port)", addr, err, f.port)
	}
	scheme := "http"
	if f.sslCertificate != "" || f.sslKeyfile != "" {
		cert, err := tls.LoadX509KeyPair(a.resolve(f.sslCertificate), a.resolve(f.sslKeyfile))
		if err != nil {
			ln.Close()
			return fmt.Errorf("loading --ssl-certificate and --ssl-keyfile: %w", err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert},
			MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	host := f.iface
	if host == "0.0.0.0" || host == "" || host == "::" {
		host = "localhost"
	}
	port := ln.Addr().(*net.TCPAddr).Port
	fmt.Fprintf(a.env.Stderr, "Parley server is up: %s://%s/ (chat page), REST channel at "+
		"/webhooks/rest/webhook.%s Press Ctrl+C to stop.\n",
		scheme, net.JoinHostPort(host, strconv.Itoa(port)), f.upNote)
	return srv.Serve(ctx, ln)
}

// openStore opens the tracker store of f: SQLite in the data directory,
// or memory.
func (a *app) openStore(ctx context.Context, f *serveFlags) (store.TrackerStore, error) {
	if f.store != store.KindSQLite {
		return store.Open(ctx, f.store, "")
	}
	dir := f.dataDir
	if dir == "" {
		dir = a.env.Getenv("PARLEY_DATA_DIR")
	}
	if dir == "" {
		dir = ".parley"
	}
	dir = a.resolve(dir)
	for _, d := range f.project.data {
		data := a.resolve(d)
		if rel, err := filepath.Rel(data, dir); err == nil && !strings.HasPrefix(rel, "..") {
			return nil, fmt.Errorf("the data directory %s is inside the training data folder %s: "+
				"choose another with --data-dir", dir, data)
		}
	}
	return store.Open(ctx, store.KindSQLite, dir)
}
