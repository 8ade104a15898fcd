package storytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/parley-chat/parley/internal/event"
)

// Report file names, as Rasa writes them.
const (
	StoryReportFile  = "story_report.json"
	FailedStoryFile  = "failed_test_stories.yml"
	noFailuresString = "# None of the test stories failed - all good!"
)

// WriteFiles writes story_report.json and failed_test_stories.yml into
// dir, creating it if needed.
func (r *Report) WriteFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("storytest: results folder: %w", err)
	}
	data, err := r.StoryReportJSON()
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, StoryReportFile), data, 0o644); err != nil {
		return fmt.Errorf("storytest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, FailedStoryFile), r.FailedStoriesYAML(), 0o644); err != nil {
		return fmt.Errorf("storytest: %w", err)
	}
	return nil
}

// labelScores are one action's precision, recall, F1 and support.
type labelScores struct {
	precision, recall, f1 float64
	support               int
}

// Scores returns the per-action scores over every prediction, with the
// labels sorted as sklearn sorts them.
func (r *Report) scores() ([]string, map[string]labelScores, float64) {
	tp, gold, pred := map[string]int{}, map[string]int{}, map[string]int{}
	correct := 0
	for _, a := range r.Actions {
		gold[a.Action]++
		pred[a.Predicted]++
		if a.Action == a.Predicted {
			tp[a.Action]++
			correct++
		}
	}
	var labels []string
	for l := range gold {
		labels = append(labels, l)
	}
	for l := range pred {
		if gold[l] == 0 {
			labels = append(labels, l)
		}
	}
	slices.Sort(labels)
	out := map[string]labelScores{}
	for _, l := range labels {
		s := labelScores{support: gold[l]}
		if pred[l] > 0 {
			s.precision = float64(tp[l]) / float64(pred[l])
		}
		if gold[l] > 0 {
			s.recall = float64(tp[l]) / float64(gold[l])
		}
		if s.precision+s.recall > 0 {
			s.f1 = 2 * s.precision * s.recall / (s.precision + s.recall)
		}
		out[l] = s
	}
	acc := 0.0
	if len(r.Actions) > 0 {
		acc = float64(correct) / float64(len(r.Actions))
	}
	return labels, out, acc
}

// StoryReportJSON returns story_report.json: sklearn's classification
// report over the actions plus conversation_accuracy.
func (r *Report) StoryReportJSON() ([]byte, error) {
	labels, scores, acc := r.scores()
	var o orderedJSON
	o.begin()
	var macro, weighted labelScores
	total := 0
	for _, l := range labels {
		s := scores[l]
		o.raw(l, scoresJSON(s))
		macro.precision += s.precision
		macro.recall += s.recall
		macro.f1 += s.f1
		weighted.precision += s.precision * float64(s.support)
		weighted.recall += s.recall * float64(s.support)
		weighted.f1 += s.f1 * float64(s.support)
		total += s.support
	}
	if n := float64(len(labels)); n > 0 {
		macro = labelScores{macro.precision / n, macro.recall / n, macro.f1 / n, total}
	}
	if total > 0 {
		t := float64(total)
		weighted = labelScores{weighted.precision / t, weighted.recall / t, weighted.f1 / t, total}
	}
	o.value("accuracy", event.Float(acc))
	o.raw("macro avg", scoresJSON(macro))
	o.raw("weighted avg", scoresJSON(weighted))
	o.raw("conversation_accuracy", r.conversationJSON())
	data := o.end()
	var out bytes.Buffer
	if err := json.Indent(&out, data, "", "  "); err != nil {
		return nil, fmt.Errorf("storytest: report: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func scoresJSON(s labelScores) []byte {
	var o orderedJSON
	o.begin()
	o.value("precision", event.Float(s.precision))
	o.value("recall", event.Float(s.recall))
	o.value("f1-score", event.Float(s.f1))
	o.value("support", s.support)
	return o.end()
}

func (r *Report) conversationJSON() []byte {
	correct := r.Total - r.Failed
	acc := 0.0
	if r.Total > 0 {
		acc = float64(correct) / float64(r.Total)
	}
	var o orderedJSON
	o.begin()
	o.value("accuracy", event.Float(acc))
	o.value("correct", correct)
	o.value("with_warnings", 0)
	o.value("total", r.Total)
	return o.end()
}

// orderedJSON writes a JSON object with keys in insertion order.
type orderedJSON struct {
	b bytes.Buffer
	n int
}

func (o *orderedJSON) begin() { o.b.WriteByte('{') }

func (o *orderedJSON) end() []byte {
	o.b.WriteByte('}')
	return o.b.Bytes()
}

func (o *orderedJSON) raw(k string, v []byte) {
	if o.n > 0 {
		o.b.WriteByte(',')
	}
	o.n++
	key, _ := json.Marshal(k)
	o.b.Write(key)
	o.b.WriteByte(':')
	o.b.Write(v)
}

func (o *orderedJSON) value(k string, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		data = []byte("null")
	}
	o.raw(k, data)
}
