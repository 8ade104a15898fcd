package crf

import "slices"

// Tags of the BILOU scheme; BIO uses only O, B and I.
const (
	tagBOS = iota // begin of sentence, as the tag before the first token
	tagO
	tagB
	tagI
	tagL
	tagU
	numGroups
)

// inside transition slots, per entity type.
const (
	inBI = iota
	inBL
	inII
	inIL
	numInside
)

// scheme describes the label layout of a model: label 0 is O, then per
// entity type its B, I, L, U labels (B, I for BIO).
type scheme struct {
	entities int
	bilou    bool
	per      int // labels per entity type
	// Tables computed once, for the inner loops.
	startL  []int // labels that may follow a closed label
	closedL []int // labels after which an entity may end
	closedT []int // tag groups of closed labels (plus none for BOS)
	bosT    []int // the begin-of-sentence group alone
	oT      []int // the O group alone
	fromT   []int // every group a start label can follow
	// fromIndex gives, per label, the index in fromT of the group the
	// label closes (-1 for a label after which its entity goes on).
	fromIndex []int
	tagOf     []int    // tag per label
	inside    []inStep // labels reached from inside an entity
	// succ lists, per B or I label, the inside steps leaving it; pred,
	// per I or L label, those reaching it.
	succ, pred [][]inStep
}

// inStep is a step within one entity: from label prev to label y.
type inStep struct {
	prev, y, slot int
	// param is the step's index among the inside weights.
	param int
}

func newScheme(entities int, bilou bool) scheme {
	s := scheme{entities: entities, bilou: bilou, per: 2, bosT: []int{tagBOS}, oT: []int{tagO}}
	if bilou {
		s.per = 4
	}
	n := s.labels()
	s.tagOf = make([]int, n)
	s.succ, s.pred = make([][]inStep, n), make([][]inStep, n)
	for y := 0; y < n; y++ {
		s.tagOf[y] = s.tag(y)
		if s.starts(y) {
			s.startL = append(s.startL, y)
		}
		if s.closed(y) {
			s.closedL = append(s.closedL, y)
		}
	}
	s.closedT = []int{tagO, tagL, tagU}
	if !bilou {
		s.closedT = []int{tagO, tagB, tagI}
	}
	s.fromT = append([]int{tagBOS}, s.closedT...)
	s.fromIndex = make([]int, n)
	for y := range s.fromIndex {
		s.fromIndex[y] = -1
		if s.closed(y) {
			s.fromIndex[y] = slices.Index(s.fromT, s.tagOf[y])
		}
	}
	for y := 0; y < n; y++ {
		e := s.entity(y)
		if e < 0 {
			continue
		}
		for _, pt := range [2]int{tagB, tagI} {
			if slot := s.insideSlot(pt, y); slot >= 0 {
				st := inStep{prev: s.label(e, pt), y: y, slot: slot, param: e*numInside + slot}
				s.inside = append(s.inside, st)
				s.succ[st.prev] = append(s.succ[st.prev], st)
				s.pred[y] = append(s.pred[y], st)
			}
		}
	}
	return s
}

func (s scheme) labels() int { return 1 + s.entities*s.per }

// tag returns the tag of label y.
func (s scheme) tag(y int) int {
	if y == 0 {
		return tagO
	}
	return [4]int{tagB, tagI, tagL, tagU}[(y-1)%s.per]
}

// entity returns the entity type of label y (-1 for O).
func (s scheme) entity(y int) int {
	if y == 0 {
		return -1
	}
	return (y - 1) / s.per
}

// label returns the label of entity e with tag t.
func (s scheme) label(e, t int) int {
	return 1 + e*s.per + t - tagB
}

// closed reports whether an entity may end at a label (so that any start
// label may follow it).
func (s scheme) closed(y int) bool {
	t := s.tag(y)
	return t == tagO || t == tagL || t == tagU || !s.bilou
}

// starts reports whether label y can follow a closed label.
func (s scheme) starts(y int) bool {
	t := s.tag(y)
	return t == tagO || t == tagB || t == tagU
}

// insideSlot returns the inside slot for the step prevTag→y within one
// entity, or -1 when y does not continue an entity.
func (s scheme) insideSlot(prevTag, y int) int {
	t := s.tag(y)
	switch {
	case prevTag == tagB && t == tagI:
		return inBI
	case prevTag == tagB && t == tagL:
		return inBL
	case prevTag == tagI && t == tagI:
		return inII
	case prevTag == tagI && t == tagL:
		return inIL
	}
	return -1
}

// encode turns per-token entity indices (-1 outside) and mention numbers
// into labels.
func (s scheme) encode(ents, mention []int) []int {
	out := make([]int, len(ents))
	for i, e := range ents {
		if e < 0 {
			continue
		}
		first := i == 0 || ents[i-1] != e || mention[i-1] != mention[i]
		last := i == len(ents)-1 || ents[i+1] != e || mention[i+1] != mention[i]
		switch {
		case !s.bilou && first:
			out[i] = s.label(e, tagB)
		case !s.bilou:
			out[i] = s.label(e, tagI)
		case first && last:
			out[i] = s.label(e, tagU)
		case first:
			out[i] = s.label(e, tagB)
		case last:
			out[i] = s.label(e, tagL)
		default:
			out[i] = s.label(e, tagI)
		}
	}
	return out
}

// spans decodes labels into entity spans [start, end) with their entity.
func (s scheme) spans(labels []int) [][3]int {
	var out [][3]int
	for i := 0; i < len(labels); {
		e := s.entity(labels[i])
		if e < 0 || s.tag(labels[i]) == tagI || s.tag(labels[i]) == tagL {
			i++ // O, or an inside tag without a begin (cannot happen after Viterbi)
			continue
		}
		j := i + 1
		if s.tag(labels[i]) == tagB {
			for j < len(labels) && s.entity(labels[j]) == e &&
				(s.tag(labels[j]) == tagI || s.tag(labels[j]) == tagL) {
				j++
				if s.tag(labels[j-1]) == tagL {
					break
				}
			}
		}
		out = append(out, [3]int{i, j, e})
		i = j
	}
	return out
}
