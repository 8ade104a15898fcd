package pipeline

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/nlu/feature"
	"github.com/parley-chat/parley/internal/nlu/linear"
	"github.com/parley-chat/parley/internal/nlu/regex"
	"github.com/parley-chat/parley/internal/nlu/token"
)

// FallbackIntent is the intent FallbackClassifier predicts.
const FallbackIntent = "nlu_fallback"

// Parse understands one message. It never fails: an empty message gets no
// intent, and text starting with "/" is read as a direct intent.
func (m *Model) Parse(text string) nlu.Parse {
	return m.ParseContext(context.Background(), text, ParseOptions{})
}

// ParseContext is Parse with the message's time and zone (for relative
// times) and a context that bounds a call to a Duckling server.
func (m *Model) ParseContext(ctx context.Context, text string, opts ParseOptions) nlu.Parse {
	p := nlu.Parse{Text: text, Entities: []nlu.Entity{}, IntentRanking: []nlu.Intent{},
		TextTokens: [][2]int{}}
	if strings.TrimSpace(text) == "" {
		m.selectResponses(feature.Vector{}, &p)
		return p
	}
	if d, ok := parseDirect(text); ok {
		return d
	}
	toks := m.tokenizer.Tokenize(text)
	var matches []regex.Match
	if m.st.Spec.RegexFeatures || m.st.Spec.Regex != nil {
		matches = m.matchers.FindAll(text)
	}
	var x feature.Vector
	if m.st.Featurizer != nil {
		x = m.st.Featurizer.Transform(toks, m.patternHits(matches))
	}
	m.classify(x, &p)
	if name, ok := m.keywordIntent(text); ok {
		p.Intent = nlu.Intent{Name: name, Confidence: 1}
		p.IntentRanking = []nlu.Intent{p.Intent}
	}
	ranking := p.IntentRanking
	m.fallback(&p)
	p.Entities = append(p.Entities, m.tagEntities(text, toks, matches, ranking)...)
	p.Entities = append(p.Entities, m.regexEntities(text, matches)...)
	m.mapSynonyms(p.Entities)
	m.selectResponses(x, &p)
	toCodePoints(text, toks, &p)
	p.Entities = append(p.Entities, m.ducklingEntities(ctx, text, opts)...)
	return p
}

// classify ranks the intents.
func (m *Model) classify(x feature.Vector, p *nlu.Parse) {
	if m.st.Classifier == nil {
		if len(m.st.Intents) == 1 && m.st.Spec.Intent != nil {
			p.Intent = nlu.Intent{Name: m.st.Intents[0], Confidence: 1}
			p.IntentRanking = []nlu.Intent{p.Intent}
		}
		return
	}
	scores := make([]float64, m.st.Classifier.Classes)
	m.st.Classifier.Scores(x, scores)
	probs := scaled(scores, m.st.Temperature)
	order := rankOrder(probs, m.st.Spec.Intent.RankingLength)
	p.Intent = nlu.Intent{Name: m.st.Intents[order[0]], Confidence: probs[order[0]]}
	for _, i := range order {
		p.IntentRanking = append(p.IntentRanking,
			nlu.Intent{Name: m.st.Intents[i], Confidence: probs[i]})
	}
}

// scaled returns softmax(scores/t) in place (t of 0 means 1).
func scaled(scores []float64, t float64) []float64 {
	if t > 0 && t != 1 {
		for i := range scores {
			scores[i] /= t
		}
	}
	linear.Softmax(scores)
	return scores
}

// rankOrder returns the indices of the n most likely entries of probs, from
// the most to the least likely; ties keep index order.
func rankOrder(probs []float64, n int) []int {
	if n <= 0 || n > len(probs) {
		n = len(probs)
	}
	order := make([]int, 0, n)
	for i, p := range probs {
		if len(order) == n && p <= probs[order[n-1]] {
			continue
		}
		if len(order) < n {
			order = append(order, i)
		} else {
			order[n-1] = i
		}
		for k := len(order) - 1; k > 0 && probs[order[k]] > probs[order[k-1]]; k-- {
			order[k], order[k-1] = order[k-1], order[k]
		}
	}
	return order
}

