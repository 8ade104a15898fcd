package evaluate

import (
	"cmp"
	"encoding/json"
	"slices"
)

// LabelScores is one label's line of a classification report.
type LabelScores struct {
	Precision    float64        `json:"precision"`
	Recall       float64        `json:"recall"`
	F1           float64        `json:"f1-score"`
	Support      int            `json:"support"`
	ConfusedWith map[string]int `json:"confused_with,omitempty"`
}

// Classification is a classification report shaped like scikit-learn's
// classification_report(output_dict=True), with confused_with per label.
type Classification struct {
	Labels map[string]LabelScores
	// Accuracy is set for intent reports; entity reports have MicroAvg.
	Accuracy    *float64
	MicroAvg    *LabelScores
	MacroAvg    LabelScores
	WeightedAvg LabelScores
}

// MarshalJSON writes the report as one flat object, as Rasa does.
func (c Classification) MarshalJSON() ([]byte, error) {
	out := map[string]any{}
	for k, v := range c.Labels {
		out[k] = v
	}
	if c.Accuracy != nil {
		out["accuracy"] = *c.Accuracy
	}
	if c.MicroAvg != nil {
		out["micro avg"] = *c.MicroAvg
	}
	out["macro avg"] = c.MacroAvg
	out["weighted avg"] = c.WeightedAvg
	return json.Marshal(out)
}

// classify builds a report from paired true and predicted labels; labels
// in skip (such as no_entity) get no line and do not enter the averages.
func classify(truth, pred []string, skip string) Classification {
	type counts struct{ tp, fp, fn, support int }
	per := map[string]*counts{}
	confused := map[string]map[string]int{}
	get := func(l string) *counts {
		if per[l] == nil {
			per[l] = &counts{}
		}
		return per[l]
	}
	correct := 0
	for i, t := range truth {
		p := pred[i]
		get(t).support++
		get(p)
		if t == p {
			get(t).tp++
			correct++
			continue
		}
		get(t).fn++
		get(p).fp++
		if confused[t] == nil {
			confused[t] = map[string]int{}
		}
		confused[t][p]++
	}
	rep := Classification{Labels: map[string]LabelScores{}}
	var micro counts
	var labels []string
	for l, c := range per {
		if l == skip {
			continue
		}
		labels = append(labels, l)
		micro.tp, micro.fp, micro.fn = micro.tp+c.tp, micro.fp+c.fp, micro.fn+c.fn
		micro.support += c.support
	}
	slices.Sort(labels)
	total := 0
	for _, l := range labels {
		c := per[l]
		s := scores(c.tp, c.fp, c.fn, c.support)
		s.ConfusedWith = topConfusions(confused[l], 3)
		rep.Labels[l] = s
		rep.MacroAvg = add(rep.MacroAvg, s, 1)
		rep.WeightedAvg = add(rep.WeightedAvg, s, float64(c.support))
		total += c.support
	}
	if n := len(labels); n > 0 {
		rep.MacroAvg = scale(rep.MacroAvg, 1/float64(n), total)
	}
	if total > 0 {
		rep.WeightedAvg = scale(rep.WeightedAvg, 1/float64(total), total)
	}
	m := scores(micro.tp, micro.fp, micro.fn, micro.support)
	rep.MicroAvg = &m
	if len(truth) > 0 {
		acc := float64(correct) / float64(len(truth))
		rep.Accuracy = &acc
	}
	return rep
}

func scores(tp, fp, fn, support int) LabelScores {
	s := LabelScores{Support: support}
	if tp+fp > 0 {
		s.Precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		s.Recall = float64(tp) / float64(tp+fn)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

func add(a, b LabelScores, w float64) LabelScores {
	a.Precision += w * b.Precision
	a.Recall += w * b.Recall
	a.F1 += w * b.F1
	return a
}

func scale(a LabelScores, f float64, support int) LabelScores {
	return LabelScores{Precision: a.Precision * f, Recall: a.Recall * f, F1: a.F1 * f,
		Support: support}
}

// topConfusions keeps the n most frequent wrong predictions.
func topConfusions(m map[string]int, n int) map[string]int {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b))
	})
	out := map[string]int{}
	for _, k := range keys[:min(n, len(keys))] {
		out[k] = m[k]
	}
	return out
}
