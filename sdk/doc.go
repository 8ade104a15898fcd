// Package sdk is Parley's kit for writing custom actions in Go. It speaks the
// Rasa SDK action-server protocol, so a bot calls Go actions exactly as it
// calls a Python action server, and Go actions can serve a Rasa bot.
//
// An action has a name and a Run method. Run reads the conversation through a
// read-only Tracker, sends messages through a Dispatcher and returns events
// (built with the constructors of this package, such as SlotSet and
// FollowupAction) that the bot applies to the conversation:
//
//	type checkBalance struct{}
//
//	func (checkBalance) Name() string { return "action_check_balance" }
//
//	func (checkBalance) Run(ctx context.Context, d *sdk.Dispatcher, t *sdk.Tracker,
//		dom sdk.Domain) ([]sdk.Event, error) {
//		account, _ := t.GetSlot("account").(string)
//		if account == "" {
//			return nil, sdk.Reject("no account yet")
//		}
//		d.UtterResponse("utter_balance", map[string]any{"amount": 42})
//		return []sdk.Event{sdk.SlotSet("balance", 42)}, nil
//	}
//
// Actions are registered in a Registry. The registry runs them for one
// webhook body (Registry.Handle, which Parley's own process uses to run Go
// actions without an HTTP hop), and a Server serves them over HTTP with the
// endpoints and status codes of the Rasa SDK: POST /webhook, GET /health and
// GET /actions.
//
//	reg := sdk.NewRegistry()
//	reg.MustRegister(checkBalance{})
//	err := sdk.NewServer(reg, sdk.ServerOptions{}).Serve(ctx, ":5055")
//
// Forms are validated with FormValidation (the validate_<form> action) and
// custom slot mappings outside forms with SlotMappingValidation (the global
// action_validate_slot_mappings).
package sdk
