package throughput

import (
	"encoding/json"
	"net/http"
)

// bareRequest is the REST channel's request body.
type bareRequest struct {
	Sender   json.RawMessage `json:"sender"`
	Message  *string         `json:"message"`
	Metadata map[string]any  `json:"metadata"`
}

// bareMessage is one message of the REST channel's answer.
type bareMessage struct {
	RecipientID string           `json:"recipient_id"`
	Text        string           `json:"text,omitempty"`
	Buttons     []map[string]any `json:"buttons,omitempty"`
}

// bareHandler does what the REST webhook does around a turn and nothing
// else: decode the request, answer with a greeting and two buttons, as
// the starter bot's first answer.
func bareHandler(w http.ResponseWriter, r *http.Request) {
	var req bareRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil || req.Message == nil {
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	var sender string
	if err := json.Unmarshal(req.Sender, &sender); err != nil {
		http.Error(w, `{"error":"bad sender"}`, http.StatusBadRequest)
		return
	}
	reply := []bareMessage{{RecipientID: sender, Text: "Hi there! How are you feeling today?",
		Buttons: []map[string]any{
			{"title": "Pretty good", "payload": "/feeling_good"},
			{"title": "Not so great", "payload": "/feeling_low"},
		}}}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(reply)
}
