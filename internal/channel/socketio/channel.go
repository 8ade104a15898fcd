package socketio

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	sio "github.com/zishang520/socket.io/servers/socket/v3"

	"github.com/parley-chat/parley/internal/agent"
	"github.com/parley-chat/parley/internal/event"
)

// HandleFunc runs one conversation turn and returns its bot events.
type HandleFunc func(ctx context.Context, msg agent.UserMessage) ([]event.Event, error)

// queueLength is how many messages of one socket may wait for their turn.
const queueLength = 16

// Channel is a running socketio channel. Create it with New; Close it.
type Channel struct {
	cfg    Config
	handle HandleFunc
	log    *slog.Logger
	server *sio.Server
	nsp    sio.Namespace
	ctx    context.Context
	cancel context.CancelFunc

	pending pendingSockets
}

// New returns a channel that runs each user message through handle.
func New(cfg Config, handle HandleFunc, log *slog.Logger) *Channel {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	opts := sio.DefaultServerOptions()
	opts.SetServeClient(false)
	opts.SetPath(cfg.Path)
	ctx, cancel := context.WithCancel(context.Background())
	c := &Channel{cfg: cfg, handle: handle, log: log.With("channel", Name),
		server: sio.NewServer(nil, opts), ctx: ctx, cancel: cancel}
	c.nsp = c.server.Of(cfg.Namespace, nil)
	// The events are wired in a middleware, which runs before the client
	// learns it is connected: a "connection" listener could miss the
	// client's first event.
	c.nsp.Use(func(s *sio.Socket, next func(*sio.ExtendedError)) {
		c.connect(s)
		done := c.pending.add(s.Id())
		next(nil)
		c.awaitConnected(s, done)
	})
	_ = c.nsp.On("connection", func(args ...any) {
		if s, ok := first[*sio.Socket](args); ok {
			c.pending.done(s.Id())
		}
	})
	return c
}

// connectWait bounds how long a socket's reader is held in awaitConnected.
const connectWait = 10 * time.Second

// awaitConnected holds the reader of s until the library has filed s under
// its namespace. The library writes the CONNECT packet first and files the
// socket after, on another goroutine; a client that emits at once (as
// socket.io-client does on "connect") could otherwise be read in between,
// and the library closes a connection whose event names no known socket.
// The middleware runs on the reader, so returning later delays the
// client's next packet, not the connection.
func (c *Channel) awaitConnected(s *sio.Socket, done <-chan struct{}) {
	defer c.pending.forget(s.Id())
	select {
	case <-done:
	case <-c.ctx.Done():
	case <-time.After(connectWait):
		c.log.Warn("a socket was not connected in time; its first messages may be lost",
			"sid", string(s.Id()))
	}
}

// pendingSockets are the sockets that passed the middleware and whose
// "connection" event has not fired yet.
type pendingSockets struct {
	mu sync.Mutex
	m  map[sio.SocketId]chan struct{}
}

func (p *pendingSockets) add(id sio.SocketId) <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[sio.SocketId]chan struct{}{}
	}
	ch := make(chan struct{})
	p.m[id] = ch
	return ch
}

func (p *pendingSockets) done(id sio.SocketId) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ch, ok := p.m[id]; ok {
		close(ch)
		delete(p.m, id)
	}
}

func (p *pendingSockets) forget(id sio.SocketId) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.m, id)
}

// Path is where the channel is served, e.g. /socket.io.
func (c *Channel) Path() string { return c.cfg.Path }

// Handler serves the Socket.IO protocol under Path.
func (c *Channel) Handler() http.Handler { return c.server.ServeHandler(nil) }

// Close disconnects every client and stops the turns under way.
func (c *Channel) Close() {
	c.cancel()
	c.server.Close(nil)
}

