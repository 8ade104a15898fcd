package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"time"
)

// Cookie names: the chat page and inspector share one; the embedded chat
// has its own, since a frame on another site needs other attributes.
const (
	chatCookie  = "parley_session"
	embedCookie = "parley_embed"
)

// How often a session's last use is written, and expired sessions purged.
const (
	touchEvery = time.Minute
	purgeEvery = time.Hour
)

// signer signs session ids with a key derived from the secret key.
type signer struct{ key []byte }

func newSigner(secret []byte) signer {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("parley web session cookie v1"))
	return signer{key: m.Sum(nil)}
}

func (s signer) mac(id string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(id))
	return m.Sum(nil)
}

// sign returns the cookie value of id: the id, a dot and its HMAC.
func (s signer) sign(id string) string {
	return id + "." + base64.RawURLEncoding.EncodeToString(s.mac(id))
}

// verify returns the id of a cookie value whose HMAC is right.
func (s signer) verify(value string) (string, bool) {
	id, sig, ok := strings.Cut(value, ".")
	if !ok || id == "" {
		return "", false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(id)) {
		return "", false
	}
	return id, true
}

// sessionKey is what the database keeps of a session id: its SHA-256.
func sessionKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// current is the session of a request, with its database key.
type current struct {
	key    string
	cookie string
	Session
}

// loadSession returns the request's session from cookie, or nil when it
// has none, a forged or outdated one, or one idle too long (deleted).
func (a *App) loadSession(w http.ResponseWriter, r *http.Request, cookie string) (
	*current, error) {
	c, err := r.Cookie(cookie)
	if err != nil {
		return nil, nil
	}
	id, ok := a.signer.verify(c.Value)
	if !ok {
		return nil, nil
	}
	ctx, now := r.Context(), a.cfg.Clock()
	a.maybePurge(ctx, now)
	cur := &current{key: sessionKey(id), cookie: cookie}
	cur.Session, err = a.store.Session(ctx, cur.key)
	if errors.Is(err, ErrNoSession) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if now.Sub(cur.LastSeen) >= a.cfg.SessionIdle {
		return nil, a.store.DeleteSession(ctx, cur.key)
	}
	if now.Sub(cur.LastSeen) >= touchEvery {
		if err := a.store.TouchSession(ctx, cur.key, now); err != nil {
			return nil, err
		}
		a.setCookie(w, r, cookie, c.Value)
	}
	return cur, nil
}

// startSession stores s under a new random id and sets its cookie.
func (a *App) startSession(w http.ResponseWriter, r *http.Request, cookie string,
	s Session) (*current, error) {
	now := a.cfg.Clock()
	a.maybePurge(r.Context(), now)
	id := rand.Text() + rand.Text()
	s.Created, s.LastSeen = now, now
	cur := &current{key: sessionKey(id), cookie: cookie, Session: s}
	if err := a.store.SaveSession(r.Context(), cur.key, s); err != nil {
		return nil, err
	}
	a.setCookie(w, r, cookie, a.signer.sign(id))
	return cur, nil
}

// rotateSession moves cur to a new id (at login and logout, so that an id
// known before cannot be used after) with its fields as they are now.
func (a *App) rotateSession(w http.ResponseWriter, r *http.Request, cur *current) (
	*current, error) {
	if err := a.store.DeleteSession(r.Context(), cur.key); err != nil {
		return nil, err
	}
	return a.startSession(w, r, cur.cookie, cur.Session)
}

// saveSession writes cur's fields back.
func (a *App) saveSession(ctx context.Context, cur *current) error {
	cur.LastSeen = a.cfg.Clock()
	return a.store.SaveSession(ctx, cur.key, cur.Session)
}

// setCookie sets a session cookie: HttpOnly, SameSite=Lax, Secure over
// HTTPS, living as long as an idle session. The embedded chat's cookie is
// SameSite=None and Partitioned over HTTPS, since a frame on another site
// gets no Lax cookies; its requests are still same-origin fetch() calls
// that the cross-origin protection lets through.
func (a *App) setCookie(w http.ResponseWriter, r *http.Request, name, value string) {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true,
		Secure: IsSecure(r), SameSite: http.SameSiteLaxMode,
		MaxAge: int(a.cfg.SessionIdle / time.Second)}
	if name == embedCookie && c.Secure {
		c.SameSite, c.Partitioned = http.SameSiteNoneMode, true
	}
	http.SetCookie(w, c)
}

// maybePurge deletes the sessions idle too long, at most once per
// purgeEvery; requests do it in passing, so no goroutine is needed.
func (a *App) maybePurge(ctx context.Context, now time.Time) {
	last := a.lastPurge.Load()
	if now.Unix()-last < int64(purgeEvery/time.Second) ||
		!a.lastPurge.CompareAndSwap(last, now.Unix()) {
		return
	}
	n, err := a.PurgeIdleSessions(ctx)
	switch {
	case err != nil:
		a.log.Warn("could not delete expired browser sessions", "error", err.Error())
	case n > 0:
		a.log.Info("deleted expired browser sessions", "sessions", n)
	}
}

// PurgeIdleSessions deletes every session unused for the idle time and
// returns how many it deleted.
func (a *App) PurgeIdleSessions(ctx context.Context) (int64, error) {
	return a.store.DeleteIdleSessions(ctx, a.cfg.Clock().Add(-a.cfg.SessionIdle))
}

// newConversationID returns a fresh, unguessable conversation id.
func newConversationID() string {
	return "web-" + strings.ToLower(rand.Text())
}
