package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (a *app) dataCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data",
		Short: "Work with the project's training data",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.validateCommand(), a.importTrackersCommand())
	return cmd
}

func (a *app) validateCommand() *cobra.Command {
	var f projectFlags
	var failOnWarnings bool
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check the domain, NLU data, stories and rules for mistakes",
		Long: "Reads the whole project and prints every error and warning with its file, line\n" +
			"and column and how to fix it. It exits 1 when there is an error (or, with\n" +
			"--fail-on-warnings, a warning).",
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return a.runValidate(&f, failOnWarnings) },
	}
	fs := cmd.Flags()
	f.addTraining(fs)
	fs.BoolVar(&failOnWarnings, "fail-on-warnings", false, "exit 1 on warnings too")
	refuse(fs, "max-history", "", kindInt, "the history length for story conflict checks",
		"the conflict check always looks at the whole story so far")
	return cmd
}

// runValidate is `parley data validate`.
func (a *app) runValidate(f *projectFlags, failOnWarnings bool) error {
	p, err := a.loadProject(f)
	if err != nil {
		return err
	}
	extra := validateProject(p)
	printDiagnostics(a.env.Stderr, extra)
	all := append(p.Diagnostics, extra...)
	errs, warns := len(all.Errors()), len(all.Warnings())
	fmt.Fprintf(a.env.Stdout, "%d errors, %d warnings.\n", errs, warns)
	if errs > 0 || (failOnWarnings && warns > 0) {
		return exitError{code: 1}
	}
	return nil
}
