package duckling

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parley-chat/parley/internal/nlu"
)

// remoteMatch is one result of Duckling's /parse.
type remoteMatch struct {
	Body  string         `json:"body"`
	Start int            `json:"start"`
	End   int            `json:"end"`
	Dim   string         `json:"dim"`
	Value map[string]any `json:"value"`
}

// maxRemoteBody bounds the answer read from the server.
const maxRemoteBody = 8 << 20

// remote asks the Duckling server, with Rasa's request: a form with text,
// locale, tz, reftime (milliseconds) and dims (a JSON list, or null for
// all).
func (e *Extractor) remote(ctx context.Context, text string, ref time.Time,
	loc *time.Location) ([]nlu.Entity, error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, parseURL(e.cfg.URL),
		strings.NewReader(e.payload(text, ref, loc).Encode()))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRemote, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRemote, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRemoteBody))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the answer: %w", ErrRemote, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: status %d: %.200s", ErrRemote, resp.StatusCode, body)
	}
	var ms []remoteMatch
	if err := json.Unmarshal(body, &ms); err != nil {
		return nil, fmt.Errorf("%w: the answer is not Duckling's JSON: %w", ErrRemote, err)
	}
	return e.fromRemote(text, ms), nil
}

// parseURL joins the server URL and /parse.
func parseURL(base string) string {
	return strings.TrimRight(base, "/") + "/parse"
}

// payload is the form Rasa sends.
func (e *Extractor) payload(text string, ref time.Time, loc *time.Location) url.Values {
	dims := "null"
	if len(e.cfg.Dimensions) > 0 {
		b, _ := json.Marshal(e.cfg.Dimensions)
		dims = string(b)
	}
	return url.Values{
		"text":    {text},
		"locale":  {e.locale},
		"tz":      {loc.String()},
		"reftime": {strconv.FormatInt(ref.UnixMilli(), 10)},
		"dims":    {dims},
	}
}

// fromRemote converts Duckling's answer to entities as Rasa does: the
// dimension names the entity, the value object becomes additional_info,
// and dimensions not asked for are dropped.
func (e *Extractor) fromRemote(text string, ms []remoteMatch) []nlu.Entity {
	runes := []rune(text)
	var out []nlu.Entity
	for _, m := range ms {
		if len(e.cfg.Dimensions) > 0 && !slices.Contains(e.cfg.Dimensions, m.Dim) {
			continue
		}
		if m.Start < 0 || m.End > len(runes) || m.Start > m.End {
			continue
		}
		out = append(out, toEntity(runes, match{dim: m.Dim, start: m.Start, end: m.End,
			value: remoteValue(m.Value), info: m.Value}))
	}
	return out
}

// remoteValue is the entity value Rasa takes from a value object:
// {"from","to"} of an interval, else "value".
func remoteValue(v map[string]any) any {
	if v["type"] != "interval" {
		return v["value"]
	}
	side := func(k string) any {
		if m, ok := v[k].(map[string]any); ok {
			return m["value"]
		}
		return nil
	}
	return map[string]any{"from": side("from"), "to": side("to")}
}
