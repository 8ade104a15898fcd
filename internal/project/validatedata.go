package project

import (
	"strings"

	"github.com/parley-chat/parley/internal/domain"
)

// nluNames reports intents and entities of the NLU data that the domain
// lacks.
func (v *validator) nluNames() {
	for _, ex := range v.p.NLU.Examples {
		if ex.Intent != "" && !v.hasIntent(ex.Intent) && v.once("intent-nlu:"+ex.Intent) {
			v.report(ex.Pos, Warning, "add it under intents: in the domain, or remove its examples",
				"intent %q has examples but is not in the domain", ex.Intent)
		}
		for _, e := range ex.Entities {
			v.entity(ex.Pos, e.Entity, "the NLU data")
		}
	}
}

// unusedResponses warns about responses that no story, rule, test story,
// form or built-in action uses. Custom actions may still send them.
func (v *validator) unusedResponses() {
	used := map[string]bool{}
	for a := range v.used {
		used[a] = true
	}
	for _, name := range builtinResponses {
		used[name] = true
	}
	for _, f := range v.d.Forms {
		for _, slot := range f.RequiredSlots {
			used["utter_ask_"+slot] = true
			used["utter_ask_"+f.Name+"_"+slot] = true
		}
	}
	for _, name := range sortedKeys(v.d.Responses) {
		if used[name] || v.retrievalUsed(name, used) {
			continue
		}
		v.report(v.p.DomainPos.Responses[name], Warning,
			"use it in a story or rule, or remove it if no custom action sends it",
			"response %q is not used in any story, rule or form", name)
	}
}

// retrievalUsed tells whether utter_faq/ask_hours is used through its
// retrieval action (utter_faq or respond_faq) or its retrieval intent.
func (v *validator) retrievalUsed(name string, used map[string]bool) bool {
	base, _, ok := strings.Cut(strings.TrimPrefix(name, "utter_"), "/")
	if !ok || !strings.HasPrefix(name, "utter_") {
		return false
	}
	return used["utter_"+base] || used["respond_"+base]
}

// intentsWithoutExamples warns about domain intents (other than the
// default ones) that no NLU example has.
func (v *validator) intentsWithoutExamples() {
	has := map[string]bool{}
	for _, ex := range v.p.NLU.Examples {
		base, _, _ := strings.Cut(ex.Intent, "/")
		has[base] = true
	}
	for _, in := range v.d.Intents {
		if has[in.Name] || domain.IsDefaultIntent(in.Name) {
			continue
		}
		v.report(v.p.DomainPos.Intents[in.Name], Warning,
			"add examples for it under nlu:, or remove it if only buttons or external events "+
				"send it", "intent %q has no training examples", in.Name)
	}
}

// formSlots reports required slots of forms that the domain lacks.
func (v *validator) formSlots() {
	for _, f := range v.d.Forms {
		for _, slot := range f.RequiredSlots {
			if !v.hasSlot(slot) {
				v.report(v.p.DomainPos.Forms[f.Name], Error, "add it under slots:",
					"form %q requires slot %q, which is not in the domain", f.Name, slot)
			}
		}
	}
}

// loopConditions reports slot mapping conditions on an active loop that
// the domain does not have: such a mapping can never fill its slot.
func (v *validator) loopConditions() {
	for _, c := range v.p.DomainPos.LoopConditions {
		if _, isForm := v.d.Form(c.Name); !isForm && !v.d.HasAction(c.Name) {
			v.report(c.Pos, Error, "add the form under forms: in the domain, or fix the name",
				"a slot mapping condition names the active loop %q, which is not a form or an "+
					"action of the domain", c.Name)
		}
	}
}

// mappingEntities warns about from_entity mappings and response conditions
// that name something the domain lacks.
func (v *validator) mappingEntities() {
	for _, s := range v.d.Slots {
		for _, m := range s.Mappings {
			if m.Type == domain.MapFromEntity && !hasEntity(v.d, m.Entity) {
				v.report(v.p.DomainPos.Slots[s.Name], Warning, "add it under entities:",
					"slot %q maps from entity %q, which is not in the domain", s.Name, m.Entity)
			}
		}
	}
	for _, name := range sortedKeys(v.d.Responses) {
		for _, variation := range v.d.Responses[name] {
			for _, c := range variation.Condition {
				if !v.hasSlot(c.Name) && v.once("cond:"+name+c.Name) {
					v.report(v.p.DomainPos.Responses[name], Warning, "add it under slots:",
						"response %q has a condition on slot %q, which is not in the domain",
						name, c.Name)
				}
			}
		}
	}
}

// checkpoints warns about a checkpoint that starts a story but that no
// story ends in, and the other way round.
func (v *validator) checkpoints() {
	starts, ends := map[string]Pos{}, map[string]Pos{}
	for _, st := range v.p.Stories {
		opening := true
		for _, step := range st.Steps {
			if step.Kind != StepCheckpoint {
				opening = false
				continue
			}
			if opening {
				starts[step.Checkpoint] = step.Pos
			} else {
				ends[step.Checkpoint] = step.Pos
			}
		}
	}
	for _, name := range sortedKeys(starts) {
		if _, ok := ends[name]; !ok {
			v.report(starts[name], Warning, "end another story with this checkpoint, or remove it",
				"checkpoint %q starts a story but no story leads to it", name)
		}
	}
	for _, name := range sortedKeys(ends) {
		if _, ok := starts[name]; !ok {
			v.report(ends[name], Warning, "start another story with this checkpoint, or remove it",
				"checkpoint %q ends a story but no story starts from it", name)
		}
	}
}
