package project

import (
	"fmt"
	"sort"
	"strings"
)

// finish ties the files together once all are read.
func (l *loader) finish() {
	p := l.p
	l.mergeNLUResponses()
	markRetrievalIntents(p)
	collectActionTexts(p)
	p.Rules = append(p.Rules, newMigratedRules(p.Rules, l.extra)...)
	p.Diagnostics = append(p.Diagnostics, conflictingExamples(p.NLU.Examples)...)
}

// mergeNLUResponses adds the responses of NLU files to the domain; a name
// the domain defines too keeps the domain's variations, with a warning.
func (l *loader) mergeNLUResponses() {
	d := l.p.Domain
	names := make([]string, 0, len(l.p.NLU.Responses))
	for name := range l.p.NLU.Responses {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, dup := d.Responses[name]; dup {
			l.p.Diagnostics = append(l.p.Diagnostics, Diagnostic{
				Pos: l.p.DomainPos.Responses[name], Severity: Warning,
				Hint: "define it in one place",
				Message: fmt.Sprintf("response %q is defined in the domain and in the "+
					"training data; the domain's is used", name)})
			continue
		}
		d.Responses[name] = l.p.NLU.Responses[name]
		l.p.DomainPos.Responses[name] = l.nluResponsePos[name]
	}
}

// markRetrievalIntents sets IsRetrieval on domain intents whose examples
// are written <intent>/<key>.
func markRetrievalIntents(p *Project) {
	retrieval := map[string]bool{}
	for _, ex := range p.NLU.Examples {
		if base, _, ok := strings.Cut(ex.Intent, "/"); ok {
			retrieval[base] = true
		}
	}
	for i := range p.Domain.Intents {
		if retrieval[p.Domain.Intents[i].Name] {
			p.Domain.Intents[i].IsRetrieval = true
		}
	}
}

// collectActionTexts adds the `bot:` texts of stories and rules to the
// domain's e2e action texts.
func collectActionTexts(p *Project) {
	seen := map[string]bool{}
	for _, t := range p.Domain.ActionTexts {
		seen[t] = true
	}
	for _, st := range append(append([]Story(nil), p.Stories...), p.Rules...) {
		for _, step := range st.Steps {
			if step.Kind == StepBot && !seen[step.BotText] {
				seen[step.BotText] = true
				p.Domain.ActionTexts = append(p.Domain.ActionTexts, step.BotText)
			}
		}
	}
}

// newMigratedRules returns the generated rules whose opening intent no
// written rule already handles.
func newMigratedRules(rules, generated []Story) []Story {
	handled := map[string]bool{}
	for _, r := range rules {
		if len(r.Steps) > 0 && r.Steps[0].Kind == StepIntent {
			handled[r.Steps[0].Intent] = true
		}
	}
	var out []Story
	for _, g := range generated {
		if intent := g.Steps[0].Intent; !handled[intent] {
			handled[intent] = true
			out = append(out, g)
		}
	}
	return out
}

// conflictingExamples warns about one text (compared without case) given
// as an example of two intents.
func conflictingExamples(examples []Example) Diagnostics {
	var out Diagnostics
	first := map[string]Example{}
	reported := map[string]bool{}
	for _, ex := range examples {
		key := strings.ToLower(ex.Text)
		prev, ok := first[key]
		if !ok {
			first[key] = ex
			continue
		}
		pairKey := key + "\x00" + prev.Intent + "\x00" + ex.Intent
		if prev.Intent == ex.Intent || reported[pairKey] {
			continue
		}
		reported[pairKey] = true
		how := "the same example"
		if prev.Text != ex.Text {
			how = "the same example, apart from upper/lower case,"
		}
		out = append(out, Diagnostic{Pos: ex.Pos, Severity: Warning,
			Hint: "keep the example under one intent",
			Message: fmt.Sprintf("%s %q is under intent %q here and under intent %q at %s",
				how, ex.Text, ex.Intent, prev.Intent, prev.Pos)})
	}
	return out
}