// fallback applies FallbackClassifier.
func (m *Model) fallback(p *nlu.Parse) {
	f := m.st.Spec.Fallback
	if f == nil || p.Intent.Name == "" {
		return
	}
	top := p.Intent.Confidence
	second := 0.0
	if len(p.IntentRanking) > 1 {
		second = p.IntentRanking[1].Confidence
	}
	ambiguous := len(p.IntentRanking) > 1 && top-second < f.AmbiguityThreshold
	if top >= f.Threshold && !ambiguous {
		return
	}
	p.Intent = nlu.Intent{Name: FallbackIntent, Confidence: f.Threshold}
	p.IntentRanking = append([]nlu.Intent{p.Intent}, p.IntentRanking...)
}

// directPattern reads "/intent", "/intent@0.8" and "/intent{"entity": "value"}".
var directPattern = regexp.MustCompile(`(?s)^\s*/([^{@]+?)(@[0-9.]+)?\s*(\{.*\})?\s*$`)

// parseDirect reads a direct intent message, which skips the model.
func parseDirect(text string) (nlu.Parse, bool) {
	sub := directPattern.FindStringSubmatchIndex(text)
	if sub == nil {
		return nlu.Parse{}, false
	}
	name := strings.TrimSpace(text[sub[2]:sub[3]])
	conf := 1.0
	if sub[4] >= 0 {
		if c, err := strconv.ParseFloat(text[sub[4]+1:sub[5]], 64); err == nil {
			conf = c
		}
	}
	p := nlu.Parse{Text: text, Intent: nlu.Intent{Name: name, Confidence: conf},
		Entities: []nlu.Entity{}, TextTokens: [][2]int{}}
	p.IntentRanking = []nlu.Intent{p.Intent}
	if sub[6] >= 0 {
		p.Entities = directEntities(text, sub[6], sub[7])
	}
	return p, true
}

// directEntities turns the JSON object of a direct intent into entities,
// one per value (a list gives one entity per element).
func directEntities(text string, start, end int) []nlu.Entity {
	out := []nlu.Entity{}
	dec := json.NewDecoder(strings.NewReader(text[start:end]))
	dec.UseNumber()
	var obj map[string]any
	if dec.Decode(&obj) != nil {
		return out
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	cs, ce := utf8.RuneCountInString(text[:start]), utf8.RuneCountInString(text[:end])
	for _, k := range keys {
		vals, ok := obj[k].([]any)
		if !ok {
			vals = []any{obj[k]}
		}
		for _, v := range vals {
			if n, ok := v.(json.Number); ok {
				v = jsonNumber(n)
			}
			out = append(out, nlu.Entity{Entity: k, Start: cs, End: ce, Value: v})
		}
	}
	return out
}

func jsonNumber(n json.Number) any {
	if i, err := n.Int64(); err == nil {
		return i
	}
	f, _ := n.Float64()
	return f
}

// toCodePoints converts the byte offsets of tokens and entities to the code
// point offsets Rasa reports.
func toCodePoints(text string, toks []token.Token, p *nlu.Parse) {
	cp := func(b int) int { return b }
	if !isASCII(text) {
		idx := make([]int, len(text)+1)
		n := 0
		for i := range text {
			idx[i] = n
			n++
		}
		idx[len(text)] = n
		cp = func(b int) int { return idx[b] }
	}
	p.TextTokens = make([][2]int, len(toks))
	for i, t := range toks {
		p.TextTokens[i] = [2]int{cp(t.Start), cp(t.End)}
	}
	for i := range p.Entities {
		p.Entities[i].Start, p.Entities[i].End = cp(p.Entities[i].Start), cp(p.Entities[i].End)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
