package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/event"
)

// callbackName is the callback channel's name in credentials.yml.
const callbackName = "callback"

// callbackTimeout bounds one POST of a bot message to the callback URL.
const callbackTimeout = 30 * time.Second

// callbackChannel is Rasa's callback channel: messages come in on
// /webhooks/callback/webhook and each bot message is POSTed as JSON to the
// URL of credentials.yml.
type callbackChannel struct {
	s      *Server
	url    string
	client *http.Client
}

// newCallbackChannel reads {url: ...} from credentials.yml.
func newCallbackChannel(creds map[string]any, s *Server) (*callbackChannel, error) {
	raw, _ := creds["url"].(string)
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("callback: url must be an http(s) URL such as "+
			"http://localhost:5034/bot, not %q", raw)
	}
	return &callbackChannel{s: s, url: raw, client: &http.Client{Timeout: callbackTimeout}}, nil
}

// webhook runs one turn and answers "success"; the replies go to the URL.
func (c *callbackChannel) webhook(w http.ResponseWriter, r *http.Request) error {
	var req restRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	sender, err := senderID(req.Sender)
	if err != nil {
		return err
	}
	text := ""
	if req.Message != nil {
		text = *req.Message
	}
	events, err := c.s.converse(r.Context(), agent.UserMessage{ConversationID: sender,
		Text: text, InputChannel: callbackName, Metadata: req.Metadata})
	if err != nil {
		return turnError(r, err)
	}
	if err := c.Send(r.Context(), sender, events); err != nil {
		c.s.log.Error("the callback URL did not take the bot's messages", "url", c.url,
			"conversation", sender, "error", err.Error())
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte("success"))
	return nil
}

// Send POSTs each bot message of events to the callback URL.
func (c *callbackChannel) Send(ctx context.Context, id string, events []event.Event) error {
	for _, m := range BotMessages(id, events) {
		if err := postJSON(ctx, c.client, c.url, m); err != nil {
			return err
		}
	}
	return nil
}

// postJSON POSTs v as JSON to target and wants a 2xx answer.
func postJSON(ctx context.Context, client *http.Client, target string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return postBody(ctx, client, target, "application/json", data)
}

// postBody POSTs a body to target and wants a 2xx answer.
func postBody(ctx context.Context, client *http.Client, target, contentType string,
	body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: status %d", target, res.StatusCode)
	}
	return nil
}
