package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/parley-chat/parley/internal/model"
)

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print Parley's version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(a.env.Stdout, "Parley %s\nMinimum compatible model version: %s\n"+
				"Reads Rasa 3 projects (training data formats 2.0 to 3.1)\nGo %s %s/%s\n",
				model.Version, model.MinimumCompatibleVersion, runtime.Version(),
				runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
