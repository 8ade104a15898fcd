package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/parley-chat/parley/sdk"
)

// Env is what one run of the CLI reads and writes. Main fills it from the
// process; tests fill it by hand.
type Env struct {
	// Dir is the project folder: the working directory. Relative paths in
	// flags are resolved against it.
	Dir    string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads an environment variable; nil means os.Getenv.
	Getenv func(string) string
	// Actions are the custom actions the binary registers (nil: none).
	// `parley run` runs them in process; `parley run actions` serves them.
	Actions *sdk.Registry
}

// exitError ends the CLI with a code and no further message.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs the CLI on the process's arguments and returns the exit code.
// SIGINT and SIGTERM cancel the context, which stops servers gracefully.
func Main() int { return MainWithActions(nil) }

// MainWithActions is Main for a binary that registers custom actions (see
// Env.Actions).
func MainWithActions(actions *sdk.Registry) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "parley: cannot read the working directory:", err)
		return 1
	}
	return Execute(ctx, os.Args[1:], Env{Dir: dir, Stdin: os.Stdin, Stdout: os.Stdout,
		Stderr: os.Stderr, Getenv: os.Getenv, Actions: actions})
}

// Execute runs the CLI with args and returns the exit code.
func Execute(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	a := &app{env: env}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.ExecuteContext(ctx)
	var exit exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.code
	}
	fmt.Fprintln(env.Stderr, "error:", err)
	return 1
}

// app holds one CLI run: its environment and global flags.
type app struct {
	env     Env
	debug   bool
	quiet   bool
	verbose int
	vv      bool
	level   slog.Level
	log     *slog.Logger
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "parley",
		Short: "Parley: build, test and run Rasa-compatible chatbots with one Go binary",
		Long: "Parley reads Rasa 3 projects (config.yml, domain.yml, data/, tests/) and trains,\n" +
			"tests and serves them with a single program. Run it inside a project folder.",
		SilenceErrors:     true,
		SilenceUsage:      true,
		PersistentPreRunE: a.setup,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	pf := root.PersistentFlags()
	pf.BoolVar(&a.debug, "debug", false, "print debug logs (the most detail)")
	pf.CountVarP(&a.verbose, "verbose", "v",
		"print more logs (-v: info, also in parley shell; -vv: debug)")
	pf.BoolVar(&a.vv, "vv", false, "print debug logs, like -vv")
	pf.BoolVar(&a.quiet, "quiet", false, "print only warnings and errors")
	refuse(pf, "logging-config-file", "", kindString, "a logging configuration file",
		"logs go to stderr as text; use --debug, -v or --quiet to choose how much")
	root.AddCommand(a.initCommand(), a.trainCommand(), a.runCommand(), a.shellCommand(),
		a.testCommand(), a.dataCommand(), a.demoCommand(), a.versionCommand(),
		a.configCommand(), a.dbCommand(), a.healthcheckCommand())
	root.AddCommand(a.userCommand())
	root.AddCommand(a.benchCommand())
	refuseUnknownSubcommands(root)
	return root
}

// refuseUnknownSubcommands makes every command that only groups others
// (data, user, bench) print its help when called alone and refuse a word
// it does not know, with exit code 1: a mistyped `parley data valdate` in a
// script must not pass for success.
func refuseUnknownSubcommands(cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		refuseUnknownSubcommands(sub)
	}
	if cmd.HasSubCommands() && !cmd.Runnable() {
		cmd.Args = cobra.NoArgs
		cmd.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	}
}

// setup checks refused flags and builds the logger; it runs before every
// subcommand.
func (a *app) setup(cmd *cobra.Command, _ []string) error {
	if err := checkRefused(cmd.Flags()); err != nil {
		return err
	}
	level := slog.LevelInfo
	switch {
	case a.debug || a.vv || a.verbose >= 2:
		level = slog.LevelDebug
	case a.verbose == 1:
	case a.quiet || chatsInTerminal(cmd):
		// A chat in the terminal shows the conversation; -v adds the log.
		level = slog.LevelWarn
	}
	a.level = level
	a.log = slog.New(slog.NewTextHandler(a.env.Stderr, &slog.HandlerOptions{Level: level}))
	return nil
}

// chatsInTerminal reports whether cmd is `parley shell` or one of its
// subcommands, whose output is the conversation.
func chatsInTerminal(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if c.Name() == "shell" && c.Parent() != nil && c.Parent().Parent() == nil {
			return true
		}
	}
	return false
}

// Kinds of refused flags, so they parse like Rasa's.
const (
	kindString = iota
	kindStrings
	kindBool
	kindInt
	kindFloat
)

// refusedAnnotation marks a flag that Parley accepts only to refuse.
const refusedAnnotation = "parley-refused"

// refuse defines a Rasa flag that Parley does not support: using it fails
// with "not supported by Parley" and the reason.
func refuse(fs *pflag.FlagSet, name, short string, kind int, usage, reason string) {
	usage += " (not supported by Parley)"
	switch kind {
	case kindString:
		fs.StringP(name, short, "", usage)
	case kindStrings:
		fs.StringSliceP(name, short, nil, usage)
	case kindBool:
		fs.BoolP(name, short, false, usage)
	case kindInt:
		fs.IntP(name, short, 0, usage)
	case kindFloat:
		fs.Float64P(name, short, 0, usage)
	}
	fs.SetAnnotation(name, refusedAnnotation, []string{reason})
}

// checkRefused fails on the first refused flag that was given.
func checkRefused(fs *pflag.FlagSet) error {
	var err error
	fs.Visit(func(f *pflag.Flag) {
		if reason, ok := f.Annotations[refusedAnnotation]; ok && err == nil {
			err = fmt.Errorf("--%s is not supported by Parley: %s", f.Name, reason[0])
		}
	})
	return err
}
