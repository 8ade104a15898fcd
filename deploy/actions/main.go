// Command parley-actions is the example action server of deploy/: custom
// actions written with Parley's Go SDK and served the way a Rasa SDK action
// server serves them (POST /webhook, GET /health, GET /actions), on port
// 5055 or $ACTIONS_PORT.
//
// `parley-actions healthcheck` probes a running server's /health and exits
// 0 or 1, for Docker's HEALTHCHECK in an image without curl.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/parley-chat/parley/sdk"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	addr := net.JoinHostPort("", port())
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		url := "http://" + net.JoinHostPort("127.0.0.1", port()) + "/health"
		if err := healthcheck(url); err != nil {
			log.Error("unhealthy", "error", err.Error())
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := sdk.NewServer(registry(), sdk.ServerOptions{Logger: log})
	log.Info("action server listening", "addr", addr)
	if err := srv.Serve(ctx, addr); err != nil {
		log.Error("action server stopped", "error", err.Error())
		os.Exit(1)
	}
}

// port is $ACTIONS_PORT, or the conventional 5055.
func port() string {
	if p := os.Getenv("ACTIONS_PORT"); p != "" {
		return p
	}
	return fmt.Sprint(sdk.DefaultPort)
}

// registry holds the example actions.
func registry() *sdk.Registry {
	reg := sdk.NewRegistry()
	reg.MustRegister(
		sdk.NewAction("action_hello_world", func(_ context.Context, d *sdk.Dispatcher,
			_ *sdk.Tracker, _ sdk.Domain) ([]sdk.Event, error) {
			d.UtterText("Hello World!")
			return nil, nil
		}),
		sdk.NewAction("action_server_time", func(_ context.Context, d *sdk.Dispatcher,
			_ *sdk.Tracker, _ sdk.Domain) ([]sdk.Event, error) {
			now := time.Now().UTC().Format(time.RFC3339)
			d.UtterText("The action server's clock says " + now + ".")
			return []sdk.Event{sdk.SlotSet("server_time", now)}, nil
		}),
	)
	return reg
}

// healthcheck fails unless url answers 2xx within a few seconds.
func healthcheck(url string) error {
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return errors.New(url + " answered " + resp.Status)
	}
	return nil
}
