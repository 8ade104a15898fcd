package web

import (
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/model"
)

// maxListed caps the conversations listed on one inspector page.
const maxListed = 50

// mountInspector adds /inspect and its pages; none may be framed.
func (a *App) mountInspector(mux *http.ServeMux) {
	const none = "'none'"
	a.route(mux, "GET "+loginPath, none, a.page(a.loginForm))
	a.route(mux, "POST "+loginPath, none, a.page(a.login))
	a.route(mux, "POST /inspect/logout", none, a.page(a.logout))
	list := a.page(a.requireUser(a.conversations, false))
	a.route(mux, "GET /inspect", none, list)
	a.route(mux, "GET /inspect/{$}", none, list)
	a.route(mux, "GET /inspect/conversations/{id}", none,
		a.page(a.requireUser(a.conversation, false)))
	a.route(mux, "GET /inspect/reports", none, a.page(a.requireUser(a.reports, false)))
	a.route(mux, "GET /inspect/results/{file}", none,
		a.page(a.requireUser(a.resultFile, false)))
	a.route(mux, "POST /inspect/retrain", none, a.api(a.requireUser(a.startRetrain, true)))
	a.route(mux, "GET /inspect/retrain", none, a.api(a.requireUser(a.retrainStatus, true)))
}

// modelInfo describes the model in use.
type modelInfo struct {
	File      string
	ID        string
	TrainedAt string
	Type      string
	Language  string
}

// conversationRow is one line of the conversation list.
type conversationRow struct {
	ID       string
	Messages int
	Last     string
	LastText string
}

// listPage fills inspect.html.
type listPage struct {
	base
	Query         string
	Conversations []conversationRow
	Matched       int
	Model         *modelInfo
	CanRetrain    bool
	Retrain       RetrainState
}

// inspectorBase returns the common fields of an inspector page.
func (a *App) inspectorBase(r *http.Request, title string) base {
	b := a.base(r, title)
	b.User = requestUser(r)
	return b
}

// conversations answers GET /inspect: the model, retrain, and the
// conversations newest first, filtered by ?q= (part of the id).
func (a *App) conversations(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	ids, err := a.trackers.Conversations(r.Context())
	if err != nil {
		return err
	}
	page := listPage{base: a.inspectorBase(r, "Inspector"), Query: q,
		Model: a.modelInfo(), CanRetrain: a.cfg.Train != nil, Retrain: a.retrain.snapshot()}
	for _, id := range ids {
		if q != "" && !strings.Contains(strings.ToLower(id), strings.ToLower(q)) {
			continue
		}
		page.Matched++
		if len(page.Conversations) >= maxListed {
			continue
		}
		events, err := a.trackers.Load(r.Context(), id)
		if err != nil {
			return err
		}
		page.Conversations = append(page.Conversations, summarize(id, events))
	}
	a.pages.render(w, http.StatusOK, "inspect.html", page)
	return nil
}

// summarize returns the list line of a conversation.
func summarize(id string, events []event.Event) conversationRow {
	row := conversationRow{ID: id}
	for _, ev := range events {
		if ev.Type == event.User {
			row.Messages++
			row.LastText = ev.Text
		}
	}
	if n := len(events); n > 0 {
		row.Last = formatTime(events[n-1].Timestamp)
	}
	return row
}

// modelInfo describes the bot's model, or nil without one.
func (a *App) modelInfo() *modelInfo {
	if a.bot == nil {
		return nil
	}
	m := a.bot.Model()
	if m == nil {
		return nil
	}
	return &modelInfo{File: filepath.Base(m.Path), ID: m.Metadata.ModelID,
		TrainedAt: formatTime(m.Metadata.TrainedAt), Type: trainingType(m.Metadata.TrainingType),
		Language: m.Metadata.Language}
}

// trainingType says which parts a model has, in words.
func trainingType(t model.TrainingType) string {
	switch t {
	case model.TrainNLU:
		return "NLU only"
	case model.TrainCore:
		return "dialogue only"
	}
	return "NLU and dialogue"
}

// conversationPage fills conversation.html.
type conversationPage struct {
	base
	ID    string
	Turns []turnView
	Model *modelInfo
}

// conversation answers GET /inspect/conversations/{id}: every turn.
func (a *App) conversation(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	events, err := a.trackers.Load(r.Context(), id)
	if err != nil {
		return err
	}
	if len(events) == 0 {
		return userError(http.StatusNotFound, "There is no conversation with that id.")
	}
	a.pages.render(w, http.StatusOK, "conversation.html", conversationPage{
		base: a.inspectorBase(r, "Conversation "+id), ID: id, Turns: buildTurns(events),
		Model: a.modelInfo()})
	return nil
}

// formatTime writes a Rasa timestamp (unix seconds) in UTC.
func formatTime(ts float64) string {
	if ts <= 0 {
		return ""
	}
	sec := int64(ts)
	t := time.Unix(sec, int64((ts-float64(sec))*1e9)).UTC()
	return t.Format("2006-01-02 15:04:05 UTC")
}
