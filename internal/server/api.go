package server

import (
	"net/http"
	"path/filepath"
	"strings"

	"github.com/parley-chat/parley/internal/actionclient"
	"github.com/parley-chat/parley/internal/modelsync"
)

// versionBody is the answer of GET /version.
type versionBody struct {
	Version                  string `json:"version"`
	MinimumCompatibleVersion string `json:"minimum_compatible_version"`
}

// version answers GET /version.
func (s *Server) version(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, versionBody{Version: parleyVersion,
		MinimumCompatibleVersion: minimumCompatibleVersion})
	return nil
}

// parseRequest is the body of POST /model/parse.
type parseRequest struct {
	Text      *string `json:"text"`
	MessageID string  `json:"message_id"`
}

// emptyParse is the answer for a message with no text: no intent.
type emptyParse struct {
	Text          string  `json:"text"`
	Intent        nullInt `json:"intent"`
	Entities      []any   `json:"entities"`
	IntentRanking []any   `json:"intent_ranking"`
	TextTokens    [][]int `json:"text_tokens"`
}

// nullInt is an intent whose name is null.
type nullInt struct {
	Name       *string `json:"name"`
	Confidence float64 `json:"confidence"`
}

// parse answers POST /model/parse with the NLU parse of {"text": ...}.
func (s *Server) parse(w http.ResponseWriter, r *http.Request) error {
	if mode := r.URL.Query().Get("emulation_mode"); mode != "" {
		return badRequest("emulation_mode=%s is not supported by Parley: it answers in "+
			"Rasa's own format only.", mode)
	}
	var req parseRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Text == nil {
		return badRequest(`The request body has no "text": send {"text": "<message>"}.`)
	}
	cur, err := s.ready()
	if err != nil {
		return err
	}
	if cur.parser == nil {
		return &Error{Status: http.StatusConflict, Reason: ReasonConflict,
			Message: "The loaded model has no NLU part (it was trained with `parley train " +
				"core`); train one with NLU using `parley train` or `parley train nlu`."}
	}
	writeJSON(w, http.StatusOK, ParseAnswer(cur.parser, *req.Text))
	return nil
}

// ParseAnswer is the parse of text as /model/parse answers it: a message
// with no text (empty or only spaces) has a null intent with confidence 0
// and never reaches the NLU pipeline.
func ParseAnswer(p Parser, text string) any {
	if strings.TrimSpace(text) == "" {
		return emptyParse{Text: text, Entities: []any{}, IntentRanking: []any{},
			TextTokens: [][]int{}}
	}
	return p.Parse(text)
}

// statusBody is the answer of GET /status.
type statusBody struct {
	ModelFile             *string `json:"model_file"`
	ModelID               *string `json:"model_id"`
	Fingerprint           *string `json:"fingerprint"`
	NumActiveTrainingJobs int     `json:"num_active_training_jobs"`
	// ActionServer is the state of the custom actions' server.
	ActionServer *actionclient.Status `json:"action_server,omitempty"`
	// The model server's state and the replicas seen (ops.go).
	modelsync.Status
}

// status answers GET /status. Without a model it is a 409, as in Rasa,
// except while a model is being trained: then the file and id are null.
func (s *Server) status(w http.ResponseWriter, _ *http.Request) error {
	body := statusBody{NumActiveTrainingJobs: s.Training()}
	body.ActionServer = actionclient.StatusOf(s.opts.Runner)
	cur := s.current.Load()
	if cur == nil && body.NumActiveTrainingJobs == 0 {
		_, err := s.ready()
		return err
	}
	if cur != nil {
		file := filepath.Base(cur.model.Path)
		id := cur.model.Metadata.ModelID
		body.ModelFile, body.ModelID = &file, &id
	}
	s.statusOps(&body, cur)
	writeJSON(w, http.StatusOK, body)
	return nil
}
