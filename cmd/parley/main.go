// Command parley trains, tests and serves Rasa-compatible chatbots. Run
// `parley --help` for the subcommands.
package main

import (
	"os"

	"github.com/parley-chat/parley/internal/cli"
)

func main() { os.Exit(cli.Main()) }
