package server

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/storytest"
)

// storyEvaluation is the answer of /model/test/stories.
type storyEvaluation struct {
	Report                 json.RawMessage `json:"report"`
	Precision              float64         `json:"precision"`
	F1                     float64         `json:"f1"`
	Accuracy               float64         `json:"accuracy"`
	Actions                []storyAction   `json:"actions"`
	InTrainingDataFraction float64         `json:"in_training_data_fraction"`
	IsEndToEnd             bool            `json:"is_end_to_end_evaluation"`
}

// storyAction is one predicted action of a story evaluation.
type storyAction struct {
	Action     string  `json:"action"`
	Predicted  string  `json:"predicted"`
	Policy     *string `json:"policy"`
	Confidence float64 `json:"confidence"`
}

// readDataBody reads the request body as a training-data file called name
// (its extension says YAML or JSON; "" sniffs NLU data's format).
func readDataBody(r *http.Request, name, missing string) (*project.TrainingData, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, badRequest("%s", missing)
	}
	if name == "" {
		// NLU data: Rasa NLU JSON when the body is an object, else YAML.
		name = "nlu.yml"
		if strings.HasPrefix(strings.TrimSpace(string(body)), "{") {
			name = "nlu.json"
		}
	}
	dir, err := os.MkdirTemp("", "parley-test-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, body, 0o644); err != nil {
		return nil, err
	}
	td, _, err := project.LoadDataFile(path)
	if err != nil {
		msg := strings.ReplaceAll(err.Error(), path, "request body")
		return nil, badRequest("The request body is not valid %s training data: %s",
			strings.TrimPrefix(filepath.Ext(name), "."), msg)
	}
	return td, nil
}

// testStories answers POST /model/test/stories with the evaluation of the
// test stories in the body against the loaded model.
func (s *Server) testStories(w http.ResponseWriter, r *http.Request) error {
	e2e, err := boolParam(r, "e2e", false)
	if err != nil {
		return err
	}
	cur, err := s.ready()
	if err != nil {
		return err
	}
	if cur.model.Policies == nil {
		return conflict("The loaded model has no dialogue part; train a full model first.")
	}
	td, err := readDataBody(r, "test_stories.yml", "You must provide some stories in the "+
		"request body in order to evaluate your model.")
	if err != nil {
		return err
	}
	stories := append(td.TestStories, td.Stories...)
	rep, err := storytest.Run(r.Context(), storytest.Input{Domain: cur.model.Domain,
		NLU: cur.model.NLU, Policies: cur.model.Policies, Stories: stories,
		MaxPredictions: s.opts.MaxPredictions})
	if err != nil {
		return &Error{Status: http.StatusInternalServerError, Reason: ReasonTestingError,
			Message: "The evaluation failed: " + err.Error(), Err: err}
	}
	out, err := storyAnswer(rep, e2e)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// storyAnswer builds the evaluation answer from a report.
func storyAnswer(rep *storytest.Report, e2e bool) (*storyEvaluation, error) {
	report, err := rep.StoryReportJSON()
	if err != nil {
		return nil, err
	}
	var parsed struct {
		Accuracy float64 `json:"accuracy"`
		Weighted struct {
			Precision float64 `json:"precision"`
			F1        float64 `json:"f1-score"`
		} `json:"weighted avg"`
	}
	if err := json.Unmarshal(report, &parsed); err != nil {
		return nil, err
	}
	out := &storyEvaluation{Report: json.RawMessage(report), Precision: parsed.Weighted.Precision,
		F1: parsed.Weighted.F1, Accuracy: parsed.Accuracy, IsEndToEnd: e2e,
		Actions: []storyAction{}}
	known := 0
	for _, a := range rep.Actions {
		sa := storyAction{Action: a.Action, Predicted: a.Predicted, Confidence: a.Confidence}
		if a.Policy != "" {
			sa.Policy = &a.Policy
		}
		if strings.Contains(a.Policy, "Memoization") || strings.Contains(a.Policy, "Rule") {
			known++
		}
		out.Actions = append(out.Actions, sa)
	}
	if len(rep.Actions) > 0 {
		out.InTrainingDataFraction = float64(known) / float64(len(rep.Actions))
	}
	return out, nil
}

// testIntents answers POST /model/test/intents: the NLU data of the body
// (YAML, or Rasa NLU JSON) is parsed with the loaded model and compared
// with its labels. ?model= and cross_validation_folds are refused.
func (s *Server) testIntents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if q.Get("cross_validation_folds") != "" {
		return badParam("cross_validation_folds", "query", "Parley's HTTP API does not "+
			"cross-validate; run `parley test nlu --cross-validation` instead.")
	}
	if q.Get("model") != "" {
		return badParam("model", "query", "Parley evaluates the loaded model only; load "+
			"another one with PUT /model first.")
	}
	cur, err := s.ready()
	if err != nil {
		return err
	}
	if cur.model.NLU == nil {
		return conflict("The loaded model has no NLU part; train one with NLU first.")
	}
	td, err := readDataBody(r, "", "You must provide some nlu data in the request body "+
		"in order to evaluate your model.")
	if err != nil {
		return err
	}
	if len(td.NLU.Examples) == 0 {
		return badRequest("The request body holds no NLU examples; send NLU training data " +
			"such as nlu: [{intent: greet, examples: \"- hello\"}].")
	}
	return s.maybeLater(w, r, func(ctx context.Context, w http.ResponseWriter) error {
		return s.evaluateIntents(ctx, w, cur, td.NLU.Examples)
	})
}
