package storytest

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/parley-chat/parley/internal/plot"
)

// ConfusionMatrixFile is the action confusion matrix `rasa test core`
// writes beside story_report.json.
const ConfusionMatrixFile = "story_confusion_matrix.png"

// WritePlots writes the confusion matrix of the predicted against the
// expected actions into dir, creating it if needed. A report without
// action predictions writes nothing.
func (r *Report) WritePlots(dir string) error {
	if len(r.Actions) == 0 {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("storytest: results folder: %w", err)
	}
	truth := make([]string, len(r.Actions))
	pred := make([]string, len(r.Actions))
	for i, a := range r.Actions {
		truth[i], pred[i] = a.Action, a.Predicted
	}
	labels, counts := plot.CountPairs(truth, pred)
	img, err := plot.ConfusionMatrix("Action confusion matrix (colour: square root of the count)",
		labels, counts)
	if err != nil {
		return fmt.Errorf("storytest: action confusion matrix: %w", err)
	}
	if err := plot.Save(filepath.Join(dir, ConfusionMatrixFile), img); err != nil {
		return fmt.Errorf("storytest: %w", err)
	}
	return nil
}
