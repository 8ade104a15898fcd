package web

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/event"
)

// InputChannel is the channel name the web app's user messages carry.
const InputChannel = "web"

// maxMessageRunes caps one chat message.
const maxMessageRunes = 5000

// chatAnswer is the body of the chat API's answers.
type chatAnswer struct {
	Messages []Message `json:"messages"`
}

// chatRequest is the body of POST /api/chat.
type chatRequest struct {
	Message string `json:"message"`
	// Title is shown instead of Message (a button's title).
	Title string `json:"title"`
}

// mountChatAPI adds history, chat and restart under prefix, with the
// session in cookie.
func (a *App) mountChatAPI(mux *http.ServeMux, prefix, cookie string) {
	a.route(mux, "GET "+prefix+"/history", "'none'", a.api(a.history(cookie)))
	a.route(mux, "POST "+prefix+"/chat", "'none'", a.api(a.chat(cookie)))
	a.route(mux, "POST "+prefix+"/restart", "'none'", a.api(a.restart(cookie)))
}

// history answers GET /api/history: the conversation so far. A browser
// without a session gets a new one and the greeting.
func (a *App) history(cookie string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		cur, err := a.chatSession(w, r, cookie)
		if err != nil {
			return err
		}
		events, err := a.trackers.Load(r.Context(), cur.ConversationID)
		if err != nil {
			return err
		}
		msgs := historyMessages(events)
		if len(events) == 0 {
			if msgs, err = a.greet(r.Context(), cur.ConversationID); err != nil {
				return err
			}
		}
		writeJSON(w, http.StatusOK, chatAnswer{Messages: msgs})
		return nil
	}
}

// chat answers POST /api/chat: one turn with the user's message.
func (a *App) chat(cookie string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		req, err := readChatRequest(r)
		if err != nil {
			return err
		}
		cur, err := a.chatSession(w, r, cookie)
		if err != nil {
			return err
		}
		var meta map[string]any
		if a.offeredButton(r.Context(), cur.ConversationID, req.Message, req.Title) {
			meta = map[string]any{parleyMeta: map[string]any{"title": req.Title}}
		}
		events, err := a.bot.HandleMessage(r.Context(), agent.UserMessage{
			ConversationID: cur.ConversationID, Text: req.Message,
			InputChannel: InputChannel, Metadata: meta})
		if err != nil {
			return a.turnError(cur.ConversationID, err)
		}
		writeJSON(w, http.StatusOK, chatAnswer{Messages: botMessages(events)})
		return nil
	}
}

// offeredButton reports whether the bot's messages since the user's last
// one have a button with this title and payload: only then is the message
// recorded as that button's click, so that a typed message cannot pass for
// one in the inspector.
func (a *App) offeredButton(ctx context.Context, id, payload, title string) bool {
	if title == "" {
		return false
	}
	events, err := a.trackers.Load(ctx, id)
	if err != nil {
		return false
	}
	for i := len(events) - 1; i >= 0 && events[i].Type != event.User; i-- {
		if events[i].Type != event.Bot {
			continue
		}
		for _, b := range botMessage(events[i]).Buttons {
			if b.Title == title && b.Payload == payload {
				return true
			}
		}
	}
	return false
}

// restart answers POST /api/restart ("Start over"): the session moves to
// a new conversation, which opens with the greeting.
func (a *App) restart(cookie string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		cur, err := a.chatSession(w, r, cookie)
		if err != nil {
			return err
		}
		cur.ConversationID = newConversationID()
		if err := a.saveSession(r.Context(), cur); err != nil {
			return err
		}
		msgs, err := a.greet(r.Context(), cur.ConversationID)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, chatAnswer{Messages: msgs})
		return nil
	}
}

// chatSession returns the request's session, starting one with a new
// conversation when it has none.
func (a *App) chatSession(w http.ResponseWriter, r *http.Request, cookie string) (
	*current, error) {
	cur, err := a.loadSession(w, r, cookie)
	if err != nil || cur != nil {
		return cur, err
	}
	return a.startSession(w, r, cookie, Session{ConversationID: newConversationID()})
}

// greet sends the greeting to a new conversation and returns the bot's
// answer; without a greeting there is nothing to say.
func (a *App) greet(ctx context.Context, conversation string) ([]Message, error) {
	if a.cfg.Greeting == "" {
		return []Message{}, nil
	}
	events, err := a.bot.HandleMessage(ctx, agent.UserMessage{ConversationID: conversation,
		Text: a.cfg.Greeting, InputChannel: InputChannel,
		Metadata: map[string]any{parleyMeta: map[string]any{"greeting": true}}})
	if err != nil {
		return nil, a.turnError(conversation, err)
	}
	return botMessages(events), nil
}

// turnError is the error of a failed turn: the bot's own reason when it is
// unavailable, else a 500 whose detail is logged.
func (a *App) turnError(conversation string, err error) error {
	if errors.Is(err, ErrUnavailable) {
		return err
	}
	return &httpError{status: http.StatusInternalServerError, err: err,
		message: "The bot could not answer this message. Try again, or start over."}
}

// readChatRequest reads and checks the body of POST /api/chat. Only JSON
// is accepted, which no plain HTML form can send.
func readChatRequest(r *http.Request) (chatRequest, error) {
	var req chatRequest
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/json" {
		return req, userError(http.StatusUnsupportedMediaType,
			"Send the message as JSON: {\"message\": \"...\"}.")
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return req, err
		}
		return req, userError(http.StatusBadRequest, "The request body is not valid JSON.")
	}
	req.Message = strings.TrimSpace(req.Message)
	switch {
	case req.Message == "":
		return req, userError(http.StatusBadRequest, "Type a message first.")
	case utf8.RuneCountInString(req.Message) > maxMessageRunes ||
		utf8.RuneCountInString(req.Title) > maxMessageRunes:
		return req, userError(http.StatusRequestEntityTooLarge, "The message is too long.")
	case !utf8.ValidString(req.Message) || !utf8.ValidString(req.Title):
		return req, userError(http.StatusBadRequest, "The message is not valid UTF-8.")
	}
	return req, nil
}
