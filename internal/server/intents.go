package server

import (
	"context"
	"net/http"

	"github.com/parley-chat/parley/internal/nlu/evaluate"
	"github.com/parley-chat/parley/internal/project"
)

// intentPrediction is one example of the intent evaluation.
type intentPrediction struct {
	Text       string  `json:"text"`
	Intent     string  `json:"intent"`
	Predicted  *string `json:"predicted"`
	Confidence float64 `json:"confidence"`
}

// intentEvaluation is the intent part of /model/test/intents.
type intentEvaluation struct {
	Predictions []intentPrediction      `json:"predictions"`
	Report      evaluate.Classification `json:"report"`
	Precision   float64                 `json:"precision"`
	F1          float64                 `json:"f1_score"`
	Accuracy    float64                 `json:"accuracy"`
	Errors      []evaluate.IntentError  `json:"errors"`
}

// entityEvaluation is one extractor's part of /model/test/intents.
type entityEvaluation struct {
	Report    evaluate.Classification `json:"report"`
	Precision float64                 `json:"precision"`
	F1        float64                 `json:"f1_score"`
	Errors    []evaluate.EntityError  `json:"errors"`
}

// intentsAnswer is the answer of /model/test/intents.
type intentsAnswer struct {
	Intent            *intentEvaluation           `json:"intent_evaluation"`
	Entity            map[string]entityEvaluation `json:"entity_evaluation"`
	ResponseSelection any                         `json:"response_selection_evaluation"`
}

// evaluateIntents parses the examples with the loaded model's NLU and
// answers with the intent and entity evaluations.
func (s *Server) evaluateIntents(ctx context.Context, w http.ResponseWriter, cur *loaded,
	examples []project.Example) error {
	rep, err := evaluate.Run(ctx, cur.model.NLU, examples)
	if err != nil {
		return &Error{Status: http.StatusInternalServerError, Reason: ReasonTestingError,
			Message: "The evaluation failed: " + err.Error(), Err: err}
	}
	answer := intentsAnswer{Entity: map[string]entityEvaluation{}}
	answer.Intent = &intentEvaluation{Report: rep.Intent, Accuracy: rep.IntentAccuracy,
		Precision: rep.Intent.WeightedAvg.Precision, F1: rep.Intent.WeightedAvg.F1,
		Errors: nonNilList(rep.IntentErrors), Predictions: []intentPrediction{}}
	for _, ex := range examples {
		if ex.Intent == "" {
			continue
		}
		p := cur.model.NLU.Parse(ex.Text)
		pred := intentPrediction{Text: ex.Text, Intent: ex.Intent,
			Confidence: p.Intent.Confidence}
		if p.Intent.Name != "" {
			pred.Predicted = &p.Intent.Name
		}
		answer.Intent.Predictions = append(answer.Intent.Predictions, pred)
	}
	for _, x := range rep.Extractors {
		c := rep.Entities[x]
		answer.Entity[x] = entityEvaluation{Report: c, Precision: c.WeightedAvg.Precision,
			F1: c.WeightedAvg.F1, Errors: nonNilList(rep.EntityErrors[x])}
	}
	writeJSON(w, http.StatusOK, answer)
	return nil
}

func nonNilList[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
