// Package policy predicts the next action of a conversation from its tracker:
// rule, memoization and learned policies combined with Rasa's priorities.
package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/project"
)

// Progress reports training progress: the stage name, how much of it is done
// and its total (total 0 means unknown).
type Progress func(stage string, done, total int)

// TrainOptions tunes training.
type TrainOptions struct {
	Progress Progress
	Warn     func(project.Diagnostic)
	// MaxTrackers caps the training trackers made from stories (checkpoints
	// and `or` steps multiply them); 0 means 10000.
	MaxTrackers int
}

const defaultMaxTrackers = 10000

// formatVersion is written into every saved ensemble (2: the learned
// policy is a network).
const formatVersion = 2

// Ensemble is the trained set of policies a config names.
type Ensemble struct {
	rule    *rulePolicy
	memos   []*memoPolicy
	learned *learnedPolicy
	// names are the configured policy names, in config order.
	names []string
}

// Policies returns the names of the policies in the ensemble.
func (e *Ensemble) Policies() []string { return append([]string(nil), e.names...) }

// Train fits the policies of p.Config on p's stories and rules. A rule that
// contradicts a story (or another rule) is an error naming both, with the
// file and line of the step.
func Train(ctx context.Context, p *project.Project, opts TrainOptions) (*Ensemble, error) {
	if p == nil || p.Domain == nil {
		return nil, fmt.Errorf("%w: no domain", ErrTrain)
	}
	e, err := build(p.Config, opts.Warn)
	if err != nil {
		return nil, err
	}
	data := newTrainingData(p, opts)
	progress(opts, "dialogue policies", 0, len(e.names))
	for i, name := range e.names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := e.trainOne(ctx, name, data); err != nil {
			return nil, err
		}
		progress(opts, "dialogue policies", i+1, len(e.names))
	}
	if e.rule != nil && data.checkContradictions {
		if ds := e.rule.analyse(data); len(ds) > 0 {
			return nil, fmt.Errorf("%w:\n%s", ErrContradiction, diagnosticLines(ds))
		}
	}
	return e, nil
}

// diagnosticLines writes one diagnostic a line, each starting with "- ".
func diagnosticLines(ds project.Diagnostics) string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = "- " + d.String()
	}
	return strings.Join(lines, "\n")
}

func progress(opts TrainOptions, stage string, done, total int) {
	if opts.Progress != nil {
		opts.Progress(stage, done, total)
	}
}

// trainOne trains the named policy.
func (e *Ensemble) trainOne(ctx context.Context, name string, data *trainingData) error {
	switch name {
	case "RulePolicy":
		e.rule.train(data)
	case "MemoizationPolicy", "AugmentedMemoizationPolicy":
		for _, m := range e.memos {
			if m.Name == name {
				m.train(data.storyExamples)
			}
		}
	case learnedName:
		return e.learned.train(ctx, data)
	}
	return nil
}

// trainingData is the stories and rules as examples.
type trainingData struct {
	domain              *domain.Domain
	rules, stories      []*trainingTracker
	ruleExamples        []example
	storyExamples       []example
	checkContradictions bool
}

func newTrainingData(p *project.Project, opts TrainOptions) *trainingData {
	limit := opts.MaxTrackers
	if limit <= 0 {
		limit = defaultMaxTrackers
	}
	d := &trainingData{domain: p.Domain, checkContradictions: true}
	d.rules = ruleTrackers(p.Domain, p.Rules, limit)
	d.stories = storyTrackers(p.Domain, p.Stories, limit)
	if len(d.stories) >= limit && opts.Warn != nil {
		opts.Warn(project.Diagnostic{Severity: project.Warning,
			Message: fmt.Sprintf("stories give more than %d training paths; "+
				"only the first %d are used", limit, limit),
			Hint: "use fewer checkpoints or `or` steps"})
	}
	for _, tt := range d.rules {
		d.ruleExamples = append(d.ruleExamples, tt.examples(p.Domain)...)
	}
	for _, tt := range d.stories {
		d.storyExamples = append(d.storyExamples, tt.examples(p.Domain)...)
	}
	return d
}

// saved is the on-disk form of an ensemble.
type saved struct {
	Format   int            `json:"format"`
	Policies []string       `json:"policies"`
	Rule     *rulePolicy    `json:"rule,omitempty"`
	Memo     []*memoPolicy  `json:"memoization,omitempty"`
	Learned  *learnedPolicy `json:"learned,omitempty"`
}

// WriteTo serialises the ensemble as JSON. The same ensemble always gives
// the same bytes.
func (e *Ensemble) WriteTo(w io.Writer) (int64, error) {
	data, err := json.Marshal(saved{Format: formatVersion, Policies: e.names, Rule: e.rule,
		Memo: e.memos, Learned: e.learned})
	if err != nil {
		return 0, fmt.Errorf("policy: encode: %w", err)
	}
	n, err := w.Write(data)
	return int64(n), err
}

// Read loads an ensemble written by WriteTo.
func Read(r io.Reader) (*Ensemble, error) {
	var s saved
	if err := json.NewDecoder(r).Decode(&s); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrModel, err)
	}
	if s.Format != formatVersion {
		return nil, fmt.Errorf("%w: format %d, this Parley reads %d (retrain the model)",
			ErrModel, s.Format, formatVersion)
	}
	e := &Ensemble{rule: s.Rule, memos: s.Memo, learned: s.Learned, names: s.Policies}
	if e.rule != nil {
		e.rule.index()
	}
	for _, m := range e.memos {
		if m.Lookup == nil {
			m.Lookup = map[string]string{}
		}
	}
	if e.learned != nil {
		e.learned.restore()
	}
	return e, nil
}
