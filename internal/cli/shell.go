package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/duckling"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/progress"
	"github.com/parley-chat/parley/internal/server"
	"github.com/parley-chat/parley/internal/store"
)

// shellFlags are the flags of shell and shell nlu.
type shellFlags struct {
	serve          serveFlags
	conversationID string
}

func (a *app) shellCommand() *cobra.Command {
	cmd := a.newShellCommand(false)
	cmd.AddCommand(a.newShellCommand(true))
	return cmd
}

func (a *app) newShellCommand(nluOnly bool) *cobra.Command {
	f := &shellFlags{}
	cmd := &cobra.Command{
		Use:   "shell",
		Short: "Chat with the bot in the terminal",
		Long: "Loads the newest model (training one when there is none) and chats on the\n" +
			"terminal. Type /stop to leave. When the input is not a terminal, each line read is\n" +
			"one user message and the bot's replies are printed one per line.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runShell(cmd.Context(), f, nluOnly)
		},
	}
	if nluOnly {
		cmd.Use = "nlu"
		cmd.Short = "Print the NLU parse of each message typed (or piped) in"
		cmd.Long = "Parses each line with the model's NLU pipeline and prints the parse as\n" +
			"JSON, as /model/parse answers it. When the input is not a terminal, it prints\n" +
			"one compact JSON object per input line."
	}
	fs := cmd.Flags()
	f.serve.project.addTraining(fs)
	f.serve.project.addEndpoints(fs)
	f.serve.project.addCredentials(fs)
	a.addModelFlags(cmd, &f.serve)
	fs.Lookup("store").DefValue = store.KindMemory
	f.serve.store = store.KindMemory
	fs.StringVar(&f.conversationID, "conversation-id", "",
		"the conversation id to chat as (default: a new random one)")
	refuse(fs, "port", "p", kindInt, "the port of the server",
		"parley shell talks to the model directly and opens no port; use parley run")
	refuse(fs, "enable-api", "", kindBool, "serve the HTTP API",
		"parley shell opens no server; use parley run --enable-api")
	return cmd
}

// runShell is `parley shell [nlu]`.
func (a *app) runShell(ctx context.Context, f *shellFlags, nluOnly bool) error {
	m, err := a.modelForCommand(ctx, &f.serve, a.env.Stderr)
	if err != nil {
		return err
	}
	interactive := progress.IsTerminal(a.env.Stdout) && isTerminalReader(a.env.Stdin)
	if nluOnly {
		if m.NLU == nil {
			return errors.New("the model has no NLU part (trained with `parley train core`); " +
				"train one with `parley train` or `parley train nlu`")
		}
		return a.shellNLU(m, interactive)
	}
	if m.Policies == nil {
		return errors.New("the model has no dialogue part (trained with `parley train nlu`); " +
			"use `parley shell nlu`, or train a full model with `parley train`")
	}
	ts, err := a.openStore(ctx, &f.serve)
	if err != nil {
		return err
	}
	defer ts.Close()
	acts, err := a.customActions(&f.serve.project)
	if err != nil {
		return err
	}
	bot := agent.New(agent.Options{Domain: m.Domain, NLU: m.NLU, Policies: m.Policies,
		Store: ts, Logger: a.log, MaxPredictions: f.serve.maxPredictions,
		Runner: acts.Runner, NLG: acts.NLG})
	id := f.conversationID
	if id == "" {
		id = randomConversationID()
	}
	return a.shellChat(ctx, bot, id, interactive)
}

