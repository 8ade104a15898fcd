package project

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	storyKeys = []string{"story", "steps", "metadata"}
	ruleKeys  = []string{"rule", "steps", "metadata", "condition", "conversation_start",
		"wait_for_user_input"}
)

// legacyFormPrefix marks form steps in stories written for Rasa 1.x.
const legacyFormPrefix = "form: "

// storyReader reads `stories:` or `rules:` of one file.
type storyReader struct {
	s    *source
	rule bool
	kind StoryKind
	// formPrefix is the first step using the 1.x "form: " prefix.
	formPrefix *yaml.Node
	// deactivateForm is the first use of action_deactivate_form.
	deactivateForm *yaml.Node
	// twoStage is the first use of two_stage_fallback, the loop's name
	// in Rasa's 2.0 pre-releases.
	twoStage *yaml.Node
}

// legacyTwoStage is the two-stage fallback's name before Rasa 2.0 named
// it action_two_stage_fallback.
const legacyTwoStage = "two_stage_fallback"

// readStories reads the list under `stories:` or `rules:`.
func readStories(s *source, n *yaml.Node, rules, test bool) []Story {
	r := storyReader{s: s, rule: rules, kind: KindStory}
	switch {
	case test:
		r.kind = KindTest
	case rules:
		r.kind = KindRule
	}
	if isNull(n) || !s.expectList(n, "stories and rules", false) {
		return nil
	}
	var out []Story
	for _, item := range n.Content {
		if st, ok := r.story(item); ok {
			out = append(out, st)
		}
	}
	if r.formPrefix != nil {
		migrationWarning(s, r.formPrefix, `the "form: " prefix on story steps`,
			`write the plain intent or action name; the prefix was dropped`)
	}
	if r.deactivateForm != nil {
		migrationWarning(s, r.deactivateForm, "the action action_deactivate_form",
			"write action_deactivate_loop; it was renamed so")
	}
	if r.twoStage != nil {
		migrationWarning(s, r.twoStage, "the loop name two_stage_fallback",
			"write action_two_stage_fallback, the name since Rasa 2.0")
	}
	return out
}

func (r *storyReader) story(n *yaml.Node) (Story, bool) {
	what, keys := "story", storyKeys
	if r.rule {
		what, keys = "rule", ruleKeys
	}
	if !r.s.expectMapping(n, "a "+what, false) {
		return Story{}, false
	}
	st := Story{Kind: r.kind, WaitForUserInput: true, Pos: r.s.pos(n)}
	var nameNode, steps *yaml.Node
	ok := true
	for _, p := range pairs(n) {
		switch p.key.Value {
		case what:
			nameNode = p.val
		case "steps":
			steps = p.val
		case "metadata":
			st.Metadata = mapValue(p.val)
		case "condition":
			st.Condition, ok = r.condition(p.val)
		case "conversation_start":
			st.ConversationStart, ok = r.s.boolean(p.val, "conversation_start")
		case "wait_for_user_input":
			st.WaitForUserInput, ok = r.s.boolean(p.val, "wait_for_user_input")
		default:
			r.wrongKey(p.key, what, keys)
			ok = false
		}
		if !ok {
			return Story{}, false
		}
	}
	if nameNode == nil {
		r.s.errorf(n, "start it with - "+what+": <name>", "a %s has no %s: name", what, what)
		return Story{}, false
	}
	if st.Name, ok = r.s.name(nameNode, what+" name"); !ok {
		return Story{}, false
	}
	st.Steps, ok = r.steps(st.Name, n, steps)
	return st, ok
}

func (r *storyReader) wrongKey(k *yaml.Node, what string, keys []string) {
	if k.Value == "rule" || k.Value == "story" {
		r.s.errorf(k, "move it under "+k.Value+"s:",
			"a %s: item is listed under %ss:", k.Value, what)
		return
	}
	r.s.unknownKey(k, "a "+what, keys)
}

func (r *storyReader) steps(name string, item, n *yaml.Node) ([]Step, bool) {
	if isNull(n) {
		r.s.warnf(item, "add steps:", "%q has no steps", name)
		return nil, true
	}
	if !r.s.expectList(n, "steps", false) {
		return nil, false
	}
	out := make([]Step, 0, len(n.Content))
	ok := true
	for _, c := range n.Content {
		step, good := r.step(c, false)
		if good {
			out = append(out, step)
		}
		ok = ok && good
	}
	return out, ok
}

// condition reads a rule's `condition:` list.
func (r *storyReader) condition(n *yaml.Node) ([]Step, bool) {
	if isNull(n) {
		return nil, true
	}
	if !r.s.expectList(n, "condition", false) {
		return nil, false
	}
	var out []Step
	for _, c := range n.Content {
		step, ok := r.step(c, false)
		if ok && step.Kind != StepActiveLoop && step.Kind != StepSlotWasSet {
			r.s.errorf(c, "use active_loop: or slot_was_set: in a condition",
				"a rule condition may only hold active_loop and slot_was_set")
			ok = false
		}
		if !ok {
			return nil, false
		}
		out = append(out, step)
	}
	return out, true
}

// stripFormPrefix drops the 1.x "form: " prefix and remembers where it was
// seen.
func (r *storyReader) stripFormPrefix(n *yaml.Node, name string) string {
	if !strings.HasPrefix(name, legacyFormPrefix) {
		return name
	}
	if r.formPrefix == nil {
		r.formPrefix = n
	}
	return strings.TrimSpace(strings.TrimPrefix(name, legacyFormPrefix))
}

// renameLegacyAction maps action and loop names of Rasa 1.x and the 2.0
// pre-releases onto their 3.x names.
func (r *storyReader) renameLegacyAction(n *yaml.Node, name string) string {
	switch name {
	case "action_deactivate_form":
		if r.deactivateForm == nil {
			r.deactivateForm = n
		}
		return "action_deactivate_loop"
	case legacyTwoStage:
		if r.twoStage == nil {
			r.twoStage = n
		}
		return "action_two_stage_fallback"
	}
	return name
}
