package web

import (
	"context"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/parley-chat/parley/internal/model"
)

// RetrainState is the inspector's view of a retraining, as GET
// /inspect/retrain answers it.
type RetrainState struct {
	Running  bool   `json:"running"`
	Stage    string `json:"stage,omitempty"`
	Done     int    `json:"done"`
	Total    int    `json:"total"`
	Error    string `json:"error,omitempty"`
	Model    string `json:"model,omitempty"`
	Started  string `json:"started,omitempty"`
	Finished string `json:"finished,omitempty"`
}

// retrainJob is the one retraining the inspector may run at a time.
type retrainJob struct {
	mu    sync.Mutex
	state RetrainState
}

// begin marks a retraining as started, or reports false when one runs.
func (j *retrainJob) begin(now time.Time) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.state.Running {
		return false
	}
	j.state = RetrainState{Running: true, Stage: "starting",
		Started: now.UTC().Format(time.RFC3339)}
	return true
}

// progress records the stage of the running training.
func (j *retrainJob) progress(stage string, done, total int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.state.Stage, j.state.Done, j.state.Total = stage, done, total
}

// finish records the end of the training.
func (j *retrainJob) finish(m *model.Model, err error, now time.Time) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.state.Running = false
	j.state.Finished = now.UTC().Format(time.RFC3339)
	if err != nil {
		j.state.Stage, j.state.Error = "failed", err.Error()
		return
	}
	j.state.Stage, j.state.Done, j.state.Total = "done", 1, 1
	j.state.Model = filepath.Base(m.Path)
}

// snapshot returns a copy of the state.
func (j *retrainJob) snapshot() RetrainState {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.state
}

// startRetrain answers POST /inspect/retrain: it starts training in the
// background (202) and the page polls GET /inspect/retrain for progress.
func (a *App) startRetrain(w http.ResponseWriter, r *http.Request) error {
	if a.cfg.Train == nil {
		return userError(http.StatusConflict, "Retraining needs the project: start the "+
			"server with `parley run` inside the project folder.")
	}
	if !a.retrain.begin(a.cfg.Clock()) {
		return userError(http.StatusConflict, "A training is already running.")
	}
	a.log.Info("retraining started from the inspector", "user", requestUser(r))
	go a.runRetrain(context.WithoutCancel(r.Context()))
	writeJSON(w, http.StatusAccepted, a.retrain.snapshot())
	return nil
}

// runRetrain trains, puts the new model in use and records the outcome.
func (a *App) runRetrain(ctx context.Context) {
	m, err := a.cfg.Train(ctx, a.retrain.progress)
	if err == nil && m == nil {
		err = ErrNoModelTrained
	}
	if err != nil {
		a.log.Error("retraining from the inspector failed", "error", err.Error())
	} else {
		a.bot.SetModel(m)
		a.log.Info("retraining from the inspector done", "model", m.Path)
	}
	a.retrain.finish(m, err, a.cfg.Clock())
}

// retrainStatus answers GET /inspect/retrain with the RetrainState.
func (a *App) retrainStatus(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, a.retrain.snapshot())
	return nil
}
