// Command pizzabot is the parley command with PizzaBot's Go actions built
// in. In this folder:
//
//	go build .
//	./pizzabot train
//	./pizzabot run           # the bot, running the actions in process
//	./pizzabot run actions   # or: the actions alone, as an action server
//	./pizzabot test          # the test stories
package main

import (
	"os"

	"github.com/parley-chat/parley/app"
	"github.com/parley-chat/parley/examples/pizzabot/actions"
)

func main() { os.Exit(app.Main(actions.Registry())) }
