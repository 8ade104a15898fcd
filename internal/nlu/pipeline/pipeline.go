// Package pipeline trains and runs the NLU pipeline a project's config.yml
// describes.
package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/duckling"
	"github.com/parley-chat/parley/internal/nlu/crf"
	"github.com/parley-chat/parley/internal/nlu/feature"
	"github.com/parley-chat/parley/internal/nlu/linear"
	"github.com/parley-chat/parley/internal/nlu/regex"
	"github.com/parley-chat/parley/internal/nlu/token"
	"github.com/parley-chat/parley/internal/project"
)

// Progress reports training progress: the stage name, how much of it is done
// and its total (total 0 means unknown).
type Progress func(stage string, done, total int)

// TrainOptions tunes training.
type TrainOptions struct {
	Progress Progress
	// Warn receives one call per warning (a component replaced, an
	// annotation that does not line up with tokens, ...).
	Warn func(project.Diagnostic)
	// Logger receives debug information (nil: discard).
	Logger *slog.Logger
	// Responses are the domain's responses; the response selector returns
	// those of retrieval intents (utter_faq/ask_hours). NLUData.Responses
	// are used as well.
	Responses map[string][]domain.Response
}

// Model is a trained NLU pipeline. It is safe for concurrent Parse calls.
type Model struct {
	st        state
	tokenizer *token.Tokenizer
	matchers  *regex.Set
	// synonyms maps entity type ("" for all) and lower-cased text to value.
	synonyms map[synonymKey]string
	keywords []keyword
	duckling *duckling.Extractor
	// log receives parse-time warnings (a Duckling server that failed).
	log *slog.Logger
}

// state is everything a Model saves.
type state struct {
	Format     int
	Spec       Spec
	Intents    []string
	Featurizer *feature.Featurizer
	Classifier *linear.Model
	// Temperature divides the classifier's scores before the softmax.
	Temperature float64
	Tagger      *crf.Model
	Regexes     []project.Pattern
	Lookups     []project.Pattern
	Synonyms    []SynonymEntry
	Keywords    []KeywordEntry
	Selectors   []selectorState
	// Retrieval lists the retrieval intents (the part before the slash).
	Retrieval []string
	// Entities lists the entity types seen in training.
	Entities []string
}

// SynonymEntry maps a surface text to a value; an empty Entity applies to
// every entity type.
type SynonymEntry struct {
	Entity string
	Text   string
	Value  string
}

// KeywordEntry is one keyword of KeywordIntentClassifier.
type KeywordEntry struct {
	Keyword string
	Intent  string
}

// formatVersion is the saved model's format; Read refuses other formats.
// Format 3 added tagger features (neighbour shapes, the intent with the
// neighbour words and with the token's shape).
const formatVersion = 3

// Train fits the pipeline of cfg on data.
func Train(ctx context.Context, data project.NLUData, cfg project.Config,
	opts TrainOptions) (*Model, error) {
	t := newTrainer(data, opts)
	spec, err := buildSpec(cfg, t.warn, t.log)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	m, err := t.train(ctx, spec)
	if err != nil {
		return nil, err
	}
	t.log.Debug("NLU pipeline trained", "examples", len(data.Examples),
		"intents", len(m.st.Intents), "seconds", time.Since(start).Seconds())
	return m, nil
}

// Intents returns the intents the model can predict, sorted.
func (m *Model) Intents() []string { return append([]string(nil), m.st.Intents...) }

// EntityTypes returns the entity types seen in training, sorted.
func (m *Model) EntityTypes() []string { return append([]string(nil), m.st.Entities...) }

// Extractors returns the names of the configured entity extractors, in the
// order their entities appear in a parse.
func (m *Model) Extractors() []string {
	var out []string
	if m.st.Tagger != nil && m.st.Spec.Entities != nil {
		out = append(out, m.st.Spec.Entities.Name)
	}
	if m.st.Spec.Regex != nil {
		out = append(out, "RegexEntityExtractor")
	}
	return out
}

// restore rebuilds what is derived from the saved state.
func (m *Model) restore(warn func(project.Pos, string)) error {
	tok, err := token.New(m.st.Spec.Tokenizer)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	m.tokenizer = tok
	if m.st.Featurizer != nil {
		blocks, err := featureBlocks(m.st.Spec.CountVectors)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrConfig, err)
		}
		m.st.Featurizer.Restore(blocks)
	}
	m.matchers = regex.Compile(m.st.Regexes, m.st.Lookups, m.regexOptions(), warn)
	m.synonyms = map[synonymKey]string{}
	for _, s := range m.st.Synonyms {
		m.synonyms[synonymKey{s.Entity, s.Text}] = s.Value
	}
	m.keywords = buildKeywords(m.st.Keywords, m.st.Spec.Keyword)
	if m.st.Tagger != nil {
		m.st.Tagger.Restore()
	}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	return m.buildDuckling(m.log)
}

func (m *Model) regexOptions() regex.Options {
	if r := m.st.Spec.Regex; r != nil {
		return regex.Options{CaseSensitive: r.CaseSensitive, UseWordBoundaries: r.UseWordBoundaries}
	}
	return regex.Options{UseWordBoundaries: true}
}
