package pipeline

import (
	"fmt"
	"math"

	"github.com/parley-chat/parley/internal/project"
)

// options reads a component's options, collecting what is wrong with them.
type options struct {
	c    project.Component
	errs []error
}

func (o *options) fail(key, format string, args ...any) {
	o.errs = append(o.errs, &ConfigError{Pos: o.c.Pos,
		Message: fmt.Sprintf("%s option %q: %s", o.c.Name, key, fmt.Sprintf(format, args...))})
}

func posOr(p project.Pos, fallback string) string {
	if s := p.String(); s != "" {
		return s
	}
	return fallback
}

// err returns the first problem found, or nil.
func (o *options) err() error {
	if len(o.errs) == 0 {
		return nil
	}
	return o.errs[0]
}

func (o *options) has(key string) bool {
	_, ok := o.c.Options[key]
	return ok
}

func (o *options) float(key string, def float64) float64 {
	v, ok := o.c.Options[key]
	if !ok || v == nil {
		return def
	}
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	case float64:
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			return x
		}
	case float32:
		return float64(x)
	}
	o.fail(key, "want a number, got %v", v)
	return def
}

func (o *options) int(key string, def int) int {
	f := o.float(key, float64(def))
	if f != math.Trunc(f) {
		o.fail(key, "want a whole number, got %v", f)
		return def
	}
	return int(f)
}

func (o *options) bool(key string, def bool) bool {
	v, ok := o.c.Options[key]
	if !ok || v == nil {
		return def
	}
	if b, ok := v.(bool); ok {
		return b
	}
	o.fail(key, "want true or false, got %v", v)
	return def
}

func (o *options) string(key, def string) string {
	v, ok := o.c.Options[key]
	if !ok || v == nil {
		return def
	}
	if s, ok := v.(string); ok {
		return s
	}
	o.fail(key, "want a string, got %v", v)
	return def
}

// probability reads a number in [0,1].
func (o *options) probability(key string, def float64) float64 {
	f := o.float(key, def)
	if f < 0 || f > 1 {
		o.fail(key, "want a value between 0 and 1, got %v", f)
		return def
	}
	return f
}

// rankingLength reads ranking_length (0 means report every intent).
func (o *options) rankingLength() int {
	n := o.int("ranking_length", 10)
	if n < 0 {
		o.fail("ranking_length", "want 0 (all) or more, got %d", n)
		return 10
	}
	return n
}

// defaultPipeline is used when config.yml leaves the pipeline empty; it is
// Rasa's default pipeline.
func defaultPipeline() []project.Component {
	c := func(name string, opts map[string]any) project.Component {
		return project.Component{Name: name, Options: opts}
	}
	return []project.Component{
		c("WhitespaceTokenizer", nil),
		c("RegexFeaturizer", nil),
		c("LexicalSyntacticFeaturizer", nil),
		c("CountVectorsFeaturizer", nil),
		c("CountVectorsFeaturizer", map[string]any{"analyzer": "char_wb",
			"min_ngram": 1, "max_ngram": 4}),
		c("DIETClassifier", map[string]any{"epochs": 100, "constrain_similarities": true}),
		c("EntitySynonymMapper", nil),
		c("ResponseSelector", map[string]any{"epochs": 100, "constrain_similarities": true}),
		c("FallbackClassifier", map[string]any{"threshold": 0.3, "ambiguity_threshold": 0.1}),
	}
}
