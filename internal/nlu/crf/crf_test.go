package crf

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/nlu/token"
)

// sentence builds a training sentence from "word/label" items ("O" = none).
func sentence(s string) Sentence {
	var out Sentence
	var text strings.Builder
	for i, item := range strings.Fields(s) {
		word, label, _ := strings.Cut(item, "/")
		if i > 0 {
			text.WriteByte(' ')
		}
		start := text.Len()
		text.WriteString(word)
		out.Tokens = append(out.Tokens, token.Token{Text: word, Start: start, End: text.Len()})
		if label == "O" {
			label = ""
		}
		out.Labels = append(out.Labels, label)
		out.Mention = append(out.Mention, 1)
	}
	return out
}

var travel = []string{
	"fly/O from/O berlin/city to/O paris/city2",
	"fly/O from/O new/city york/city to/O rome/city2",
	"book/O a/O flight/O to/O london/city2",
	"from/O madrid/city to/O san/city2 francisco/city2 please/O",
	"i/O want/O to/O go/O to/O tokyo/city2",
	"leaving/O from/O oslo/city",
	"hello/O there/O",
}

func TestGradient(t *testing.T) {
	for _, c := range []struct {
		bilou, dict bool
		onlyO       int
	}{{true, false, 0}, {false, false, 0}, {true, true, 2}, {false, true, 2}} {
		var sents []Sentence
		for _, s := range travel {
			sents = append(sents, sentence(s))
		}
		sents[0].Context = []string{"intent=fly"}
		m := &Model{BILOU: c.bilou, Entities: labelNames(sents)}
		sc := m.scheme()
		enc := encodeSentences(sents, m.Entities, sc)
		m.OnlyO = onlyOWords(enc, c.onlyO)
		var counts []int32
		if c.dict {
			counts = m.buildDictionary(enc)
		}
		m.buildPairs(enc, counts)
		if c.onlyO > 0 && len(m.OnlyO) == 0 {
			t.Fatal("no always-O words found")
		}
		o := &objective{m: m, sc: sc, samples: enc, l2: 0.1, ctx: context.Background()}
		n := paramCount(m.pairs(), sc.labels(), len(m.Entities))
		r := rand.New(rand.NewPCG(1, 2))
		w := make([]float64, n)
		for i := range w {
			w[i] = r.NormFloat64() * 0.3
		}
		g := make([]float64, n)
		o.evaluate(w, g)
		for k := 0; k < 60; k++ {
			i := r.IntN(n)
			h := 1e-5
			wp := append([]float64(nil), w...)
			wp[i] += h
			wm := append([]float64(nil), w...)
			wm[i] -= h
			num := (o.evaluate(wp, make([]float64, n)) - o.evaluate(wm, make([]float64, n))) / (2 * h)
			if math.Abs(num-g[i]) > 1e-4*max(1, math.Abs(num)) {
				t.Errorf("%+v: gradient[%d] = %v, numeric %v", c, i, g[i], num)
			}
		}
	}
}

