package project

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/parley-chat/parley/internal/domain"
)

// variationKeys are the keys a response variation may have.
var variationKeys = []string{"text", "image", "buttons", "quick_replies", "attachment",
	"elements", "custom", "channel", "condition", "id", "metadata", "button_type"}

// responseReader reads a `responses:` (or legacy `templates:`) mapping.
type responseReader struct {
	s *source
	// legacy is set under `templates:`, where Rasa 1.x allowed variations
	// written as bare strings.
	legacy bool
	// bare is the first bare-string variation met under `templates:`.
	bare *yaml.Node
	// pos records where each response is defined.
	pos map[string]Pos
}

func (r *responseReader) read(n *yaml.Node) map[string][]domain.Response {
	if !r.s.expectMapping(n, "responses", true) {
		return nil
	}
	out := map[string][]domain.Response{}
	for _, p := range pairs(n) {
		name, ok := r.s.name(p.key, "a response name")
		if !ok {
			continue
		}
		if vs, ok := r.variations(name, p.val); ok {
			out[name] = vs
			if r.pos != nil {
				r.pos[name] = r.s.pos(p.key)
			}
		}
	}
	return out
}

func (r *responseReader) variations(name string, n *yaml.Node) ([]domain.Response, bool) {
	if isNull(n) {
		r.s.errorf(n, "give it at least one variation: - text: \"...\"",
			"response %q has no value", name)
		return nil, false
	}
	if n.Kind != yaml.SequenceNode {
		r.s.errorf(n, "write the variations as a list: - text: \"...\"",
			"response %q must be a list of variations, found %s", name, kindName(n))
		return nil, false
	}
	if len(n.Content) == 0 {
		r.s.warnf(n, "add a variation: - text: \"...\"", "response %q has no variations", name)
	}
	out := make([]domain.Response, 0, len(n.Content))
	ok := true
	for _, v := range n.Content {
		resp, good := r.variation(name, v)
		ok = ok && good
		out = append(out, resp)
	}
	return out, ok
}

func (r *responseReader) variation(name string, n *yaml.Node) (domain.Response, bool) {
	if r.legacy && n.Kind == yaml.ScalarNode && !isNull(n) {
		if r.bare == nil {
			r.bare = n
		}
		return domain.Response{Text: n.Value}, true
	}
	if isNull(n) || n.Kind != yaml.MappingNode {
		r.s.errorf(n, "write each variation as a mapping: - text: \"...\"",
			"a variation of response %q must be a mapping with text, image, buttons, "+
				"custom...; found %s", name, describe(n))
		return domain.Response{}, false
	}
	var resp domain.Response
	ok := true
	for _, p := range pairs(n) {
		ok = r.field(&resp, p) && ok
	}
	if ok && resp.Text == "" && resp.Image == "" && resp.Custom == nil &&
		len(resp.Buttons) == 0 && len(resp.QuickReplies) == 0 &&
		resp.Attachment == nil && resp.Elements == nil {
		r.s.warnf(n, "add text:, image:, buttons: or custom:",
			"a variation of response %q has no content", name)
	}
	return resp, ok
}

// field reads one key of a variation.
func (r *responseReader) field(resp *domain.Response, p pair) bool {
	s := r.s
	var ok = true
	switch p.key.Value {
	case "text":
		resp.Text, ok = s.text(p.val, "response text")
	case "image":
		resp.Image, ok = s.text(p.val, "image")
	case "channel":
		resp.Channel, ok = s.text(p.val, "channel")
	case "id":
		resp.ID, ok = s.text(p.val, "id")
	case "button_type":
		resp.ButtonType, ok = s.text(p.val, "button_type")
	case "buttons":
		resp.Buttons, ok = r.buttons(p.val)
	case "quick_replies":
		resp.QuickReplies, ok = r.buttons(p.val)
	case "attachment":
		resp.Attachment = toValue(p.val)
	case "elements":
		resp.Elements, _ = toValue(p.val).([]any)
	case "custom":
		resp.Custom = toValue(p.val)
	case "metadata":
		resp.Metadata = mapValue(p.val)
	case "condition":
		resp.Condition, ok = r.conditions(p.val)
	default:
		s.unknownKey(p.key, "a response variation", variationKeys)
		return false
	}
	return ok
}

func (r *responseReader) buttons(n *yaml.Node) ([]domain.Button, bool) {
	if !r.s.expectList(n, "buttons", true) {
		return nil, isNull(n)
	}
	out := make([]domain.Button, 0, len(n.Content))
	for _, b := range n.Content {
		if !r.s.expectMapping(b, "a button", false) {
			return nil, false
		}
		var btn domain.Button
		for _, p := range pairs(b) {
			switch p.key.Value {
			case "title":
				btn.Title, _ = r.s.text(p.val, "button title")
			case "payload":
				btn.Payload, _ = r.s.text(p.val, "button payload")
			}
		}
		out = append(out, btn)
	}
	return out, true
}

func (r *responseReader) conditions(n *yaml.Node) ([]domain.ResponseCondition, bool) {
	if !r.s.expectList(n, "condition", false) {
		return nil, false
	}
	var out []domain.ResponseCondition
	for _, c := range n.Content {
		if !r.s.expectMapping(c, "a condition", false) {
			return nil, false
		}
		var rc domain.ResponseCondition
		for _, p := range pairs(c) {
			switch p.key.Value {
			case "type":
				rc.Type, _ = r.s.text(p.val, "condition type")
			case "name":
				rc.Name, _ = r.s.name(p.val, "condition name")
			case "value":
				rc.Value = toValue(p.val)
			default:
				r.s.unknownKey(p.key, "a response condition", []string{"type", "name", "value"})
				return nil, false
			}
		}
		if rc.Type != "slot" || rc.Name == "" {
			r.s.errorf(c, "write - type: slot, name: <slot>, value: <value>",
				"a response condition needs type: slot and a slot name")
			return nil, false
		}
		out = append(out, rc)
	}
	return out, true
}

// readNLUResponses reads `responses:` in a training-data file. Rasa 2.0
// named retrieval responses without the utter_ prefix (chitchat/ask_name);
// they are renamed with one migration warning.
func readNLUResponses(s *source, n *yaml.Node, td *TrainingData) {
	out := &td.NLU
	if td.ResponsePos == nil {
		td.ResponsePos = map[string]Pos{}
	}
	r := responseReader{s: s, pos: map[string]Pos{}}
	var renamed *yaml.Node
	for _, p := range pairs(n) {
		if renamed == nil && !strings.HasPrefix(p.key.Value, "utter_") {
			renamed = p.key
		}
	}
	for name, vs := range r.read(n) {
		pos := r.pos[name]
		if !strings.HasPrefix(name, "utter_") {
			name = "utter_" + name
		}
		td.ResponsePos[name] = pos
		if out.Responses == nil {
			out.Responses = map[string][]domain.Response{}
		}
		out.Responses[name] = append(out.Responses[name], vs...)
	}
	if renamed != nil {
		migrationWarning(s, renamed, "responses named without the utter_ prefix",
			"name them utter_<name>, e.g. utter_"+renamed.Value+"; they were renamed so")
	}
}
