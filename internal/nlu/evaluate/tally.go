package evaluate

import "github.com/parley-chat/parley/internal/nlu"

// tokenTally collects token labels and exact spans for one extractor.
type tokenTally struct {
	truth, pred       []string
	spanTP, nPred, nT int
}

// tokenLabel returns the entity type of the first entity overlapping the
// token [s,e) in code points, or no_entity.
func tokenLabel(ents []nlu.Entity, s, e int) string {
	for _, x := range ents {
		if x.Start < e && x.End > s {
			return x.Entity
		}
	}
	return noEntity
}

// add scores one message and reports whether any token label was wrong.
func (t *tokenTally) add(tokens [][2]int, targets, got []nlu.Entity) bool {
	wrong := false
	for _, tk := range tokens {
		want, have := tokenLabel(targets, tk[0], tk[1]), tokenLabel(got, tk[0], tk[1])
		t.truth, t.pred = append(t.truth, want), append(t.pred, have)
		wrong = wrong || want != have
	}
	t.nT += len(targets)
	t.nPred += len(got)
	for _, g := range got {
		for _, w := range targets {
			if g.Start == w.Start && g.End == w.End && g.Entity == w.Entity {
				t.spanTP++
				break
			}
		}
	}
	return wrong
}

// spanF1 is the micro F1 over exact (start, end, type) matches.
func (t *tokenTally) spanF1() float64 {
	if t.spanTP == 0 {
		return 0
	}
	p := float64(t.spanTP) / float64(t.nPred)
	r := float64(t.spanTP) / float64(t.nT)
	return 2 * p * r / (p + r)
}
