// Package app is the parley command as a library, for programs that add
// their own custom actions written with package sdk.
//
// A bot's own binary registers its actions and hands them to Main:
//
//	package main
//
//	import (
//		"os"
//
//		"github.com/parley-chat/parley/app"
//		"github.com/parley-chat/parley/sdk"
//	)
//
//	func main() {
//		reg := sdk.NewRegistry()
//		reg.MustRegister(checkBalance{}, &sdk.FormValidation{Form: "transfer_form"})
//		os.Exit(app.Main(reg))
//	}
//
// The result is the whole parley command (train, test, shell, run, ...)
// with two differences from the stock binary:
//
//   - `run actions` serves the registered actions as an action server in
//     the Rasa SDK format (POST /webhook, GET /health, GET /actions, port
//     5055), for a bot that runs elsewhere, Rasa included;
//   - `run` calls the registered actions in its own process, with the same
//     JSON, status codes and parsing as over HTTP, and sends every other
//     custom action to the action_endpoint of endpoints.yml. It logs the
//     list of in-process actions at start.
package app

import (
	"github.com/parley-chat/parley/internal/cli"
	"github.com/parley-chat/parley/sdk"
)

// Main runs the parley command line on the process's arguments with the
// custom actions of reg (nil for none) and returns the exit code, for
// os.Exit. SIGINT and SIGTERM stop servers gracefully.
func Main(reg *sdk.Registry) int { return cli.MainWithActions(reg) }
