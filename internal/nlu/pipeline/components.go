package pipeline

import (
	"github.com/parley-chat/parley/internal/nlu/token"
)

func newTokenizer(b *builder, o *options) {
	opts := token.Options{
		TokenPattern:       o.string("token_pattern", ""),
		IntentTokenization: o.bool("intent_tokenization_flag", false),
		IntentSplitSymbol:  o.string("intent_split_symbol", "_"),
	}
	if opts.TokenPattern != "" {
		if _, err := token.CompilePattern(opts.TokenPattern); err != nil {
			o.fail("token_pattern", "%v", err)
		}
	}
	b.spec.Tokenizer = opts
}

func newCountVectors(b *builder, o *options) {
	s := CountVectorsSpec{
		Analyzer:     o.string("analyzer", "word"),
		MinN:         o.int("min_ngram", 1),
		MaxN:         o.int("max_ngram", 1),
		MinDF:        o.int("min_df", 1),
		MaxDF:        o.float("max_df", 1),
		MaxFeatures:  o.int("max_features", 0),
		TokenPattern: o.string("token_pattern", ""),
		Lowercase:    o.bool("lowercase", true),
	}
	if s.MaxDF > 1 {
		o.fail("max_df", "Parley reads max_df as a fraction of messages; got %v", s.MaxDF)
	}
	blocks, err := featureBlocks([]CountVectorsSpec{s})
	if err == nil {
		err = blocks[0].Validate()
	}
	if err != nil {
		o.fail("analyzer", "%v", err)
		return
	}
	b.spec.CountVectors = append(b.spec.CountVectors, s)
}

// dietOBias lowers the O label's score when DIETClassifier's tagger decodes;
// 0.5 was chosen by cross-validation on HWU64 training data (token F1 82.0
// at 0, 82.4 at 0.5, 82.2 at 1, 80.0 at 1.5).
const dietOBias = 0.5

// defaultC is the inverse regularisation strength of Parley's intent
// classifier on large data, chosen by cross-validation on HWU64 training
// data (fold 1, 80/20: C 100 and 1000 gave 88.7 and 88.8%).
const defaultC = 1000

// intentSpec reads the options all intent classifiers share. Without a C
// (or with SklearnIntentClassifier's list of them), C is left 0: chosen by
// cross-validation on small data, defaultC on large data.
func intentSpec(b *builder, o *options) *IntentSpec {
	s := &IntentSpec{
		Name:          o.c.Name,
		RankingLength: o.rankingLength(),
		Seed:          int64(o.int("random_seed", 0)),
	}
	if _, isList := o.c.Options["C"].([]any); isList {
		b.log.Debug("a list of C values: Parley chooses C by cross-validation",
			"component", o.c.Name)
	} else if o.has("C") {
		if s.C = o.float("C", 0); s.C <= 0 {
			o.fail("C", "want a positive number, got %v", s.C)
		}
	}
	if n := o.int("max_iter", 100); n < 1 {
		o.fail("max_iter", "want 1 or more, got %d", n)
	}
	if o.has("epochs") || o.has("max_iter") {
		// Parley trains to its own criterion; these only tell how long
		// Rasa's model would run.
		b.log.Debug("epochs and max_iter are read as hints only", "component", o.c.Name,
			"epochs", o.int("epochs", 0), "max_iter", o.int("max_iter", 0))
	}
	if b.spec.Intent != nil {
		b.log.Debug("a later intent classifier replaces an earlier one",
			"earlier", b.spec.Intent.Name, "later", o.c.Name)
	}
	return s
}

func newIntentClassifier(b *builder, o *options) {
	b.spec.Intent = intentSpec(b, o)
}

func newDIET(b *builder, o *options) {
	s := intentSpec(b, o)
	if o.bool("intent_classification", true) {
		b.spec.Intent = s
	}
	if o.bool("entity_recognition", true) {
		b.spec.Entities = &EntitySpec{Name: o.c.Name, MaxIter: 100, L2: 0.1, BILOU: true,
			Epochs: 6, Seed: s.Seed, IntentContext: s == b.spec.Intent, Dictionary: true,
			OnlyOCount: 5, OBias: dietOBias}
	}
	if mc := o.string("model_confidence", "softmax"); mc != "softmax" {
		o.fail("model_confidence", "only softmax is supported, got %q", mc)
	}
}

func newCRF(b *builder, o *options) {
	s := &EntitySpec{
		Name:    o.c.Name,
		MaxIter: o.int("max_iterations", 50),
		L2:      o.float("L2_c", 0.1),
		BILOU:   o.bool("BILOU_flag", true),
	}
	if s.MaxIter < 1 {
		o.fail("max_iterations", "want 1 or more, got %d", s.MaxIter)
	}
	if s.L2 < 0 {
		o.fail("L2_c", "want 0 or more, got %v", s.L2)
	}
	if o.has("L1_c") {
		b.log.Debug("L1_c is not used: the CRF is trained with L2 only", "component", o.c.Name)
	}
	b.spec.Entities = s
}

func newRegexExtractor(b *builder, o *options) {
	b.spec.Regex = &RegexSpec{
		CaseSensitive:     o.bool("case_sensitive", false),
		UseLookupTables:   o.bool("use_lookup_tables", true),
		UseRegexes:        o.bool("use_regexes", true),
		UseWordBoundaries: o.bool("use_word_boundaries", true),
	}
}

func newKeyword(b *builder, o *options) {
	b.spec.Keyword = &KeywordSpec{CaseSensitive: o.bool("case_sensitive", true)}
}

func newFallback(b *builder, o *options) {
	b.spec.Fallback = &FallbackSpec{
		Threshold:          o.probability("threshold", 0.3),
		AmbiguityThreshold: o.probability("ambiguity_threshold", 0.1),
	}
}

func newSelector(b *builder, o *options) {
	s := SelectorSpec{
		RetrievalIntent: o.string("retrieval_intent", ""),
		RankingLength:   o.rankingLength(),
	}
	for _, prev := range b.spec.Selectors {
		if prev.RetrievalIntent == s.RetrievalIntent {
			o.fail("retrieval_intent", "two ResponseSelectors for %q", selectorKey(s))
			return
		}
	}
	b.spec.Selectors = append(b.spec.Selectors, s)
}

// selectorKey is the key a selector's result has in response_selector.
func selectorKey(s SelectorSpec) string {
	if s.RetrievalIntent == "" {
		return "default"
	}
	return s.RetrievalIntent
}
