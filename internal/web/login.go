package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// loginPath is the inspector's login page.
const loginPath = "/inspect/login"

// loginPage fills login.html.
type loginPage struct {
	base
	Next  string
	Name  string
	Error string
}

// userKey carries the logged-in user in a request's context.
const userKey ctxKey = 1

// requestUser returns the inspector user of a request behind requireUser.
func requestUser(r *http.Request) string {
	u, _ := r.Context().Value(userKey).(string)
	return u
}

// requireUser lets only logged-in inspector users reach h. Others are sent
// to the login page (pages) or get 401 (the JSON endpoints).
func (a *App) requireUser(h handlerFunc, isAPI bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Cache-Control", "no-store")
		cur, err := a.loadSession(w, r, chatCookie)
		if err != nil {
			return err
		}
		if cur == nil || cur.User == "" {
			if isAPI {
				return userError(http.StatusUnauthorized, "Log in to the inspector first.")
			}
			next := url.QueryEscape(r.URL.RequestURI())
			http.Redirect(w, r, loginPath+"?next="+next, http.StatusSeeOther)
			return nil
		}
		return h(w, r.WithContext(context.WithValue(r.Context(), userKey, cur.User)))
	}
}

// loginForm answers GET /inspect/login.
func (a *App) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	cur, err := a.loadSession(w, r, chatCookie)
	if err != nil {
		return err
	}
	if cur != nil && cur.User != "" {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	w.Header().Set("Cache-Control", "no-store")
	a.pages.render(w, http.StatusOK, "login.html",
		loginPage{base: a.base(r, "Log in"), Next: next})
	return nil
}

// login answers POST /inspect/login: on success the session moves to a
// new id that carries the user; failures count towards the throttle.
func (a *App) login(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return userError(http.StatusBadRequest, "The login form could not be read.")
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	page := loginPage{base: a.base(r, "Log in"), Name: name,
		Next: safeNext(r.PostForm.Get("next"))}
	addr := ClientAddr(r)
	wait, err := a.throttle.wait(r.Context(), a.store, name, addr)
	if err != nil {
		return err
	}
	if wait > 0 {
		return a.tooManyLogins(w, page, wait)
	}
	ok, err := verifyUser(r.Context(), a.store, name, r.PostForm.Get("password"))
	if err != nil {
		return err
	}
	if !ok {
		a.log.Warn("failed inspector login", "user", name, "client", addr)
		wait, err := a.throttle.failed(r.Context(), a.store, name, addr)
		if err != nil {
			return err
		}
		if err := a.throttle.purge(r.Context(), a.store); err != nil {
			a.log.Warn("old login throttle records were not removed", "error", err.Error())
		}
		if wait > 0 {
			return a.tooManyLogins(w, page, wait)
		}
		page.Error = "Wrong user name or password."
		w.Header().Set("Cache-Control", "no-store")
		a.pages.render(w, http.StatusUnauthorized, "login.html", page)
		return nil
	}
	if err := a.throttle.succeeded(r.Context(), a.store, name, addr); err != nil {
		return err
	}
	if err := a.logIn(w, r, normalUser(name)); err != nil {
		return err
	}
	a.log.Info("inspector login", "user", normalUser(name), "client", addr)
	http.Redirect(w, r, page.Next, http.StatusSeeOther)
	return nil
}

// logIn gives the browser a new session id that carries user, keeping
// its conversation.
func (a *App) logIn(w http.ResponseWriter, r *http.Request, user string) error {
	cur, err := a.loadSession(w, r, chatCookie)
	if err != nil {
		return err
	}
	if cur == nil {
		_, err := a.startSession(w, r, chatCookie,
			Session{ConversationID: newConversationID(), User: user})
		return err
	}
	cur.User = user
	_, err = a.rotateSession(w, r, cur)
	return err
}

// tooManyLogins answers 429 with Retry-After in whole seconds.
func (a *App) tooManyLogins(w http.ResponseWriter, page loginPage, wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.Header().Set("Cache-Control", "no-store")
	page.Error = fmt.Sprintf("Too many failed logins. Try again in %s.", humanWait(secs))
	a.pages.render(w, http.StatusTooManyRequests, "login.html", page)
	return nil
}

// humanWait says a number of seconds in words.
func humanWait(secs int) string {
	switch {
	case secs < 90:
		return fmt.Sprintf("%d seconds", secs)
	case secs < 90*60:
		return fmt.Sprintf("%d minutes", (secs+59)/60)
	}
	return fmt.Sprintf("%d hours", (secs+3599)/3600)
}

// logout answers POST /inspect/logout: the user leaves the session, which
// moves to a new id.
func (a *App) logout(w http.ResponseWriter, r *http.Request) error {
	cur, err := a.loadSession(w, r, chatCookie)
	if err != nil {
		return err
	}
	if cur != nil && cur.User != "" {
		a.log.Info("inspector logout", "user", cur.User, "client", ClientAddr(r))
		cur.User = ""
		if _, err := a.rotateSession(w, r, cur); err != nil {
			return err
		}
	}
	http.Redirect(w, r, loginPath, http.StatusSeeOther)
	return nil
}

// safeNext returns next when it is a path inside the inspector, else
// /inspect, so that the login never sends anyone to another site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil ||
		!strings.HasPrefix(next, "/inspect") || strings.ContainsAny(next, "\\\r\n") ||
		strings.HasPrefix(next, loginPath) {
		return "/inspect"
	}
	return next
}
