package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/parley-chat/parley/internal/nlu"
	"github.com/parley-chat/parley/internal/nlu/crf"
	"github.com/parley-chat/parley/internal/nlu/regex"
	"github.com/parley-chat/parley/internal/nlu/token"
	"github.com/parley-chat/parley/internal/project"
)

// labelSep joins entity, role and group into one tagger label.
const labelSep = "\x1f"

func tagLabel(e project.EntityAnnotation) string {
	if e.Role == "" && e.Group == "" {
		return e.Entity
	}
	return e.Entity + labelSep + e.Role + labelSep + e.Group
}

func splitLabel(label string) (entity, role, group string) {
	parts := strings.SplitN(label, labelSep, 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return parts[0], parts[1], parts[2]
}

// trainEntities fits the CRF tagger on the annotated examples.
func (t *trainer) trainEntities(ctx context.Context, m *Model) error {
	spec := m.st.Spec.Entities
	if spec == nil || len(m.st.Entities) == 0 {
		return nil
	}
	sents := make([]crf.Sentence, len(t.data.Examples))
	for i, ex := range t.data.Examples {
		toks := t.tokens[i]
		labels, mention := t.align(ex, toks)
		sents[i] = crf.Sentence{Tokens: toks, Labels: labels, Mention: mention,
			Hits: m.tokenHits(t.matches[i], toks)}
		if spec.IntentContext {
			sents[i].Context = intentContext(baseIntent(ex.Intent))
		}
	}
	tagger, stats, err := crf.Train(ctx, sents, crf.Options{MaxIter: spec.MaxIter,
		L2: spec.L2, BILOU: spec.BILOU, Epochs: spec.Epochs, Seed: uint64(spec.Seed),
		Dictionary: spec.Dictionary, OnlyOCount: spec.OnlyOCount, OBias: spec.OBias})
	if err != nil {
		return fmt.Errorf("training the entity tagger: %w", err)
	}
	t.log.Debug("entity tagger trained", "component", spec.Name, "labels", stats.Labels,
		"features", stats.Features, "iterations", stats.Iterations, "loss", stats.Loss)
	m.st.Tagger = tagger
	return nil
}

// align gives each token the label of the annotation it lies in, warning
// about annotations whose edges fall inside a token.
func (t *trainer) align(ex project.Example, toks []token.Token) ([]string, []int) {
	labels := make([]string, len(toks))
	mention := make([]int, len(toks))
	for k, e := range ex.Entities {
		first, last := -1, -1
		for i, tok := range toks {
			if tok.End > e.Start && tok.Start < e.End {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if first < 0 || e.Start < 0 || e.End > len(ex.Text) || e.Start >= e.End {
			t.warnAt(ex.Pos, fmt.Sprintf("entity %q in %q covers no token; it is not learned",
				e.Entity, ex.Text))
			continue
		}
		if toks[first].Start != e.Start || toks[last].End != e.End {
			t.warnAt(ex.Pos, fmt.Sprintf("entity %q (%q) in %q does not line up with token "+
				"boundaries; the tagger learns the tokens %q", e.Entity, ex.Text[e.Start:e.End],
				ex.Text, ex.Text[toks[first].Start:toks[last].End]))
		}
		for i := first; i <= last; i++ {
			if labels[i] != "" {
				continue // a token keeps the first annotation that claims it
			}
			labels[i], mention[i] = tagLabel(e), k+1
		}
	}
	return labels, mention
}

// tokenHits lists, per token, the regexes and lookup tables matching it.
func (m *Model) tokenHits(matches []regex.Match, toks []token.Token) [][]string {
	if !m.st.Spec.RegexFeatures || len(toks) == 0 || len(matches) == 0 {
		return nil
	}
	hits := make([][]string, len(toks))
	for _, h := range matches {
		for i, tok := range toks {
			if tok.End > h.Start && tok.Start < h.End {
				hits[i] = append(hits[i], h.Name)
			}
		}
	}
	return hits
}

// intentContext is the tagger's sentence-level attribute for an intent.
func intentContext(intent string) []string {
	if intent == "" {
		return nil
	}
	return []string{intent}
}

// Restricting the tagger: the intents that together hold restrictMass of
// the probability (at most restrictIntents of them) decide which entity
// types the tagger considers: those training saw with them.
const (
	restrictMass    = 0.99
	restrictIntents = 5
)

// tagEntities runs the CRF tagger on a message with the classifier's
// intent ranking.
func (m *Model) tagEntities(text string, toks []token.Token, matches []regex.Match,
	ranking []nlu.Intent) []nlu.Entity {
	if m.st.Tagger == nil || len(toks) == 0 {
		return nil
	}
	in := crf.Input{Tokens: toks, Hits: m.tokenHits(matches, toks)}
	if m.st.Spec.Entities.IntentContext && len(ranking) > 0 {
		in.Context = intentContext(ranking[0].Name)
		mass := 0.0
		for _, r := range ranking[:min(len(ranking), restrictIntents)] {
			in.Restrict = append(in.Restrict, r.Name)
			if mass += r.Confidence; mass >= restrictMass {
				break
			}
		}
	}
	var out []nlu.Entity
	for _, sp := range m.st.Tagger.Tag(in) {
		start, end := toks[sp.Start].Start, toks[sp.End-1].End
		ent, role, group := splitLabel(sp.Label)
		conf := sp.Confidence
		out = append(out, nlu.Entity{Entity: ent, Start: start, End: end,
			Value: text[start:end], Text: text[start:end], Confidence: &conf,
			Role: role, Group: group, Extractor: m.st.Spec.Entities.Name})
	}
	return out
}

// regexEntities runs RegexEntityExtractor: every match of a regex or lookup
// table named after an entity type becomes an entity.
func (m *Model) regexEntities(text string, matches []regex.Match) []nlu.Entity {
	spec := m.st.Spec.Regex
	if spec == nil || m.matchers == nil {
		return nil
	}
	var out []nlu.Entity
	for _, h := range matches {
		mt := m.matchers.Matchers[h.Pattern]
		if mt.Lookup && !spec.UseLookupTables || !mt.Lookup && !spec.UseRegexes {
			continue
		}
		if _, ok := slices.BinarySearch(m.st.Entities, h.Name); !ok {
			continue
		}
		one := 1.0
		out = append(out, nlu.Entity{Entity: h.Name, Start: h.Start, End: h.End,
			Value: text[h.Start:h.End], Text: text[h.Start:h.End], Confidence: &one,
			Extractor: "RegexEntityExtractor"})
	}
	return out
}

// synonymKey finds a synonym: an entity type ("" for any) and lower-cased text.
type synonymKey struct {
	entity, text string
}

// collectSynonyms gathers synonym blocks (for every entity type) and inline
// values that differ from their text (for their entity type only).
func collectSynonyms(data project.NLUData) []SynonymEntry {
	seen := map[synonymKey]bool{}
	var out []SynonymEntry
	add := func(entity, text, value string) {
		k := synonymKey{entity, strings.ToLower(text)}
		if text == "" || seen[k] {
			return
		}
		seen[k] = true
		out = append(out, SynonymEntry{Entity: entity, Text: k.text, Value: value})
	}
	for _, s := range data.Synonyms {
		for _, ex := range s.Examples {
			add("", ex, s.Value)
		}
	}
	for _, ex := range data.Examples {
		for _, e := range ex.Entities {
			if e.Start >= 0 && e.End <= len(ex.Text) && e.Start < e.End &&
				e.Value != "" && e.Value != ex.Text[e.Start:e.End] {
				add(e.Entity, ex.Text[e.Start:e.End], e.Value)
			}
		}
	}
	slices.SortFunc(out, func(a, b SynonymEntry) int {
		return cmp.Or(cmp.Compare(a.Entity, b.Entity), cmp.Compare(a.Text, b.Text))
	})
	return out
}

// mapSynonyms replaces entity values by their declared synonym value.
func (m *Model) mapSynonyms(ents []nlu.Entity) {
	if !m.st.Spec.Synonyms || len(m.synonyms) == 0 {
		return
	}
	for i := range ents {
		s, ok := ents[i].Value.(string)
		if !ok {
			continue
		}
		low := strings.ToLower(s)
		v, ok := m.synonyms[synonymKey{ents[i].Entity, low}]
		if !ok {
			v, ok = m.synonyms[synonymKey{"", low}]
		}
		if ok && v != s {
			ents[i].Value = v
			ents[i].Processors = append(ents[i].Processors, "EntitySynonymMapper")
		}
	}
}