// Send emits the bot messages of events to the conversation's clients (the
// room named after the conversation id).
func (c *Channel) Send(_ context.Context, conversationID string, events []event.Event) error {
	for _, m := range Messages(events) {
		if err := c.nsp.To(sio.Room(conversationID)).Emit(c.cfg.BotMessageEvt, m); err != nil {
			return err
		}
	}
	return nil
}

// client is one connected socket and the queue of its messages, handled
// one at a time in the order they came.
type client struct {
	c      *Channel
	s      *sio.Socket
	queue  chan map[string]any
	closed chan struct{}
}

// connect wires the events of a new socket.
func (c *Channel) connect(s *sio.Socket) {
	cl := &client{c: c, s: s, queue: make(chan map[string]any, queueLength),
		closed: make(chan struct{})}
	c.log.Debug("socket connected", "sid", string(s.Id()))
	go cl.run()
	_ = s.On("session_request", func(args ...any) { cl.sessionRequest(args) })
	_ = s.On(c.cfg.UserMessageEvt, func(args ...any) {
		data, _ := first[map[string]any](args)
		select {
		case cl.queue <- data:
		case <-cl.closed:
		default:
			c.log.Warn("a socket sent messages faster than the bot answers; one was dropped",
				"sid", string(s.Id()))
		}
	})
	var once sync.Once
	_ = s.On("disconnect", func(...any) { once.Do(func() { close(cl.closed) }) })
}

// sessionRequest answers session_request: the client's session id, or a
// new one, is confirmed; with session persistence the socket joins the
// session's room so that replies reach it.
func (cl *client) sessionRequest(args []any) {
	data, _ := first[map[string]any](args)
	id, _ := data["session_id"].(string)
	cl.c.log.Debug("session_request", "sid", string(cl.s.Id()), "session", id)
	if id == "" {
		id = newSessionID()
	}
	cl.confirm(id)
}

func (cl *client) confirm(id string) {
	if cl.c.cfg.SessionPersistence {
		cl.s.Join(sio.Room(id))
	}
	_ = cl.s.Emit("session_confirm", id)
}

// run handles the socket's messages until it disconnects.
func (cl *client) run() {
	for {
		select {
		case data := <-cl.queue:
			cl.message(data)
		case <-cl.closed:
			return
		case <-cl.c.ctx.Done():
			return
		}
	}
}

// message runs one user message and emits the bot's replies.
func (cl *client) message(data map[string]any) {
	sender := string(cl.s.Id())
	if cl.c.cfg.SessionPersistence {
		sender, _ = data["session_id"].(string)
		if sender == "" {
			// Rasa drops such a message; Parley gives the socket a session
			// of its own instead, never a shared default conversation.
			sender = newSessionID()
			cl.c.log.Warn("a message came without session_id although session persistence "+
				"is on; the socket got a new session", "sid", string(cl.s.Id()), "session", sender)
			cl.confirm(sender)
		}
	}
	text, _ := data["message"].(string)
	msg := agent.UserMessage{ConversationID: sender, Text: text, InputChannel: Name,
		Metadata: metadata(data[cl.c.cfg.MetadataKey])}
	events, err := cl.c.handle(cl.c.ctx, msg)
	if err != nil {
		cl.c.log.Error("the bot could not answer a message", "conversation", sender,
			"error", err.Error())
		return
	}
	if err := cl.c.Send(cl.c.ctx, sender, events); err != nil {
		cl.c.log.Warn("could not emit a reply", "conversation", sender, "error", err.Error())
	}
}

// metadata reads customData: an object, or a JSON object in a string.
func metadata(v any) map[string]any {
	switch x := v.(type) {
	case map[string]any:
		return x
	case string:
		var m map[string]any
		if json.Unmarshal([]byte(x), &m) == nil {
			return m
		}
	}
	return nil
}

// first returns args[0] as a T.
func first[T any](args []any) (T, bool) {
	var zero T
	if len(args) == 0 {
		return zero, false
	}
	v, ok := args[0].(T)
	return v, ok
}

func newSessionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
