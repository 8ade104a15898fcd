package crf

import (
	"math"
	"slices"

	"github.com/parley-chat/parley/internal/nlu/feature"
	"strings"
	"sync"
)

// Model is a trained tagger. It is safe for concurrent Tag calls.
type Model struct {
	// Entities are the label names (entity type, with role and group when
	// the caller encodes them), sorted.
	Entities []string
	BILOU    bool
	// Keys are the attribute hashes in the order training first saw them;
	// attribute a has the weights W[PairStart[a]:PairStart[a+1]] for the
	// labels PairLabel[...].
	Keys      []uint64
	PairStart []int32
	PairLabel []int32
	// W holds the pair weights, then the transition weights.
	W []float64
	// OnlyO lists, sorted, the hashes of words that training saw often and
	// always outside entities: such a token is tagged O without scoring.
	OnlyO []uint64
	// DictKeys, DictStart and DictLabel are the dictionary of phrases
	// annotated in training: phrase DictKeys[k] was seen with the labels
	// DictLabel[DictStart[k]:DictStart[k+1]].
	DictKeys  []uint64
	DictStart []int32
	DictLabel []int32
	// OBias is subtracted from the O label's score of every scored token
	// when decoding: above zero it trades precision for recall.
	OBias float64
	// ContextKeys (hashes of sentence-level attributes, sorted),
	// ContextStart and ContextEntities list the entities training saw with
	// each attribute, so that Input.Restrict can narrow the labels.
	ContextKeys     []uint64
	ContextStart    []int32
	ContextEntities []int32

	index     *feature.Index
	dictIndex *feature.Index
	// logStart holds, per group of sc.fromT, the start weight of each
	// label (-Inf where the label cannot start), for Viterbi.
	logStart []float64
	sc       *scheme
	scratch  sync.Pool // *tagScratch
}

// tagScratch is the reusable memory of one Tag call.
type tagScratch struct {
	lt    *lattice
	attrs []int32
	hash  []uint64
	info  []tokenInfo
	path  []int
	vit   []float64
	back  []int32
	// For a restricted decoder: its weights and scores, its schemes by
	// number of entities.
	logStart, inside, score, in, out []float64
	mask                             []int32
	schemes                          map[int]*scheme
}

// scheme returns the label scheme of n entities, made once per scratch.
func (s *tagScratch) scheme(n int, bilou bool) *scheme {
	if s.schemes == nil {
		s.schemes = map[int]*scheme{}
	}
	sc, ok := s.schemes[n]
	if !ok {
		v := newScheme(n, bilou)
		sc = &v
		s.schemes[n] = sc
	}
	return sc
}

// Restore rebuilds the attribute index and the transition potentials; call
// it once after decoding a saved Model, before Tag.
func (m *Model) Restore() {
	m.index = feature.NewIndex(m.Keys)
	m.dictIndex = feature.NewIndex(m.DictKeys)
	m.sc = m.scheme()
	L := m.sc.labels()
	m.logStart = make([]float64, len(m.sc.fromT)*L)
	for k := range m.logStart {
		m.logStart[k] = math.Inf(-1)
	}
	for k, g := range m.sc.fromT {
		for _, y := range m.sc.startL {
			m.logStart[k*L+y] = m.W[startIndex(m.pairs(), L, g, y)]
		}
	}

}

func (m *Model) scheme() *scheme {
	sc := newScheme(len(m.Entities), m.BILOU)
	return &sc
}

// pairs returns the number of (attribute, label) weights.
func (m *Model) pairs() int { return len(m.PairLabel) }

// startIndex is the weight of a label y that follows a tag group g.
func startIndex(pairs, labels, g, y int) int { return pairs + g*labels + y }

// insideIndex is the weight of an inside step of entity e.
func insideIndex(pairs, labels, e, slot int) int {
	return pairs + numGroups*labels + e*numInside + slot
}

func paramCount(pairs, labels, entities int) int {
	return pairs + numGroups*labels + entities*numInside
}

// onlyO reports whether the word hash is one of the always-outside words.
func (m *Model) onlyO(word uint64) bool {
	_, ok := slices.BinarySearch(m.OnlyO, word)
	return ok
}

// Tag finds the entities of a tokenized message.
func (m *Model) Tag(in Input) []Span {
	if m == nil || len(in.Tokens) == 0 || len(m.Entities) == 0 || m.sc == nil {
		return nil
	}
	var allowed []int
	restrict := false
	if len(in.Restrict) > 0 {
		var known bool
		allowed, known = m.allowedEntities(in.Restrict)
		if known && len(allowed) == 0 {
			return nil // the likely intents never had entities
		}
		restrict = known && len(allowed) < len(m.Entities)
	}
	s, _ := m.scratch.Get().(*tagScratch)
	if s == nil {
		s = &tagScratch{lt: newLattice(m.sc.labels())}
	}
	defer m.scratch.Put(s)
	m.prepare(s, in)
	lt := s.lt
	var d decoder
	if restrict {
		d = m.restrictedDecoder(s, allowed)
	} else {
		m.emit(lt, m.W)
		d = m.fullDecoder(lt)
	}
	if m.OBias != 0 {
		L := d.sc.labels()
		for t := 0; t < lt.n; t++ {
			if !lt.only[t] {
				d.score[t*L] -= m.OBias
			}
		}
	}
	path := d.viterbi(s)
	var out []Span
	for _, sp := range d.sc.spans(path) {
		conf := 0.0
		for t := sp[0]; t < sp[1]; t++ {
			conf += d.confidence(s, path, t)
		}
		out = append(out, Span{Start: sp[0], End: sp[1], Label: m.Entities[d.entity(sp[2])],
			Confidence: min(1, conf/float64(sp[1]-sp[0]))})
	}
	return out
}

// prepare computes the token attributes of a message into the scratch
// space and resets the lattice for it.
func (m *Model) prepare(s *tagScratch, in Input) {
	n := len(in.Tokens)
	s.info = s.info[:0]
	for _, t := range in.Tokens {
		s.info = append(s.info, describe(t.Text, strings.ToLower(t.Text)))
	}
	sf := sentenceFeatures{info: s.info, hits: in.Hits}
	for _, c := range in.Context {
		sf.context = append(sf.context, hashString(fnvOffset, c))
	}
	sf.dict = m.dictFeatures(s.info, nil, nil)
	s.attrs = s.attrs[:0]
	lt := s.lt
	lt.resize(n)
	for t := 0; t < n; t++ {
		lt.only[t] = m.onlyO(s.info[t].word) && (in.Hits == nil || len(in.Hits[t]) == 0)
		if !lt.only[t] {
			s.hash = sf.tokenAttributes(s.hash[:0], t)
			for _, h := range s.hash {
				if a, ok := m.index.Get(h); ok {
					s.attrs = append(s.attrs, a)
				}
			}
		}
		lt.attrEnd[t] = int32(len(s.attrs))
	}
	lt.attrs = s.attrs
}
