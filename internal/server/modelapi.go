package server

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/parley-chat/parley/internal/model"
)

// defaultSenderID is the conversation id of /model/predict's temporary
// tracker, as Rasa's.
const defaultSenderID = "default"

// modelPredict answers POST /model/predict: the events form a temporary
// tracker whose next action is predicted; nothing is stored.
func (s *Server) modelPredict(w http.ResponseWriter, r *http.Request) error {
	events, err := readEvents(r, true)
	if err != nil {
		return err
	}
	v, err := verbosity(r)
	if err != nil {
		return err
	}
	a, err := s.conversationAgent()
	if err != nil {
		return err
	}
	if cur, _ := s.ready(); cur != nil && cur.model.Policies == nil {
		return conflict("The loaded model has no dialogue part; train a full model " +
			"with `parley train`.")
	}
	return writeForecast(w, a, a.TemporaryTracker(defaultSenderID, events), v)
}

// loadRequest is the body of PUT /model.
type loadRequest struct {
	ModelFile     string          `json:"model_file"`
	ModelServer   json.RawMessage `json:"model_server"`
	RemoteStorage string          `json:"remote_storage"`
}

// loadModel answers PUT /model: loads a local archive (or the newest one
// of a folder). Model servers and remote storage are refused with 400.
func (s *Server) loadModel(w http.ResponseWriter, r *http.Request) error {
	var req loadRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	switch {
	case len(req.ModelServer) > 0 && string(req.ModelServer) != "null":
		return badParam("model_server", "body", "Parley does not pull models from a model "+
			"server; copy the archive next to the server and give its path as model_file.")
	case req.RemoteStorage != "":
		return badParam("remote_storage", "body", "Parley does not load models from %s; "+
			"copy the archive next to the server and give its path as model_file.",
			req.RemoteStorage)
	case req.ModelFile == "":
		return badParam("model_file", "body", "No path to model file defined in request body.")
	}
	path := req.ModelFile
	if !filepath.IsAbs(path) && s.opts.ModelsDir != "" {
		if _, err := os.Stat(path); err != nil {
			path = filepath.Join(s.opts.ModelsDir, path)
		}
	}
	resolved, err := model.Resolve(path, s.log)
	if err != nil {
		return badParam("model", "query", "Agent with name '%s' could not be loaded: %v.",
			req.ModelFile, err)
	}
	m, err := model.Load(resolved)
	if err != nil {
		return badParam("model", "query", "Agent with name '%s' could not be loaded: %v.",
			req.ModelFile, err)
	}
	s.choose()
	s.SetModel(m)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// unloadModel answers DELETE /model.
func (s *Server) unloadModel(w http.ResponseWriter, _ *http.Request) error {
	s.choose()
	s.UnloadModel()
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// domain answers GET /domain as JSON (also without Accept) or YAML, as the
// Accept header asks; 406 for anything else.
func (s *Server) domain(w http.ResponseWriter, r *http.Request) error {
	cur, err := s.ready()
	if err != nil {
		return err
	}
	accept := r.Header.Get("Accept")
	if accept == "" {
		accept = "application/json"
	}
	d := cur.model.Domain.AsDict()
	switch {
	case strings.HasSuffix(accept, "json"):
		writeJSON(w, http.StatusOK, d)
	case strings.HasSuffix(accept, "yml") || strings.HasSuffix(accept, "yaml"):
		data, err := yaml.Marshal(d)
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/x-yaml")
		w.WriteHeader(http.StatusOK)
		w.Write(data)
	default:
		return &Error{Status: http.StatusNotAcceptable, Reason: ReasonNotAcceptable,
			Message: `Invalid Accept header. Domain can be provided as json ("Accept: ` +
				`application/json") or yml ("Accept: application/x-yaml"). Make sure you've ` +
				`set the appropriate Accept header.`}
	}
	return nil
}
