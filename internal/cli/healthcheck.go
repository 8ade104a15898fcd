package cli

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// healthcheckCommand is `parley healthcheck`: a probe for Docker's
// HEALTHCHECK, since the image has no curl or wget.
func (a *app) healthcheckCommand() *cobra.Command {
	var url string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "healthcheck",
		Short: "Exit 0 when the local server answers /healthz, 1 otherwise",
		Long: "Sends GET /healthz to the server (by default on 127.0.0.1 and the port of\n" +
			"$PARLEY_PORT, or 5005) and exits 0 on a 2xx answer, 1 otherwise, printing why.\n" +
			"The Docker image uses it as its HEALTHCHECK.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if url == "" {
				url = a.healthURL(cmd)
			}
			return a.probe(url, timeout)
		},
	}
	cmd.Flags().StringVar(&url, "url", "",
		"the URL to probe (default http://127.0.0.1:<port>/healthz)")
	cmd.Flags().DurationVar(&timeout, "timeout", 3*time.Second, "how long to wait for the answer")
	return cmd
}

// healthURL is /healthz on the address the settings say the server uses.
func (a *app) healthURL(cmd *cobra.Command) string {
	host, port := "127.0.0.1", 5005
	if s, _ := a.loadSettings(cmd); s != nil {
		port = s.Port
		switch s.Interface {
		case "", "0.0.0.0", "::", "[::]":
		default:
			host = s.Interface
		}
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + "/healthz"
}

// probe gets url and fails unless it answers 2xx in time.
func (a *app) probe(url string, timeout time.Duration) error {
	client := &http.Client{Timeout: timeout}
	resp, err := client.Get(url)
	if err != nil {
		fmt.Fprintf(a.env.Stderr, "unhealthy: %s: %v\n", url, err)
		return exitError{code: 1}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		fmt.Fprintf(a.env.Stderr, "unhealthy: %s answered %s: %s\n", url, resp.Status,
			strings.TrimSpace(string(body)))
		return exitError{code: 1}
	}
	fmt.Fprintf(a.env.Stdout, "healthy: %s answered %s\n", url, resp.Status)
	return nil
}
