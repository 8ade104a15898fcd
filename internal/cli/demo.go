package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/server"
	"github.com/parley-chat/parley/internal/store"
)

func (a *app) demoCommand() *cobra.Command {
	f := &serveFlags{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Train and serve the built-in starter bot, with nothing to set up",
		Long: "Writes the starter project that `parley init` creates into a temporary folder,\n" +
			"trains it at start and serves the chat page and the HTTP API on port 5005.\n" +
			"Conversations are kept in memory; everything is removed when it stops.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.runDemo(cmd.Context(), f) },
	}
	fs := cmd.Flags()
	fs.IntVarP(&f.port, "port", "p", server.DefaultPort, "the port to listen on")
	fs.StringVarP(&f.iface, "interface", "i", "0.0.0.0", "the network interface to listen on")
	fs.StringVarP(&f.authToken, "auth-token", "t", "", "require ?token=<this> on the HTTP API")
	fs.StringSliceVar(&f.cors, "cors", nil, "origins allowed to call the server from a browser")
	return cmd
}

// runDemo is `parley demo`.
func (a *app) runDemo(ctx context.Context, f *serveFlags) error {
	dir, err := os.MkdirTemp("", "parley-demo-")
	if err != nil {
		return fmt.Errorf("creating the demo folder: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := writeStarter(dir, false); err != nil {
		return fmt.Errorf("writing the starter project: %w", err)
	}
	demo := *a
	demo.env.Dir = dir
	f.project.config, f.project.domain, f.project.data = "config.yml", "domain.yml",
		[]string{"data"}
	f.project.credentials, f.project.endpoints = "credentials.yml", "endpoints.yml"
	p, err := demo.loadProject(&f.project)
	if err != nil {
		return err
	}
	f.enableAPI, f.store, f.maxPredictions, f.responseTimeout = true, store.KindMemory, 10, 3600
	srv, closeStore, err := demo.newServer(ctx, f, p)
	if err != nil {
		return err
	}
	defer closeStore()
	fmt.Fprintf(a.env.Stderr, "Demo project written to %s; training it now.\n", dir)
	srv.StartTraining(ctx, func(ctx context.Context) (*model.Model, error) {
		res, err := demo.train(ctx, p, model.TrainOptions{Out: dir + "/models"}, a.env.Stderr)
		if err != nil {
			return nil, err
		}
		return res.Model, nil
	})
	return demo.listenAndServe(ctx, srv, f)
}
