package pipeline

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/nlu/feature"
	"github.com/parley-chat/parley/internal/nlu/linear"
	"github.com/parley-chat/parley/internal/nlu/token"
	"github.com/parley-chat/parley/internal/project"
)

// trainer holds the data and settings of one training run.
type trainer struct {
	data      project.NLUData
	opts      TrainOptions
	log       *slog.Logger
	tokens    [][]token.Token
	responses map[string][]domain.Response
}

func newTrainer(data project.NLUData, opts TrainOptions) *trainer {
	t := &trainer{data: data, opts: opts, log: opts.Logger}
	if t.log == nil {
		t.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	t.responses = map[string][]domain.Response{}
	for k, v := range opts.Responses {
		t.responses[k] = v
	}
	for k, v := range data.Responses {
		t.responses[k] = v
	}
	return t
}

func (t *trainer) warn(d project.Diagnostic) {
	if t.opts.Warn != nil {
		t.opts.Warn(d)
	}
}

func (t *trainer) warnAt(pos project.Pos, msg string) {
	t.warn(project.Diagnostic{Pos: pos, Severity: project.Warning, Message: msg})
}

func (t *trainer) progress(stage string, done, total int) {
	if t.opts.Progress != nil {
		t.opts.Progress(stage, done, total)
	}
}

// train runs every configured training step.
func (t *trainer) train(ctx context.Context, spec Spec) (*Model, error) {
	m := &Model{st: state{Format: formatVersion, Spec: spec,
		Regexes: t.data.Regexes, Lookups: t.data.Lookups}}
	if spec.Synonyms {
		m.st.Synonyms = collectSynonyms(t.data)
	}
	if err := m.restore(t.warnAt); err != nil {
		return nil, err
	}
	t.tokens = make([][]token.Token, len(t.data.Examples))
	for i, ex := range t.data.Examples {
		t.tokens[i] = m.tokenizer.Tokenize(ex.Text)
	}
	m.st.Intents, m.st.Retrieval = intentNames(t.data.Examples)
	m.st.Entities = entityTypes(t.data.Examples)
	steps := []func(context.Context, *Model) error{
		t.trainIntents, t.trainKeywords, t.trainEntities, t.trainSelectors,
	}
	for i, step := range steps {
		t.progress("nlu", i, len(steps))
		if err := step(ctx, m); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("training NLU: %w", err)
		}
	}
	t.progress("nlu", len(steps), len(steps))
	return m, nil
}

// baseIntent returns the retrieval intent of "faq/ask_hours" ("faq").
func baseIntent(name string) string {
	if i := strings.IndexByte(name, '/'); i > 0 {
		return name[:i]
	}
	return name
}

// intentNames lists the intents to classify and the retrieval intents.
func intentNames(exs []project.Example) (intents, retrieval []string) {
	for _, ex := range exs {
		if ex.Intent == "" {
			continue
		}
		base := baseIntent(ex.Intent)
		intents = append(intents, base)
		if base != ex.Intent {
			retrieval = append(retrieval, base)
		}
	}
	slices.Sort(intents)
	slices.Sort(retrieval)
	return slices.Compact(intents), slices.Compact(retrieval)
}

func entityTypes(exs []project.Example) []string {
	var out []string
	for _, ex := range exs {
		for _, e := range ex.Entities {
			out = append(out, e.Entity)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// featurize returns the intent feature vectors of the training examples.
func (t *trainer) featurize(m *Model) []feature.Vector {
	xs := make([]feature.Vector, len(t.data.Examples))
	for i, ex := range t.data.Examples {
		xs[i] = m.st.Featurizer.Transform(t.tokens[i], m.patternHits(ex.Text))
	}
	return xs
}

// trainIntents fits the featurizer and the intent classifier.
func (t *trainer) trainIntents(ctx context.Context, m *Model) error {
	spec := m.st.Spec
	if spec.Intent == nil && len(spec.Selectors) == 0 {
		return nil
	}
	blocks, err := featureBlocks(spec.CountVectors)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	m.st.Featurizer = feature.New(blocks)
	patterns := 0
	if spec.RegexFeatures {
		patterns = len(m.matchers.Matchers)
	}
	m.st.Featurizer.Fit(t.tokens, patterns)
	if spec.Intent == nil || len(m.st.Intents) == 0 {
		return nil
	}
	var xs []feature.Vector
	var ys []int
	all := t.featurize(m)
	for i, ex := range t.data.Examples {
		if ex.Intent == "" {
			continue
		}
		y, _ := slices.BinarySearch(m.st.Intents, baseIntent(ex.Intent))
		xs, ys = append(xs, all[i]), append(ys, y)
	}
	model, stats, err := linear.Train(ctx, xs, ys, len(m.st.Intents),
		m.st.Featurizer.Dim(), linear.Options{C: spec.Intent.C, MaxIter: spec.Intent.MaxIter})
	if err != nil {
		return fmt.Errorf("training the intent classifier: %w", err)
	}
	t.log.Debug("intent classifier trained", "component", spec.Intent.Name,
		"features", m.st.Featurizer.Dim(), "iterations", stats.Iterations,
		"evaluations", stats.Evaluations, "loss", stats.Loss, "status", stats.Status)
	m.st.Classifier = model
	return nil
}

// patternHits returns the indices of the regexes and lookup tables that
// match text, when RegexFeaturizer is on.
func (m *Model) patternHits(text string) []int {
	if !m.st.Spec.RegexFeatures || m.matchers == nil {
		return nil
	}
	var hits []int
	for _, h := range m.matchers.FindAll(text) {
		hits = append(hits, h.Pattern)
	}
	return hits
}