// modelForCommand loads the model of -m, training one (with messages on
// msg) when the models folder has none.
func (a *app) modelForCommand(ctx context.Context, f *serveFlags, msg io.Writer) (
	*model.Model, error) {
	m, err := a.findModel(ctx, f, msg)
	if err != nil {
		return nil, err
	}
	// As the server does for the models it serves: PARLEY_DUCKLING_URL and
	// a logger for the Duckling server's failures.
	if m.NLU != nil {
		if err := m.NLU.ConfigureDuckling(a.env.Getenv(duckling.EnvURL), a.log); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// findModel loads the model of -m, or trains one when the models folder
// has none.
func (a *app) findModel(ctx context.Context, f *serveFlags, msg io.Writer) (
	*model.Model, error) {
	path, err := model.Resolve(a.resolve(f.model), a.log)
	if err == nil {
		return model.Load(path)
	}
	if !errors.Is(err, model.ErrNoModel) || f.model != "models" {
		return nil, err
	}
	fmt.Fprintln(msg, "No model found in models/: training one first.")
	p, err := a.loadProject(&f.project)
	if err != nil {
		return nil, err
	}
	res, err := a.train(ctx, p, model.TrainOptions{Out: a.resolve("models")}, msg)
	if err != nil {
		return nil, err
	}
	return res.Model, nil
}

// shellNLU prints the parse of each input line.
func (a *app) shellNLU(m *model.Model, interactive bool) error {
	in := bufio.NewScanner(a.env.Stdin)
	in.Buffer(make([]byte, 64<<10), 1<<20)
	out := json.NewEncoder(a.env.Stdout)
	out.SetEscapeHTML(false)
	if interactive {
		out.SetIndent("", "  ")
		fmt.Fprint(a.env.Stdout, "NLU model loaded. Type a message and press enter to parse it.\n"+
			"Next message:\n")
	}
	for in.Scan() {
		line := in.Text()
		if interactive && strings.TrimSpace(line) == "/stop" {
			return nil
		}
		if err := out.Encode(server.ParseAnswer(m.NLU, line)); err != nil {
			return err
		}
		if interactive {
			fmt.Fprintln(a.env.Stdout, "Next message:")
		}
	}
	return in.Err()
}

// shellChat runs a conversation over stdin and stdout.
func (a *app) shellChat(ctx context.Context, bot *agent.Agent, id string, interactive bool) error {
	in := bufio.NewScanner(a.env.Stdin)
	in.Buffer(make([]byte, 64<<10), 1<<20)
	if interactive {
		fmt.Fprintln(a.env.Stdout, "Bot loaded. Type a message and press enter (/stop to leave).")
	}
	var buttons []map[string]any
	for {
		if interactive {
			fmt.Fprint(a.env.Stdout, "Your input -> ")
		}
		if !in.Scan() {
			return in.Err()
		}
		text := strings.TrimSpace(in.Text())
		if text == "/stop" {
			return nil
		}
		if n, err := strconv.Atoi(text); err == nil && n >= 1 && n <= len(buttons) {
			text = fmt.Sprint(buttons[n-1]["payload"])
		}
		events, err := bot.HandleMessage(ctx, agent.UserMessage{ConversationID: id, Text: text,
			InputChannel: "cmdline"})
		if err != nil {
			fmt.Fprintln(a.env.Stderr, "error: the bot could not answer:", err)
			continue
		}
		buttons = nil
		for _, msg := range server.BotMessages(id, events) {
			if b := a.printBotMessage(msg); b != nil {
				buttons = b
			}
		}
	}
}

// printBotMessage prints one bot message and returns its buttons.
func (a *app) printBotMessage(m server.BotMessage) []map[string]any {
	w := a.env.Stdout
	if m.Text != "" {
		fmt.Fprintln(w, m.Text)
	}
	buttons := m.Buttons
	if len(buttons) == 0 {
		buttons = m.QuickReplies
	}
	for i, b := range buttons {
		fmt.Fprintf(w, "%d: %v (%v)\n", i+1, b["title"], b["payload"])
	}
	if m.Image != nil {
		fmt.Fprintf(w, "Image: %v\n", m.Image)
	}
	for _, v := range []any{m.Custom, m.Attachment} {
		if v != nil {
			data, _ := json.Marshal(v)
			fmt.Fprintln(w, string(data))
		}
	}
	if len(m.Elements) > 0 {
		data, _ := json.Marshal(m.Elements)
		fmt.Fprintln(w, string(data))
	}
	return buttons
}

func randomConversationID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// isTerminalReader reports whether r is a terminal.
func isTerminalReader(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
