package replicas

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Script is what every simulated user says to the starter bot, in order:
// greetings, moods, answers, a name, a goodbye. A conversation of more
// messages starts the script again.
var Script = []string{
	"hello", "I am feeling sad", "yes", "hi there", "I feel great",
	"are you a bot?", "my name is Anna", "not really", "good morning", "bye",
}

// Plan says what RunConversations sends.
type Plan struct {
	// URL is the REST channel's webhook.
	URL string
	// Prefix starts every conversation id.
	Prefix string
	// Conversations run at once, each sending Messages messages.
	Conversations, Messages int
	// Burst, when above 1, makes every fourth conversation send Burst
	// messages at once (from the fourth on) instead of one after the
	// other.
	Burst int
	// Retry resends a message whose request got no answer from Parley
	// (a failed connection, or 502, 503 or 504 from NGINX), as a user
	// presses send again; otherwise the first answer is final.
	Retry bool
}

// maxTries bounds how often one message is sent when Retry is set.
const maxTries = 20

// retryPause is how long a client waits before sending again.
const retryPause = 200 * time.Millisecond

// Attempt is one request for a message that did not succeed.
type Attempt struct {
	Status int    // 0 when no answer came
	Err    string // the transport error, if any
}

// Sent is one user message and what became of it.
type Sent struct {
	Conversation string
	Seq          int
	Text         string
	// Group is the message's place in the sending order; the messages of
	// a burst share one, as their order among themselves is not known.
	Group int
	// Failed are the attempts before the final one.
	Failed []Attempt
	// Status is the final attempt's status (0: no answer), Err its
	// transport error.
	Status int
	Err    string
	// Reply is the final answer's bot messages, as SendTurn's tokens.
	Reply   []string
	Latency time.Duration
}

// Load is a RunConversations in progress.
type Load struct {
	plan      Plan
	client    *http.Client
	completed atomic.Int64
	wg        sync.WaitGroup
	sent      map[string][]*Sent
	started   time.Time
	elapsed   time.Duration
}

// RunConversations starts sending the plan's messages and returns at once;
// Wait returns the outcome.
func RunConversations(ctx context.Context, plan Plan) *Load {
	l := &Load{plan: plan, client: NewClient(plan.Conversations * 2),
		sent: map[string][]*Sent{}, started: time.Now()}
	for c := range plan.Conversations {
		id := fmt.Sprintf("%s%03d", plan.Prefix, c)
		bursty := c%4 == 0 && plan.Burst > 1
		msgs := make([]*Sent, plan.Messages)
		for i := range msgs {
			g := i
			if bursty && i >= burstStart && i < burstStart+plan.Burst {
				g = burstStart
			}
			msgs[i] = &Sent{Conversation: id, Seq: i, Text: Script[i%len(Script)], Group: g}
		}
		l.sent[id] = msgs
		l.wg.Go(func() { l.converse(ctx, msgs) })
	}
	return l
}

// NewClient is an HTTP client that keeps up to conns connections open.
func NewClient(conns int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = conns, conns
	return &http.Client{Transport: tr, Timeout: 2 * time.Minute}
}

// burstStart is the first message of a burst.
const burstStart = 3

// converse sends one conversation's messages group by group, the
// messages of a group at once.
func (l *Load) converse(ctx context.Context, msgs []*Sent) {
	for i := 0; i < len(msgs); {
		end := i + 1
		for end < len(msgs) && msgs[end].Group == msgs[i].Group {
			end++
		}
		var wg sync.WaitGroup
		for _, m := range msgs[i:end] {
			wg.Go(func() { l.deliver(ctx, m) })
		}
		wg.Wait()
		i = end
	}
}

// deliver sends one message, again while the plan says so.
func (l *Load) deliver(ctx context.Context, m *Sent) {
	defer l.completed.Add(1)
	for try := 1; ; try++ {
		start := time.Now()
		status, reply, err := SendTurn(ctx, l.client, l.plan.URL, m.Conversation, m.Text,
			map[string]any{"seq": m.Seq})
		m.Latency = time.Since(start)
		m.Status, m.Reply, m.Err = status, reply, ""
		if err != nil {
			m.Err = err.Error()
		}
		again := l.plan.Retry && noAnswer(status) && try < maxTries && ctx.Err() == nil
		if !again {
			return
		}
		m.Failed = append(m.Failed, Attempt{Status: status, Err: m.Err})
		time.Sleep(retryPause)
	}
}

// noAnswer reports whether a status says that Parley did not answer: no
// connection (0), or NGINX's 502, 503 or 504.
func noAnswer(status int) bool {
	switch status {
	case 0, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// Completed is how many messages have had their final answer.
func (l *Load) Completed() int64 { return l.completed.Load() }

// Wait waits for every conversation and returns the messages sent, by
// conversation id in order of Seq.
func (l *Load) Wait() map[string][]*Sent {
	l.wg.Wait()
	l.elapsed = time.Since(l.started)
	l.client.CloseIdleConnections()
	return l.sent
}

// Elapsed is the time from the start to the end of Wait.
func (l *Load) Elapsed() time.Duration { return l.elapsed }

// botMessage is one message of the REST channel's answer.
type botMessage struct {
	RecipientID string `json:"recipient_id"`
	Text        string `json:"text"`
	Image       any    `json:"image"`
}

// SendTurn posts one message to the REST webhook at url and returns the
// status and the answer's messages as tokens: "text:<text>" or
// "image:<url>", each prefixed by "to <recipient>: " when the recipient is
// not the sender. A status other than 200 is returned with a nil error.
func SendTurn(ctx context.Context, client *http.Client, url, sender, text string,
	metadata map[string]any) (int, []string, error) {
	body, err := json.Marshal(map[string]any{"sender": sender, "message": text,
		"metadata": metadata})
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil, err
	}
	var msgs []botMessage
	if err := json.Unmarshal(data, &msgs); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("the answer is not the REST channel's JSON: %w: %s",
			err, data)
	}
	return resp.StatusCode, replyTokens(sender, msgs), nil
}

// replyTokens turns an answer's messages into tokens.
func replyTokens(sender string, msgs []botMessage) []string {
	out := []string{}
	for _, m := range msgs {
		to := ""
		if m.RecipientID != sender {
			to = "to " + m.RecipientID + ": "
		}
		if m.Text != "" {
			out = append(out, to+"text:"+m.Text)
		}
		if m.Image != nil {
			out = append(out, to+fmt.Sprintf("image:%v", m.Image))
		}
	}
	return out
}
