package pipeline

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/parley-chat/parley/internal/duckling"
	"github.com/parley-chat/parley/internal/nlu/feature"
	"github.com/parley-chat/parley/internal/nlu/token"
	"github.com/parley-chat/parley/internal/project"
)

// Spec is what the configured components ask for, after their options were
// checked. It is saved with the model.
type Spec struct {
	Tokenizer    token.Options
	CountVectors []CountVectorsSpec
	// RegexFeatures and Lexical are set by RegexFeaturizer and
	// LexicalSyntacticFeaturizer.
	RegexFeatures bool
	Lexical       bool
	Intent        *IntentSpec
	Entities      *EntitySpec
	Regex         *RegexSpec
	Synonyms      bool
	Keyword       *KeywordSpec
	Fallback      *FallbackSpec
	Selectors     []SelectorSpec
	// Duckling is DucklingEntityExtractor's configuration.
	Duckling *duckling.Config
}

// CountVectorsSpec is a CountVectorsFeaturizer block, as saved.
type CountVectorsSpec struct {
	Analyzer     string
	MinN, MaxN   int
	MinDF        int
	MaxDF        float64
	MaxFeatures  int
	TokenPattern string
	Lowercase    bool
	// Stems adds English word stems to a lowercased word block.
	Stems bool
}

// IntentSpec configures the intent classifier.
type IntentSpec struct {
	// Name is the component the classifier stands in for (DIETClassifier,
	// LogisticRegressionClassifier, ...).
	Name          string
	RankingLength int
	Seed          int64
	// C is the inverse regularisation strength (0: chosen by Parley).
	C float64
	// Epochs is the number of SGD passes (0: the classifier's default).
	Epochs int
}

// EntitySpec configures the CRF entity tagger.
type EntitySpec struct {
	// Name is reported as each entity's extractor.
	Name    string
	MaxIter int
	L2      float64
	BILOU   bool
	// Epochs above zero trains by averaged SGD instead of L-BFGS on
	// large data.
	Epochs int
	Seed   int64
	// IntentContext gives the tagger the message's intent as a feature.
	IntentContext bool
	// Dictionary, OnlyOCount and OBias are crf.Options.
	Dictionary bool
	OnlyOCount int
	OBias      float64
}

// RegexSpec configures RegexEntityExtractor.
type RegexSpec struct {
	CaseSensitive     bool
	UseLookupTables   bool
	UseRegexes        bool
	UseWordBoundaries bool
}

// KeywordSpec configures KeywordIntentClassifier.
type KeywordSpec struct {
	CaseSensitive bool
}

// FallbackSpec configures FallbackClassifier.
type FallbackSpec struct {
	Threshold          float64
	AmbiguityThreshold float64
}

// SelectorSpec configures one ResponseSelector; an empty RetrievalIntent
// means all retrieval intents ("default").
type SelectorSpec struct {
	RetrievalIntent string
	RankingLength   int
}

// builder collects the spec while the components are read.
type builder struct {
	spec   Spec
	warn   func(project.Diagnostic)
	log    *slog.Logger
	warned map[string]bool
}

// constructor checks one component's options and adds it to the spec.
type constructor func(b *builder, o *options)

// registry maps the component names Rasa configs use to their constructors.
var registry = map[string]constructor{
	"WhitespaceTokenizer":          newTokenizer,
	"RegexFeaturizer":              func(b *builder, _ *options) { b.spec.RegexFeatures = true },
	"LexicalSyntacticFeaturizer":   func(b *builder, _ *options) { b.spec.Lexical = true },
	"CountVectorsFeaturizer":       newCountVectors,
	"DIETClassifier":               newDIET,
	"LogisticRegressionClassifier": newIntentClassifier,
	"SklearnIntentClassifier":      newIntentClassifier,
	"CRFEntityExtractor":           newCRF,
	"RegexEntityExtractor":         newRegexExtractor,
	"EntitySynonymMapper":          func(b *builder, _ *options) { b.spec.Synonyms = true },
	"KeywordIntentClassifier":      newKeyword,
	"FallbackClassifier":           newFallback,
	"ResponseSelector":             newSelector,
	"DucklingEntityExtractor":      newDuckling,
}

// substitutes maps components Parley does not have to the built-in one
// used instead.
var substitutes = map[string]string{
	"SpacyNLP":                  "",
	"MitieNLP":                  "",
	"SpacyTokenizer":            "WhitespaceTokenizer",
	"MitieTokenizer":            "WhitespaceTokenizer",
	"JiebaTokenizer":            "WhitespaceTokenizer",
	"SpacyFeaturizer":           "CountVectorsFeaturizer",
	"MitieFeaturizer":           "CountVectorsFeaturizer",
	"ConveRTFeaturizer":         "CountVectorsFeaturizer",
	"LanguageModelFeaturizer":   "CountVectorsFeaturizer",
	"MitieIntentClassifier":     "LogisticRegressionClassifier",
	"SpacyEntityExtractor":      "CRFEntityExtractor",
	"MitieEntityExtractor":      "CRFEntityExtractor",
	"ConveRTTokenizer":          "WhitespaceTokenizer",
	"LanguageModelTokenizer":    "WhitespaceTokenizer",
	"HFTransformersNLP":         "",
	"EmbeddingIntentClassifier": "DIETClassifier",
}

