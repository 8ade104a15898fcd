// Package nlu turns a user message into an intent, a ranking and entities.
// Its subpackages hold the pipeline's components; this package holds the
// parse result every other package reads, in Rasa's JSON shape.
package nlu

// Intent is an intent name with a confidence. An empty Name is written as
// JSON null (the intent of an empty message).
type Intent struct {
	Name       string  `json:"name"`
	Confidence float64 `json:"confidence"`
	// FullRetrievalName is "faq/ask_hours" when Name is a retrieval intent.
	FullRetrievalName string `json:"full_retrieval_intent_name,omitempty"`
}

// Entity is an extracted entity. Start and End are CODE POINT offsets into the
// message text, as Rasa reports them.
type Entity struct {
	Entity     string   `json:"entity"`
	Start      int      `json:"start"`
	End        int      `json:"end"`
	Value      any      `json:"value"`
	Confidence *float64 `json:"confidence_entity,omitempty"`
	// Score is the confidence of the extractors Rasa writes it for under
	// "confidence" rather than "confidence_entity": DucklingEntityExtractor
	// (always 1.0).
	Score *float64 `json:"confidence,omitempty"`
	// Body is the matched text, for the extractors whose entities carry
	// it as "text" (DucklingEntityExtractor).
	Body           string   `json:"text,omitempty"`
	Role           string   `json:"role,omitempty"`
	Group          string   `json:"group,omitempty"`
	Extractor      string   `json:"extractor,omitempty"`
	Processors     []string `json:"processors,omitempty"`
	AdditionalInfo any      `json:"additional_info,omitempty"`
	// Text is the matched surface text; it is not part of Rasa's JSON.
	Text string `json:"-"`
}

// Certainty returns the entity's confidence, whichever key its extractor
// writes it under, and whether it has one.
func (e Entity) Certainty() (float64, bool) {
	switch {
	case e.Confidence != nil:
		return *e.Confidence, true
	case e.Score != nil:
		return *e.Score, true
	}
	return 0, false
}

// Parse is the result of parsing one message, shaped as Rasa's /model/parse
// answer and the parse_data of a user event.
type Parse struct {
	Text             string            `json:"text"`
	Intent           Intent            `json:"intent"`
	Entities         []Entity          `json:"entities"`
	TextTokens       [][2]int          `json:"text_tokens,omitempty"`
	IntentRanking    []Intent          `json:"intent_ranking"`
	ResponseSelector *ResponseSelector `json:"response_selector,omitempty"`
}

// ResponseSelector is the response selector's part of a parse.
type ResponseSelector struct {
	AllRetrievalIntents []string                    `json:"all_retrieval_intents"`
	Selectors           map[string]SelectorResponse `json:"-"`
}

// SelectorResponse is one retrieval intent's selection (or "default").
type SelectorResponse struct {
	Response SelectedResponse `json:"response"`
	Ranking  []RankedResponse `json:"ranking"`
}

// SelectedResponse is the chosen response of a retrieval intent.
type SelectedResponse struct {
	Responses         []map[string]any `json:"responses"`
	Confidence        float64          `json:"confidence"`
	IntentResponseKey *string          `json:"intent_response_key"`
	UtterAction       string           `json:"utter_action"`
}

// RankedResponse is one entry of a selector's ranking.
type RankedResponse struct {
	Confidence        float64 `json:"confidence"`
	IntentResponseKey string  `json:"intent_response_key"`
}
