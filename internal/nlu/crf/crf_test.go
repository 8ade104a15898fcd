package crf

import (
	"context"
	"math"
	"math/rand/v2"
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
	for _, bilou := range []bool{true, false} {
		var sents []Sentence
		for _, s := range travel {
			sents = append(sents, sentence(s))
		}
		m := &Model{BILOU: bilou, Entities: labelNames(sents)}
		sc := m.scheme()
		samples, hashes := encodeSentences(sents, m.Entities, sc)
		m.buildPairs(samples, hashes)
		o := &objective{m: m, sc: sc, samples: samples, l2: 0.1, ctx: context.Background()}
		n := paramCount(m.pairs(), sc.labels(), len(m.Entities))
		r := rand.New(rand.NewPCG(1, 2))
		w := make([]float64, n)
		for i := range w {
			w[i] = r.NormFloat64() * 0.3
		}
		g := make([]float64, n)
		o.evaluate(w, g)
		for k := 0; k < 40; k++ {
			i := r.IntN(n)
			h := 1e-5
			wp := append([]float64(nil), w...)
			wp[i] += h
			wm := append([]float64(nil), w...)
			wm[i] -= h
			num := (o.evaluate(wp, make([]float64, n)) - o.evaluate(wm, make([]float64, n))) / (2 * h)
			if math.Abs(num-g[i]) > 1e-4*max(1, math.Abs(num)) {
				t.Errorf("bilou=%v: gradient[%d] = %v, numeric %v", bilou, i, g[i], num)
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
	spans := m.Tag(test.Tokens, nil)
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
	for range sgdMinSentences/len(travel) + 1 {
		for _, s := range travel {
			sents = append(sents, sentence(s))
		}
	}
	m, _, err := Train(context.Background(), sents, Options{Epochs: 2, L2: 0.01, BILOU: true})
	if err != nil {
		t.Fatal(err)
	}
	test := sentence("fly/O from/O berlin/O to/O paris/O")
	var got []string
	for _, sp := range m.Tag(test.Tokens, nil) {
		got = append(got, sp.Label)
	}
	if strings.Join(got, ",") != "city,city2" {
		t.Errorf("Tag = %v", got)
	}
}
