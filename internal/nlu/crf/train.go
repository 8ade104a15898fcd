package crf

import (
	"context"

	"fmt"
	"github.com/parley-chat/parley/internal/nlu/feature"
	"slices"
	"strings"
)

// Options tunes training.
type Options struct {
	// MaxIter bounds the L-BFGS iterations (zero: 100).
	MaxIter int
	// L2 is the penalty L2·||w||² added to the summed log loss.
	L2 float64
	// BILOU uses B, I, L, U tags; otherwise B and I.
	BILOU bool
	// Epochs, when above zero, trains by averaged stochastic gradient
	// descent for that many passes (at least 20000 sentence steps, for
	// small data) instead of L-BFGS: on HWU64 as good as L-BFGS at a
	// thirtieth of the time.
	Epochs int
	// Seed chooses the SGD example order.
	Seed uint64
	// Dictionary adds features for phrases annotated elsewhere in the
	// training data (each message's own annotations do not count).
	Dictionary bool
	// OnlyOCount: a word seen at least this often in training, never
	// inside an entity, is tagged O without scoring (zero: never).
	OnlyOCount int
	// OBias is Model.OBias.
	OBias float64
}

// Stats reports how training went.
type Stats struct {
	Labels, Features, Iterations int
	Loss                         float64
	OnlyO                        int
	// PairsPerToken is the mean number of (attribute, label) weights a
	// token's attributes reach: the main cost of a training step.
	PairsPerToken float64
}

// encoded is one training sentence ready for the objective.
type encoded struct {
	attrs    []int32
	attrEnd  []int32
	only     []bool
	gold     []int
	info     []tokenInfo
	hits     [][]string
	context  []uint64
	mentions []mention
}

// Train fits a tagger on sentences. Sentences without tokens are skipped.
func Train(ctx context.Context, sents []Sentence, opts Options) (*Model, Stats, error) {
	if opts.MaxIter <= 0 {
		opts.MaxIter = 100
	}
	m := &Model{BILOU: opts.BILOU, Entities: labelNames(sents), OBias: opts.OBias}
	if len(m.Entities) == 0 {
		return nil, Stats{}, fmt.Errorf("%w: no entity annotations", ErrInput)
	}
	sc := m.scheme()
	enc := encodeSentences(sents, m.Entities, sc)
	m.OnlyO = onlyOWords(enc, opts.OnlyOCount)
	var counts []int32
	if opts.Dictionary {
		counts = m.buildDictionary(enc)
	}
	m.buildPairs(enc, counts)
	m.buildContextEntities(sents)
	st := Stats{Labels: sc.labels(), Features: m.pairs(), OnlyO: len(m.OnlyO),
		PairsPerToken: m.pairsPerToken(enc)}
	obj := &objective{m: m, sc: sc, samples: enc, l2: opts.L2, ctx: ctx}
	var err error
	if opts.Epochs > 0 {
		m.W, err = obj.asgd(ctx, opts.Epochs, opts.Seed)
		st.Iterations = opts.Epochs
	} else {
		m.W, st.Iterations, st.Loss, err = obj.lbfgs(opts.MaxIter)
	}
	if err != nil {
		return nil, Stats{}, err
	}
	for i, w := range m.W {
		m.W[i] = float64(float32(w))
	}
	m.Restore()
	return m, st, nil
}

