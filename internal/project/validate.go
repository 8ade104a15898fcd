package project

import (
	"fmt"
	"sort"
	"strings"

	"github.com/parley-chat/parley/internal/domain"
)

// builtinActions are the actions every Rasa assistant has.
var builtinActions = []string{"action_listen", "action_restart", "action_session_start",
	"action_default_fallback", "action_deactivate_loop", "action_revert_fallback_events",
	"action_default_ask_affirmation", "action_default_ask_rephrase", "action_two_stage_fallback",
	"action_unlikely_intent", "action_back", "action_extract_slots", "action_send_text",
	"..."}

// builtinResponses are responses that built-in actions send when the domain
// defines them.
var builtinResponses = []string{"utter_default", "utter_ask_rephrase", "utter_restart",
	"utter_back", "utter_revert_fallback_and_reapply_last_intent"}

// Validate checks the project's files against each other, as `parley data
// validate` does: names used in stories, rules and test stories that the
// domain lacks, entities of the training data the domain lacks, responses
// no story uses, intents without examples, forms asking for unknown slots,
// and checkpoints that lead nowhere. It does not repeat the diagnostics of
// loading (p.Diagnostics), which a caller reports as well; conflicting
// examples across intents are among those. Contradictions between rules
// and stories are found when the dialogue policies train.
func Validate(p *Project) Diagnostics {
	if p == nil || p.Domain == nil {
		return nil
	}
	v := &validator{p: p, d: p.Domain, used: map[string]bool{}, reported: map[string]bool{}}
	for _, group := range [][]Story{p.Stories, p.Rules, p.TestStories} {
		for _, st := range group {
			v.story(st)
		}
	}
	v.nluNames()
	v.unusedResponses()
	v.intentsWithoutExamples()
	v.formSlots()
	v.loopConditions()
	v.mappingEntities()
	v.checkpoints()
	return v.out
}

type validator struct {
	p        *Project
	d        *domain.Domain
	out      Diagnostics
	used     map[string]bool // actions used by stories, rules and tests
	reported map[string]bool // "kind:name" already reported
}

func (v *validator) report(p Pos, sev Severity, hint, format string, args ...any) {
	v.out = append(v.out, Diagnostic{Pos: p, Severity: sev, Hint: hint,
		Message: fmt.Sprintf(format, args...)})
}

// once reports key only the first time it is met.
func (v *validator) once(key string) bool {
	if v.reported[key] {
		return false
	}
	v.reported[key] = true
	return true
}

func (v *validator) story(st Story) {
	for _, step := range st.Condition {
		v.step(st, step)
	}
	for _, step := range st.Steps {
		v.step(st, step)
		for _, alt := range step.Or {
			v.step(st, alt)
		}
	}
}

// where names a story kind in messages.
func where(st Story) string {
	switch st.Kind {
	case KindRule:
		return "a rule"
	case KindTest:
		return "a test story"
	}
	return "a story"
}

func (v *validator) step(st Story, step Step) {
	switch step.Kind {
	case StepIntent:
		v.intentStep(st, step)
	case StepAction:
		v.used[step.Action] = true
		v.action(st, step)
	case StepSlotWasSet, StepCheckpoint:
		v.slots(st, step)
	case StepActiveLoop:
		v.activeLoop(st, step)
	}
}

func (v *validator) intentStep(st Story, step Step) {
	sev := Error
	if st.Kind == KindTest {
		sev = Warning
	}
	if step.Intent != "" && !v.hasIntent(step.Intent) && v.once("intent-story:"+step.Intent) {
		v.report(step.Pos, sev, "add it under intents: in the domain",
			"intent %q is used in %s (%q) but is not in the domain",
			step.Intent, where(st), st.Name)
	}
	for _, e := range step.Entities {
		v.entity(step.Pos, e.Entity, where(st))
	}
	for _, e := range step.UserEntities {
		v.entity(step.Pos, e.Entity, where(st))
	}
}

func (v *validator) entity(p Pos, name, in string) {
	if !hasEntity(v.d, name) && v.once("entity:"+name) {
		v.report(p, Warning, "add it under entities: in the domain",
			"entity %q is used in %s but is not in the domain", name, in)
	}
}

// hasIntent accepts retrieval intents (faq/ask_hours) by their base name.
func (v *validator) hasIntent(name string) bool {
	base, _, _ := strings.Cut(name, "/")
	_, ok := v.d.Intent(base)
	return ok
}

func (v *validator) action(st Story, step Step) {
	a := step.Action
	if v.knownAction(a) || !v.once("action:"+a) {
		return
	}
	hint := "add it under actions: in the domain"
	if strings.HasPrefix(a, "utter_") {
		hint = "add a response " + a + " under responses: in the domain"
	}
	v.report(step.Pos, Error, hint, "action %q is used in %s (%q) but is not in the domain",
		a, where(st), st.Name)
}

func (v *validator) knownAction(a string) bool {
	if contains(builtinActions, a) || v.d.HasAction(a) || v.d.Responses[a] != nil {
		return true
	}
	if _, ok := v.d.Form(a); ok {
		return true
	}
	// A retrieval action (utter_faq, or respond_faq before 2.x ended)
	// stands for all utter_faq/<key> responses.
	base := strings.TrimPrefix(strings.TrimPrefix(a, "utter_"), "respond_")
	return base != a && v.hasResponsePrefix("utter_"+base+"/")
}

func (v *validator) hasResponsePrefix(prefix string) bool {
	for name := range v.d.Responses {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

func (v *validator) slots(st Story, step Step) {
	for _, s := range step.Slots {
		if v.hasSlot(s.Name) || !v.once("slot:"+s.Name) {
			continue
		}
		v.report(step.Pos, Error, "add it under slots: in the domain",
			"slot %q is set in %s (%q) but is not in the domain", s.Name, where(st), st.Name)
	}
}

func (v *validator) hasSlot(name string) bool {
	if name == domain.RequestedSlot || name == domain.SessionStartedMetadata {
		return true
	}
	_, ok := v.d.Slot(name)
	return ok
}

func (v *validator) activeLoop(st Story, step Step) {
	loop := step.ActiveLoop
	if loop == "" || loop == "action_two_stage_fallback" || v.d.HasAction(loop) {
		return
	}
	if _, ok := v.d.Form(loop); ok || !v.once("loop:"+loop) {
		return
	}
	v.report(step.Pos, Error, "add it under forms: in the domain",
		"form %q is used as active_loop in %s (%q) but is not in the domain",
		loop, where(st), st.Name)
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
