package nlu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// MarshalJSON writes the intent as Rasa does: an empty name is null.
func (i Intent) MarshalJSON() ([]byte, error) {
	type plain Intent
	if i.Name != "" {
		return json.Marshal(plain(i))
	}
	return json.Marshal(struct {
		Name       *string `json:"name"`
		Confidence float64 `json:"confidence"`
	}{nil, i.Confidence})
}

// MarshalJSON writes the parse as Rasa does: entities is a list, [] when
// there are none, never null (a parse built without the NLU, such as the
// trigger message of a loop started by an /intent payload, has none).
func (p Parse) MarshalJSON() ([]byte, error) {
	type plain Parse
	if p.Entities == nil {
		p.Entities = []Entity{}
	}
	return json.Marshal(plain(p))
}

// MarshalJSON writes the selector part as Rasa does: all_retrieval_intents
// beside one key per selector ("default" or the retrieval intent).
func (r ResponseSelector) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"all_retrieval_intents":`)
	all := r.AllRetrievalIntents
	if all == nil {
		all = []string{}
	}
	if err := writeJSON(&b, all); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(r.Selectors))
	for k := range r.Selectors {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteByte(',')
		if err := writeJSON(&b, k); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := writeJSON(&b, r.Selectors[k]); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *ResponseSelector) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("response_selector: %w", err)
	}
	*r = ResponseSelector{Selectors: map[string]SelectorResponse{}}
	for k, v := range raw {
		if k == "all_retrieval_intents" {
			if err := json.Unmarshal(v, &r.AllRetrievalIntents); err != nil {
				return fmt.Errorf("response_selector.%s: %w", k, err)
			}
			continue
		}
		var s SelectorResponse
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("response_selector.%s: %w", k, err)
		}
		r.Selectors[k] = s
	}
	return nil
}

func writeJSON(b *bytes.Buffer, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b.Write(data)
	return nil
}
