package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/nlu/feature"
	"github.com/parley-chat/parley/internal/nlu/linear"
)

// selectorC is the response selector's inverse regularisation strength.
const selectorC = 1000

// selectorState is one trained ResponseSelector.
type selectorState struct {
	Spec SelectorSpec
	// Labels are full retrieval intent names ("faq/ask_hours"), sorted.
	Labels     []string
	Classifier *linear.Model
	// Responses holds, per label, the JSON list of its responses.
	Responses [][]byte
}

// trainSelectors fits one classifier per ResponseSelector over the full
// retrieval intent names of its examples.
func (t *trainer) trainSelectors(ctx context.Context, m *Model) error {
	if len(m.st.Spec.Selectors) == 0 {
		return nil
	}
	for _, spec := range m.st.Spec.Selectors {
		st := selectorState{Spec: spec}
		var idx []int
		for i, ex := range t.data.Examples {
			base := baseIntent(ex.Intent)
			if base == ex.Intent || spec.RetrievalIntent != "" && base != spec.RetrievalIntent {
				continue
			}
			idx = append(idx, i)
			st.Labels = append(st.Labels, ex.Intent)
		}
		slices.Sort(st.Labels)
		st.Labels = slices.Compact(st.Labels)
		if len(idx) > 0 {
			if err := t.fitSelector(ctx, m, &st, idx, t.features); err != nil {
				return err
			}
		}
		m.st.Selectors = append(m.st.Selectors, st)
	}
	return nil
}

func (t *trainer) fitSelector(ctx context.Context, m *Model, st *selectorState, idx []int,
	all []feature.Vector) error {
	xs := make([]feature.Vector, len(idx))
	ys := make([]int, len(idx))
	for n, i := range idx {
		xs[n] = all[i]
		ys[n], _ = slices.BinarySearch(st.Labels, t.data.Examples[i].Intent)
	}
	model, _, err := linear.Train(ctx, xs, ys, len(st.Labels), m.st.Featurizer.Dim(),
		linear.Options{C: selectorC})
	if err != nil {
		return fmt.Errorf("training the response selector: %w", err)
	}
	st.Classifier = model
	for _, l := range st.Labels {
		rs := t.responses["utter_"+l]
		if rs == nil {
			rs = t.responses[l]
		}
		b, err := json.Marshal(responseMaps(rs))
		if err != nil {
			return fmt.Errorf("response %q: %w", l, err)
		}
		st.Responses = append(st.Responses, b)
	}
	return nil
}

// responseMaps writes responses in the shape Rasa puts in a parse.
func responseMaps(rs []domain.Response) []map[string]any {
	out := make([]map[string]any, 0, len(rs))
	for _, r := range rs {
		mp := map[string]any{}
		set := func(k string, v any, ok bool) {
			if ok {
				mp[k] = v
			}
		}
		set("text", r.Text, r.Text != "")
		set("image", r.Image, r.Image != "")
		set("buttons", r.Buttons, len(r.Buttons) > 0)
		set("quick_replies", r.QuickReplies, len(r.QuickReplies) > 0)
		set("attachment", r.Attachment, r.Attachment != nil)
		set("elements", r.Elements, len(r.Elements) > 0)
		set("custom", r.Custom, r.Custom != nil)
		set("channel", r.Channel, r.Channel != "")
		set("id", r.ID, r.ID != "")
		set("metadata", r.Metadata, len(r.Metadata) > 0)
		set("button_type", r.ButtonType, r.ButtonType != "")
		out = append(out, mp)
	}
	return out
}

// selectResponses fills the response_selector part of a parse.
func (m *Model) selectResponses(x feature.Vector, p *nlu.Parse) {
	if len(m.st.Selectors) == 0 {
		return
	}
	rs := &nlu.ResponseSelector{AllRetrievalIntents: slices.Clone(m.st.Retrieval),
		Selectors: map[string]nlu.SelectorResponse{}}
	if rs.AllRetrievalIntents == nil {
		rs.AllRetrievalIntents = []string{}
	}
	for _, st := range m.st.Selectors {
		sel, full := st.predict(x, p.Intent.Name)
		rs.Selectors[selectorKey(st.Spec)] = sel
		if full != "" && p.Intent.FullRetrievalName == "" {
			p.Intent.FullRetrievalName = full
		}
	}
	p.ResponseSelector = rs
}

// predict ranks the selector's responses; full is the best full retrieval
// intent name under the classified intent ("" when it is not retrieval).
func (st selectorState) predict(x feature.Vector, intent string) (nlu.SelectorResponse,
	string) {
	none := nlu.SelectorResponse{Response: nlu.SelectedResponse{UtterAction: "utter_None"},
		Ranking: []nlu.RankedResponse{}}
	if st.Classifier == nil || len(st.Labels) == 0 || intent == "" {
		return none, ""
	}
	probs := make([]float64, len(st.Labels))
	st.Classifier.Probabilities(x, probs)
	order := rankOrder(probs, 0)
	top := order[0]
	key := st.Labels[top]
	var responses []map[string]any
	_ = json.Unmarshal(st.Responses[top], &responses)
	sel := nlu.SelectorResponse{Response: nlu.SelectedResponse{Responses: responses,
		Confidence: probs[top], IntentResponseKey: &key, UtterAction: "utter_" + key}}
	full := ""
	for n, i := range order {
		if n < st.Spec.RankingLength || st.Spec.RankingLength == 0 {
			sel.Ranking = append(sel.Ranking, nlu.RankedResponse{Confidence: probs[i],
				IntentResponseKey: st.Labels[i]})
		}
		if full == "" && baseIntent(st.Labels[i]) == intent {
			full = st.Labels[i]
		}
	}
	return sel, full
}
