package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func (a *app) initCommand() *cobra.Command {
	var initDir string
	var force bool
	var noPrompt bool
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Create a new project with a small starter bot",
		Long: "Writes a starter project (config.yml, domain.yml, data/, tests/, endpoints.yml,\n" +
			"credentials.yml) into DIR, the current folder by default. It never overwrites\n" +
			"existing files unless --force is given.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			dir := initDir
			if len(args) == 1 {
				dir = args[0]
			}
			return a.runInit(dir, force)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&initDir, "init-dir", ".", "the folder to create the project in")
	fs.BoolVar(&force, "force", false, "overwrite files that already exist")
	fs.BoolVar(&noPrompt, "no-prompt", false,
		"ask nothing (Parley never asks; accepted for Rasa users)")
	return cmd
}

// runInit is `parley init`.
func (a *app) runInit(dir string, force bool) error {
	abs := a.resolve(dir)
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	if err := writeStarter(abs, force); err != nil {
		return err
	}
	w := a.env.Stdout
	fmt.Fprintf(w, "Created a Parley project in %s.\n\nNext steps:\n", abs)
	if dir != "." && dir != "" {
		fmt.Fprintf(w, "  cd %s\n", dir)
	}
	fmt.Fprint(w, "  parley train          train a model\n"+
		"  parley shell          chat with it in the terminal\n"+
		"  parley test           run the test stories in tests/\n"+
		"  parley run            serve it on http://localhost:5005/\n")
	return nil
}