func TestTrainAndTag(t *testing.T) {
	var sents []Sentence
	for _, s := range travel {
		sents = append(sents, sentence(s))
	}
	m, st, err := Train(context.Background(), sents, Options{MaxIter: 100, L2: 0.01, BILOU: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.Iterations == 0 {
		t.Errorf("no iterations: %+v", st)
	}
	test := sentence("fly/O from/O new/O york/O to/O paris/O")
	spans := m.Tag(Input{Tokens: test.Tokens})
	var got []string
	for _, sp := range spans {
		var words []string
		for _, tk := range test.Tokens[sp.Start:sp.End] {
			words = append(words, tk.Text)
		}
		got = append(got, sp.Label+"="+strings.Join(words, " "))
		if sp.Confidence <= 0 || sp.Confidence > 1+1e-9 {
			t.Errorf("confidence %v out of range", sp.Confidence)
		}
	}
	want := "city=new york,city2=paris"
	if strings.Join(got, ",") != want {
		t.Errorf("Tag = %v, want %s", got, want)
	}
}

func TestTrainSGD(t *testing.T) {
	var sents []Sentence
	for range 300 {
		for _, s := range travel {
			sents = append(sents, sentence(s))
		}
	}
	m, _, err := Train(context.Background(), sents, Options{Epochs: 2, L2: 0.01, BILOU: true,
		OnlyOCount: 5, Dictionary: true})
	if err != nil {
		t.Fatal(err)
	}
	test := sentence("fly/O from/O berlin/O to/O paris/O")
	var got []string
	for _, sp := range m.Tag(Input{Tokens: test.Tokens}) {
		got = append(got, sp.Label)
	}
	if strings.Join(got, ",") != "city,city2" {
		t.Errorf("Tag = %v", got)
	}
}

func TestExpNeg(t *testing.T) {
	for x := float64(minLogPotential); x <= 0; x += 0.0137 {
		want := math.Exp(x)
		if got := expNeg(x); math.Abs(got-want) > 1e-12*want {
			t.Fatalf("expNeg(%v) = %v, want %v", x, got, want)
		}
	}
	if got := expNeg(0); math.Abs(got-1) > 1e-12 {
		t.Errorf("expNeg(0) = %v", got)
	}
}

// trainTravel trains the tagger on the travel sentences with their intents
// as context.
func trainTravel(t *testing.T, bilou bool) *Model {
	t.Helper()
	var sents []Sentence
	for i, s := range travel {
		st := sentence(s)
		st.Context = []string{"fly"}
		if i == len(travel)-1 {
			st.Context = []string{"greet"}
		}
		sents = append(sents, st)
	}
	m, _, err := Train(context.Background(), sents, Options{MaxIter: 50, L2: 0.01,
		BILOU: bilou})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestConfidence checks the span confidence against its definition: the
// probability of the tag given the neighbours' tags, by brute force over
// the labels with the whole sequence scored.
func TestConfidence(t *testing.T) {
	for _, bilou := range []bool{true, false} {
		m := trainTravel(t, bilou)
		toks := sentence("fly/O from/O new/O york/O to/O paris/O").Tokens
		s := &tagScratch{lt: newLattice(m.sc.labels())}
		m.prepare(s, Input{Tokens: toks, Context: []string{"fly"}})
		m.emit(s.lt, m.W)
		d := m.fullDecoder(s.lt)
		path := slices.Clone(d.viterbi(s))
		for tok := range path {
			scores := make([]float64, m.sc.labels())
			for y := range scores {
				alt := slices.Clone(path)
				alt[tok] = y
				scores[y] = m.sequenceScore(s.lt, alt)
			}
			top := slices.Max(scores)
			sum := 0.0
			for _, v := range scores {
				sum += math.Exp(v - top)
			}
			want := math.Exp(scores[path[tok]]-top) / sum
			if got := d.confidence(s, path, tok); math.Abs(got-want) > 1e-9 {
				t.Errorf("bilou=%v token %d: confidence %v, want %v", bilou, tok, got, want)
			}
		}
	}
}

// sequenceScore is the score of a whole label sequence (-Inf if invalid).
func (m *Model) sequenceScore(lt *lattice, path []int) float64 {
	s := 0.0
	for t, y := range path {
		prev := -1
		if t > 0 {
			prev = path[t-1]
		}
		s += m.transition(prev, y) + lt.score[t*lt.labels+y]
	}
	return s + m.transition(path[len(path)-1], -1)
}

// transition is the weight of label b after label a (-1: the begin before
// b or the end after a); -Inf when b cannot follow a.
func (m *Model) transition(a, b int) float64 {
	sc, P, L := m.sc, m.pairs(), m.sc.labels()
	switch {
	case b < 0:
		if sc.closed(a) {
			return 0
		}
		return math.Inf(-1)
	case a < 0:
		if sc.starts(b) {
			return m.W[startIndex(P, L, tagBOS, b)]
		}
		return math.Inf(-1)
	}
	if slot := sc.insideSlot(sc.tagOf[a], b); slot >= 0 && sc.entity(a) == sc.entity(b) {
		return m.W[insideIndex(P, L, sc.entity(b), slot)]
	}
	if sc.closed(a) && sc.starts(b) {
		return m.W[startIndex(P, L, sc.tagOf[a], b)]
	}
	return math.Inf(-1)
}

func TestRestrict(t *testing.T) {
	m := trainTravel(t, true)
	toks := sentence("fly/O from/O berlin/O to/O paris/O").Tokens
	label := func(in Input) string {
		var out []string
		for _, sp := range m.Tag(in) {
			out = append(out, sp.Label)
		}
		return strings.Join(out, ",")
	}
	full := label(Input{Tokens: toks, Context: []string{"fly"}})
	if full != "city,city2" {
		t.Fatalf("unrestricted = %q", full)
	}
	cases := map[string][]string{
		"city,city2":  {"fly"},     // both seen with fly
		"":            {"greet"},   // greet had no entities
		"city,city2 ": {"unknown"}, // unknown restricts nothing
	}
	for want, restrict := range cases {
		got := label(Input{Tokens: toks, Context: []string{"fly"}, Restrict: restrict})
		if got != strings.TrimSpace(want) {
			t.Errorf("restrict %v: %q, want %q", restrict, got, want)
		}
	}
	allowed, known := m.allowedEntities([]string{"fly", "greet"})
	if !known || len(allowed) != 2 {
		t.Errorf("allowed = %v %v", allowed, known)
	}
}

// TestEmitRestricted: the emission scores computed for a subset of the
// entities are the full emission scores of those entities' labels.
func TestEmitRestricted(t *testing.T) {
	for _, bilou := range []bool{true, false} {
		m := trainTravel(t, bilou)
		toks := sentence("fly/O from/O new/O york/O to/O paris/O").Tokens
		s := &tagScratch{lt: newLattice(m.sc.labels())}
		m.prepare(s, Input{Tokens: toks, Context: []string{"fly"}})
		m.emit(s.lt, m.W)
		full := slices.Clone(s.lt.score[:s.lt.n*s.lt.labels])
		for _, allowed := range [][]int{{0}, {1}, {0, 1}} {
			per := m.sc.per
			L := 1 + len(allowed)*per
			got := make([]float64, s.lt.n*L)
			m.emitRestricted(s, allowed, per, got)
			for tok := 0; tok < s.lt.n; tok++ {
				for y := 0; y < L; y++ {
					fy := 0
					if y > 0 {
						fy = 1 + allowed[(y-1)/per]*per + (y-1)%per
					}
					if want := full[tok*s.lt.labels+fy]; got[tok*L+y] != want {
						t.Errorf("bilou=%v allowed %v token %d label %d: %v, want %v",
							bilou, allowed, tok, y, got[tok*L+y], want)
					}
				}
			}
		}
	}
}