// labelNames returns the sorted distinct labels of the sentences.
func labelNames(sents []Sentence) []string {
	var out []string
	for _, s := range sents {
		for _, l := range s.Labels {
			if l != "" {
				out = append(out, l)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// encodeSentences computes gold labels, token descriptions and mentions.
func encodeSentences(sents []Sentence, names []string, sc *scheme) []encoded {
	var out []encoded
	for _, s := range sents {
		if len(s.Tokens) == 0 {
			continue
		}
		n := len(s.Tokens)
		ents, mentionOf := make([]int, n), make([]int, n)
		e := encoded{info: make([]tokenInfo, n), only: make([]bool, n), hits: s.Hits}
		for i, t := range s.Tokens {
			ents[i] = -1
			if i < len(s.Labels) && s.Labels[i] != "" {
				ents[i], _ = slices.BinarySearch(names, s.Labels[i])
			}
			if i < len(s.Mention) {
				mentionOf[i] = s.Mention[i]
			}
			e.info[i] = describe(t.Text, strings.ToLower(t.Text))
		}
		if e.hits != nil && len(e.hits) != n {
			e.hits = nil
		}
		for _, c := range s.Context {
			e.context = append(e.context, hashString(fnvOffset, c))
		}
		e.gold = sc.encode(ents, mentionOf)
		for _, sp := range sc.spans(e.gold) {
			h := uint64(fnvOffset)
			for t := sp[0]; t < sp[1]; t++ {
				h = phraseHash(h, e.info[t].word)
			}
			e.mentions = append(e.mentions, mention{start: sp[0], end: sp[1],
				label: int32(sp[2]), phrase: h})
		}
		out = append(out, e)
	}
	return out
}

// onlyOWords returns the sorted hashes of words seen at least minCount
// times, never inside an entity nor under a regex or lookup hit.
func onlyOWords(enc []encoded, minCount int) []uint64 {
	if minCount <= 0 {
		return nil
	}
	seen := map[uint64]int{}
	for _, e := range enc {
		for t, y := range e.gold {
			w := e.info[t].word
			switch {
			case seen[w] < 0:
			case y != 0 || e.hits != nil && len(e.hits[t]) > 0:
				seen[w] = -1
			default:
				seen[w]++
			}
		}
	}
	var out []uint64
	for w, n := range seen {
		if n >= minCount {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return out
}

// buildPairs makes the attribute vocabulary and the (attribute, label)
// pairs seen in training, and maps each sentence's attributes to indices.
func (m *Model) buildPairs(enc []encoded, counts []int32) {
	index := map[uint64]int32{}
	var codes []uint64
	var hashes []uint64
	for i := range enc {
		e := &enc[i]
		sf := sentenceFeatures{info: e.info, hits: e.hits, context: e.context}
		if counts != nil {
			sf.dict = m.dictFeatures(e.info, counts, e.mentions)
		}
		e.attrEnd = make([]int32, len(e.gold))
		e.attrs = e.attrs[:0]
		for t := range e.gold {
			e.only[t] = m.onlyO(e.info[t].word) && (e.hits == nil || len(e.hits[t]) == 0)
			if !e.only[t] {
				hashes = sf.tokenAttributes(hashes[:0], t)
				for _, h := range hashes {
					a, ok := index[h]
					if !ok {
						a = int32(len(m.Keys))
						index[h] = a
						m.Keys = append(m.Keys, h)
					}
					e.attrs = append(e.attrs, a)
					codes = append(codes, uint64(a)<<16|uint64(e.gold[t]))
				}
			}
			e.attrEnd[t] = int32(len(e.attrs))
		}
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	m.PairStart = make([]int32, len(m.Keys)+1)
	m.PairLabel = make([]int32, len(codes))
	for i, c := range codes {
		m.PairStart[c>>16+1]++
		m.PairLabel[i] = int32(c & 0xffff)
	}
	for a := 1; a < len(m.PairStart); a++ {
		m.PairStart[a] += m.PairStart[a-1]
	}
	m.index = feature.NewIndex(m.Keys)
	m.sc = m.scheme()
}

// pairsPerToken is the mean number of pair weights per training token.
func (m *Model) pairsPerToken(enc []encoded) float64 {
	pairs, tokens := 0, 0
	for _, e := range enc {
		tokens += len(e.gold)
		for _, a := range e.attrs {
			pairs += int(m.PairStart[a+1] - m.PairStart[a])
		}
	}
	return float64(pairs) / float64(max(tokens, 1))
}

// buildContextEntities records the entities seen with each sentence-level
// attribute.
func (m *Model) buildContextEntities(sents []Sentence) {
	seen := map[uint64][]int32{}
	for _, s := range sents {
		for _, c := range s.Context {
			h := hashString(fnvOffset, c)
			if _, ok := seen[h]; !ok {
				seen[h] = []int32{} // an attribute seen without entities
			}
			for _, l := range s.Labels {
				if l != "" {
					e, _ := slices.BinarySearch(m.Entities, l)
					seen[h] = append(seen[h], int32(e))
				}
			}
		}
	}
	m.ContextKeys = make([]uint64, 0, len(seen))
	for h := range seen {
		m.ContextKeys = append(m.ContextKeys, h)
	}
	slices.Sort(m.ContextKeys)
	m.ContextStart, m.ContextEntities = nil, nil
	for _, h := range m.ContextKeys {
		es := seen[h]
		slices.Sort(es)
		m.ContextStart = append(m.ContextStart, int32(len(m.ContextEntities)))
		m.ContextEntities = append(m.ContextEntities, slices.Compact(es)...)
	}
	m.ContextStart = append(m.ContextStart, int32(len(m.ContextEntities)))
}
