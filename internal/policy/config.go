package policy

import (
	"fmt"

	"github.com/parley-chat/parley/internal/project"
)

// defaultPolicies is what Parley trains when config.yml names no policy:
// Rasa's classic defaults, with the learned policy standing in for TED.
var defaultPolicies = []project.Component{
	{Name: "MemoizationPolicy"},
	{Name: "RulePolicy"},
	{Name: "TEDPolicy", Options: map[string]any{"max_history": 5}},
}

// legacyPolicies were removed in Rasa 3; RulePolicy does their work.
var legacyPolicies = map[string]string{
	"FormPolicy":             "forms are run by RulePolicy; remove FormPolicy",
	"MappingPolicy":          "write a rule for each intent → action mapping; remove MappingPolicy",
	"FallbackPolicy":         "use RulePolicy's core_fallback_threshold; remove FallbackPolicy",
	"TwoStageFallbackPolicy": "use a rule with action_two_stage_fallback; remove the policy",
}

// build makes the untrained policies of a config.
func build(cfg project.Config, warn func(project.Diagnostic)) (*Ensemble, error) {
	comps := cfg.Policies
	if len(comps) == 0 {
		comps = defaultPolicies
	}
	say := func(c project.Component, msg, hint string) {
		// Policies Parley filled in itself (config.yml names none) carry
		// Rasa's default options: a warning about them would ask the
		// user to change what they never wrote.
		if warn != nil && !cfg.PoliciesDefaulted {
			warn(project.Diagnostic{Pos: c.Pos, Severity: project.Warning, Message: msg, Hint: hint})
		}
	}
	e := &Ensemble{}
	for _, c := range comps {
		opts := options(c.Options)
		switch c.Name {
		case "RulePolicy":
			if e.rule != nil {
				return nil, fmt.Errorf("%w: %s: RulePolicy is listed twice", ErrConfig, c.Pos)
			}
			e.rule = newRulePolicy(opts)
		case "MemoizationPolicy", "AugmentedMemoizationPolicy":
			e.memos = append(e.memos, newMemoPolicy(c.Name, opts))
		case learnedName:
			e.learned = newLearnedPolicy(opts, func(msg, hint string) { say(c, msg, hint) })
		case "UnexpecTEDIntentPolicy":
			say(c, "UnexpecTEDIntentPolicy is not available in Parley; it is skipped",
				"remove it from config.yml; stories are still evaluated without it")
			continue
		default:
			if hint, ok := legacyPolicies[c.Name]; ok {
				say(c, c.Name+" was removed in Rasa 3.0; it is skipped", hint)
			} else {
				say(c, fmt.Sprintf("unknown policy %q; it is skipped", c.Name),
					"use RulePolicy, MemoizationPolicy, AugmentedMemoizationPolicy or TEDPolicy")
			}
			continue
		}
		e.names = append(e.names, c.Name)
	}
	if len(e.names) == 0 {
		return nil, fmt.Errorf("%w: no usable policy in config.yml "+
			"(add RulePolicy and MemoizationPolicy under policies:)", ErrConfig)
	}
	return e, nil
}
