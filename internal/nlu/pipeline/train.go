package pipeline

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/nlu/feature"
	"github.com/parley-chat/parley/internal/nlu/regex"
	"github.com/parley-chat/parley/internal/nlu/token"
	"github.com/parley-chat/parley/internal/project"
)

// trainer holds the data and settings of one training run.
type trainer struct {
	data      project.NLUData
	opts      TrainOptions
	log       *slog.Logger
	tokens    [][]token.Token
	features  []feature.Vector
	matches   [][]regex.Match
	responses map[string][]domain.Response
	// warnMu serialises warnings: the intent classifier and the tagger
	// train at the same time.
	warnMu sync.Mutex
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
		t.warnMu.Lock()
		defer t.warnMu.Unlock()
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
	t.matches = make([][]regex.Match, len(t.data.Examples))
	for i, ex := range t.data.Examples {
		t.tokens[i] = m.tokenizer.Tokenize(ex.Text)
		t.matches[i] = m.matchers.FindAll(ex.Text)
	}
	m.st.Intents, m.st.Retrieval = intentNames(t.data.Examples)
	m.st.Entities = entityTypes(t.data.Examples)
	if spec.Intent != nil || len(spec.Selectors) > 0 {
		if err := t.fitFeaturizer(m); err != nil {
			return nil, err
		}
		t.features = t.featurize(m)
	}
	t.progress("nlu", 0, 3)
	// The intent classifier and the entity tagger do not depend on each
	// other: they train at the same time.
	var entErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		entErr = t.trainEntities(ctx, m)
	}()
	err := t.trainIntents(ctx, m)
	if err == nil {
		err = t.trainKeywords(ctx, m)
	}
	wg.Wait()
	if err == nil {
		err = entErr
	}
	if err != nil {
		return nil, err
	}
	t.progress("nlu", 2, 3)
	if err := t.trainSelectors(ctx, m); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("training NLU: %w", err)
	}
	t.progress("nlu", 3, 3)
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