// buildSpec reads the configured pipeline (or the default one).
func buildSpec(cfg project.Config, warn func(project.Diagnostic), log *slog.Logger) (Spec, error) {
	comps := cfg.Pipeline
	if cfg.PipelineDefaulted || len(comps) == 0 {
		comps = defaultPipeline()
		log.Debug("using the default NLU pipeline")
	}
	b := &builder{warn: warn, log: log, warned: map[string]bool{}}
	for _, c := range comps {
		if err := b.add(c); err != nil {
			return Spec{}, err
		}
	}
	b.finish()
	if d := b.spec.Duckling; d != nil && d.Locale == "" {
		// As Rasa does: without a locale, Duckling reads the text in the
		// project's language (English keeps en_US).
		d.Locale = duckling.LocaleOf(cfg.Language)
	}
	if isEnglish(cfg.Language) {
		for i, c := range b.spec.CountVectors {
			b.spec.CountVectors[i].Stems = c.Analyzer == "word" && c.Lowercase
		}
	}
	return b.spec, nil
}

// CheckConfig reads the pipeline of cfg as training would and returns its
// first error as a diagnostic at the component's place, as `parley data
// validate` lists it; nil when the pipeline can be trained.
func CheckConfig(cfg project.Config) project.Diagnostics {
	_, err := buildSpec(cfg, func(project.Diagnostic) {}, slog.New(slog.DiscardHandler))
	if err == nil {
		return nil
	}
	d := project.Diagnostic{Pos: project.Pos{File: "config.yml"}, Severity: project.Error,
		Message: err.Error(), Hint: "see docs/nlu.md for the components and their options"}
	if ce, ok := errors.AsType[*ConfigError](err); ok {
		d.Message = ce.Message
		if ce.Pos.File != "" {
			d.Pos = ce.Pos
		}
	}
	return project.Diagnostics{d}
}

// isEnglish reports whether a config's language code is English ("en",
// "en_US", "en-GB").
func isEnglish(lang string) bool {
	return lang == "en" || strings.HasPrefix(lang, "en_") || strings.HasPrefix(lang, "en-")
}

// add reads one component.
func (b *builder) add(c project.Component) error {
	ctor, ok := registry[c.Name]
	if !ok {
		sub, known := substitutes[c.Name]
		if !known {
			return &ConfigError{Pos: c.Pos, Message: fmt.Sprintf("unknown pipeline component "+
				"%q (see the list of components Parley supports in docs/nlu.md)", c.Name)}
		}
		why := ""
		if sub == "CRFEntityExtractor" && b.spec.Entities != nil {
			// An entity tagger is configured already; a second one trained on
			// the same annotations would only repeat its entities.
			sub, why = "", b.spec.Entities.Name+" extracts the annotated entities"
		}
		b.substitute(c, sub, why)
		if sub == "" {
			return nil
		}
		// The substitute runs with its own defaults, not the original options.
		c = project.Component{Name: sub, Pos: c.Pos}
		ctor = registry[sub]
	}
	o := &options{c: c}
	ctor(b, o)
	return o.err()
}

func (b *builder) substitute(c project.Component, sub, why string) {
	if b.warned[c.Name] {
		return
	}
	b.warned[c.Name] = true
	msg := fmt.Sprintf("%s is not available in Parley; it is left out", c.Name)
	if why != "" {
		msg += " (" + why + ")"
	}
	if sub != "" {
		msg = fmt.Sprintf("%s is not available in Parley; %s is used instead", c.Name, sub)
	}
	b.warn(project.Diagnostic{Pos: c.Pos, Severity: project.Warning, Message: msg,
		Hint: "replace it in config.yml to silence this warning"})
}

// finish fills in what the components left open.
func (b *builder) finish() {
	if len(b.spec.CountVectors) == 0 && b.spec.Intent != nil {
		b.spec.CountVectors = []CountVectorsSpec{
			{Analyzer: "word", MinN: 1, MaxN: 2, Lowercase: true},
			{Analyzer: "char_wb", MinN: 1, MaxN: 4, Lowercase: true},
		}
	}
}

// featureBlocks turns the saved blocks into featurizer blocks.
func featureBlocks(specs []CountVectorsSpec) ([]feature.CountVectors, error) {
	out := make([]feature.CountVectors, 0, len(specs))
	for _, s := range specs {
		c := feature.CountVectors{Analyzer: feature.Analyzer(s.Analyzer), MinN: s.MinN,
			MaxN: s.MaxN, MinDF: s.MinDF, MaxDF: s.MaxDF, MaxFeatures: s.MaxFeatures,
			Lowercase: s.Lowercase, Stems: s.Stems}
		if s.TokenPattern != "" {
			p, err := token.CompilePattern(s.TokenPattern)
			if err != nil {
				return nil, err
			}
			c.Pattern = p
		}
		out = append(out, c)
	}
	return out, nil
}
