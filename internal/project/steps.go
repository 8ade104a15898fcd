package project

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// stepKeys are the keys a story step may have.
var stepKeys = []string{"intent", "user", "entities", "action", "bot", "active_loop",
	"slot_was_set", "checkpoint", "or", "metadata"}

// stepKinds lists the keys of a step that decide its kind. intent and user
// make one kind together, and so do checkpoint and slot_was_set.
func stepKinds(fields map[string]pair) []string {
	var out []string
	if has(fields, "intent") {
		out = append(out, "intent")
	} else if has(fields, "user") {
		out = append(out, "user")
	}
	for _, k := range []string{"action", "bot", "active_loop", "checkpoint", "or"} {
		if has(fields, k) {
			out = append(out, k)
		}
	}
	if has(fields, "slot_was_set") && !has(fields, "checkpoint") {
		out = append(out, "slot_was_set")
	}
	return out
}

// step reads one step. inOr is set for the alternatives of an `or`.
func (r *storyReader) step(n *yaml.Node, inOr bool) (Step, bool) {
	if isNull(n) || n.Kind != yaml.MappingNode {
		r.s.errorf(n, "write a step as - intent: <name> or - action: <name>",
			"a step must be a mapping such as intent: or action:, found %s", describe(n))
		return Step{}, false
	}
	fields := map[string]pair{}
	for _, p := range pairs(n) {
		if !contains(stepKeys, p.key.Value) {
			r.s.unknownKey(p.key, "a story step", stepKeys)
			return Step{}, false
		}
		fields[p.key.Value] = p
	}
	main := stepKinds(fields)
	if len(main) != 1 {
		r.s.errorf(n, "write one step per list item",
			"a step needs exactly one of intent/user, action, bot, active_loop, "+
				"slot_was_set, checkpoint or or; found %s", strings.Join(main, ", "))
		return Step{}, false
	}
	step := Step{Pos: r.s.pos(n)}
	ok := r.fillStep(&step, main[0], fields, inOr)
	if ok && inOr && step.Kind != StepIntent && step.Kind != StepSlotWasSet {
		r.s.errorf(n, "list only intent or slot_was_set steps under or:",
			"an or: alternative must be an intent or slot_was_set step")
		ok = false
	}
	if ok && step.Kind != StepIntent && has(fields, "entities") {
		r.s.errorf(fields["entities"].key, "put entities: on an intent or user step",
			"entities: belongs to an intent or user step")
		ok = false
	}
	return step, ok
}

func has(m map[string]pair, k string) bool {
	_, ok := m[k]
	return ok
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (r *storyReader) fillStep(step *Step, main string, f map[string]pair, inOr bool) bool {
	v := f[main].val
	var ok = true
	switch main {
	case "intent", "user":
		step.Kind = StepIntent
		ok = r.userStep(step, f)
	case "action":
		step.Kind = StepAction
		step.Action, ok = r.s.name(v, "action name")
		step.Action = r.renameLegacyAction(v, r.stripFormPrefix(v, step.Action))
	case "bot":
		step.Kind = StepBot
		step.BotText, ok = r.s.text(v, "bot text")
		step.BotText = strings.TrimSpace(step.BotText)
	case "active_loop":
		step.Kind = StepActiveLoop
		if !isNull(v) {
			step.ActiveLoop, ok = r.s.name(v, "active_loop")
			step.ActiveLoop = r.renameLegacyAction(v, r.stripFormPrefix(v, step.ActiveLoop))
		}
	case "slot_was_set":
		step.Kind = StepSlotWasSet
		step.Slots, ok = r.slots(v)
	case "checkpoint":
		ok = r.checkpoint(step, f)
	case "or":
		ok = r.orStep(step, v, inOr)
	}
	return ok
}

func (r *storyReader) checkpoint(step *Step, f map[string]pair) bool {
	if r.rule {
		r.s.errorf(f["checkpoint"].key, "use a story, or conditions, instead",
			"checkpoints are not allowed in rules")
		return false
	}
	step.Kind = StepCheckpoint
	var ok bool
	step.Checkpoint, ok = r.s.name(f["checkpoint"].val, "checkpoint name")
	if p, set := f["slot_was_set"]; set && ok {
		step.Slots, ok = r.slots(p.val)
	}
	return ok
}

func (r *storyReader) orStep(step *Step, n *yaml.Node, inOr bool) bool {
	step.Kind = StepOr
	if inOr {
		r.s.errorf(n, "flatten the alternatives", "or: cannot be nested")
		return false
	}
	if !r.s.expectList(n, "or", false) {
		return false
	}
	for _, c := range n.Content {
		alt, ok := r.step(c, true)
		if !ok {
			return false
		}
		step.Or = append(step.Or, alt)
	}
	return true
}

// userStep reads an intent step and its e2e `user:` text and entities.
func (r *storyReader) userStep(step *Step, f map[string]pair) bool {
	if p, set := f["intent"]; set {
		if isNull(p.val) {
			r.s.errorf(p.val, "write the intent name after intent:",
				"intent step has no intent name")
			return false
		}
		name, ok := r.s.name(p.val, "intent name")
		if !ok {
			return false
		}
		step.Intent = r.stripFormPrefix(p.val, name)
	}
	if p, set := f["user"]; set && !r.userText(step, p.val) {
		return false
	}
	if p, set := f["entities"]; set {
		ents, ok := r.entities(p.val)
		step.Entities = ents
		return ok
	}
	return true
}

func (r *storyReader) userText(step *Step, n *yaml.Node) bool {
	if n.Kind == yaml.SequenceNode || n.Kind == yaml.MappingNode {
		r.s.errorf(n, "put the text in quotes, e.g. user: \"[Ann](name) here\"",
			"user text was read by YAML as %s because it starts with a bracket", kindName(n))
		return false
	}
	raw, ok := r.s.text(n, "user text")
	if !ok {
		return false
	}
	trimmed := strings.TrimSpace(raw)
	lead := strings.Index(raw, trimmed)
	ex := rawExample{text: trimmed, at: func(off int) Pos { return r.s.offsetPos(n, lead+off) }}
	step.UserText, step.UserEntities = r.s.annotated(ex)
	return true
}

// offsetPos places byte offset off of scalar n's whole value in the file.
func (s *source) offsetPos(n *yaml.Node, off int) Pos {
	off = min(max(off, 0), len(n.Value))
	k := strings.Count(n.Value[:off], "\n")
	lineStart := strings.LastIndexByte(n.Value[:off], '\n') + 1
	lineEnd := strings.IndexByte(n.Value[lineStart:], '\n')
	line := n.Value[lineStart:]
	if lineEnd >= 0 {
		line = line[:lineEnd]
	}
	return s.valuePos(n, k, line, off-lineStart)
}
