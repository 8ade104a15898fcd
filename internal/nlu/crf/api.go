package crf

import "github.com/parley-chat/parley/internal/nlu/token"

// Sentence is one training message for the tagger.
type Sentence struct {
	Tokens []token.Token
	// Hits lists, per token, the names of the regexes and lookup tables
	// whose matches overlap the token (may be nil).
	Hits [][]string
	// Context lists sentence-level attributes every token sees, such as
	// the message's intent (may be nil).
	Context []string
	// Labels gives, per token, the entity label ("" outside any entity).
	// Adjacent tokens with the same label and the same Mention number are
	// one entity.
	Labels  []string
	Mention []int
}

// Input is a message to tag: its tokens, the regex and lookup hits per
// token (nil when there are none) and sentence-level attributes.
type Input struct {
	Tokens  []token.Token
	Hits    [][]string
	Context []string
	// Restrict, when set, lists sentence-level attributes (such as the
	// likely intents): only entities training saw with one of them are
	// considered. Unknown attributes restrict nothing.
	Restrict []string
}

// Span is a tagged entity: tokens [Start, End) with a label.
type Span struct {
	Start, End int
	Label      string
	// Confidence is the model's marginal probability of the span's tags,
	// averaged over its tokens.
	Confidence float64
}
