package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/parley-chat/parley/internal/settings"
	"github.com/parley-chat/parley/internal/web"
)

// configCommand is `parley config`: the effective settings, where each
// came from, secrets masked, and the production check.
func (a *app) configCommand() *cobra.Command {
	var asJSON, check bool
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Print the effective settings and where each comes from (secrets masked)",
		Long: "Prints every setting Parley would run with: its value (secrets masked), the\n" +
			"environment variable that sets it, and where the value came from: a flag, a\n" +
			"PARLEY_* variable, a secret file (PARLEY_<NAME>_FILE), endpoints.yml or\n" +
			"credentials.yml, or the default. Takes the same flags as `parley run`.\n" +
			"In production mode (PARLEY_ENV=production), or with --check, it also runs the\n" +
			"production check and exits 1 when a setting would stop the server.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.printConfig(cmd, asJSON, check)
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&asJSON, "json", false, "print the settings as JSON")
	fs.BoolVar(&check, "check", false, "run the production check whatever the mode")
	addSettingsFlags(cmd)
	return cmd
}

// addSettingsFlags adds the flags of `parley run` that settings reads, so
// that `parley config` shows what `parley run` with them would use.
func addSettingsFlags(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.IntP("port", "p", 5005, "the port to listen on")
	fs.StringP("interface", "i", "0.0.0.0", "the network interface to listen on")
	fs.Bool("enable-api", false, "serve the HTTP API")
	fs.StringP("auth-token", "t", "", "the token the HTTP API requires")
	fs.String("jwt-secret", "", "the key that verifies API JSON web tokens")
	fs.String("jwt-method", "HS256", "the JWT signing algorithm")
	fs.StringSlice("cors", nil, "origins allowed to call the server from a browser")
	fs.String("data-dir", "", "the folder for Parley's database")
	fs.StringP("model", "m", "models", "a model archive, or a folder of archives")
	fs.String("store", "sqlite", "where conversations are kept")
	fs.String("endpoints", "endpoints.yml", "the endpoints file")
	fs.String("credentials", "credentials.yml", "the channel credentials file")
}

// loadSettings works out the settings from the command's flags and the
// environment.
func (a *app) loadSettings(cmd *cobra.Command) (*settings.Settings, error) {
	return settings.Load(settings.Input{
		Dir:         a.env.Dir,
		Flags:       settings.FlagsOf(cmd.Flags()),
		LookupEnv:   a.lookupEnv,
		InContainer: settings.InContainer(),
	})
}

// productionSettings loads the settings as PARLEY_ENV=production would.
func (a *app) productionSettings(cmd *cobra.Command) (*settings.Settings, error) {
	return settings.Load(settings.Input{
		Dir:   a.env.Dir,
		Flags: settings.FlagsOf(cmd.Flags()),
		LookupEnv: func(name string) (string, bool) {
			if name == "PARLEY_ENV" {
				return "production", true
			}
			return a.lookupEnv(name)
		},
		InContainer: settings.InContainer(),
	})
}

// lookupEnv reads the environment through Env.Getenv; an empty variable
// counts as unset.
func (a *app) lookupEnv(name string) (string, bool) {
	v := a.env.Getenv(name)
	return v, v != ""
}

// printConfig is `parley config`.
func (a *app) printConfig(cmd *cobra.Command, asJSON, check bool) error {
	s, loadErr := a.loadSettings(cmd)
	out := a.env.Stdout
	var err error
	if asJSON {
		err = s.WriteJSON(out)
	} else {
		fmt.Fprintf(out, "Parley settings, mode %s (project %s)\n\n", s.Mode, a.env.Dir)
		err = s.WriteTable(out)
	}
	if err != nil {
		return err
	}
	if !s.Production() && s.SecretKey == "" && !asJSON {
		key := filepath.Join(s.DataDir, web.SecretKeyFile)
		if _, err := os.Stat(key); err == nil {
			fmt.Fprintf(out, "\nsecret_key is not set: in development `parley run` signs "+
				"cookies with the key it made in %s.\n", a.relToProject(key))
		}
	}
	failed := false
	if loadErr != nil {
		failed = true
		fmt.Fprintf(a.env.Stderr, "\nThese values cannot be used:\n%v\n", loadErr)
	}
	for _, w := range s.Warnings() {
		fmt.Fprintln(a.env.Stderr, "warning: "+w)
	}
	if s.Production() || check {
		prod := s
		if !s.Production() {
			// As production would read them: without the development
			// defaults (allowed hosts, a generated key).
			if p, err := a.productionSettings(cmd); p != nil && err == nil {
				prod = p
			}
		}
		var pe *settings.ProductionError
		switch err := prod.CheckProduction(); {
		case errors.As(err, &pe):
			failed = true
			fmt.Fprintf(a.env.Stderr, "\n%v\n", pe)
		case !asJSON:
			fmt.Fprintln(out, "\nProduction check (the settings as PARLEY_ENV=production "+
				"reads them): passed.")
		}
	}
	if failed {
		return exitError{code: 1}
	}
	return nil
}
