package project

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// migrationWarning reports a construct that Rasa 3 removed and that Parley
// has mapped onto its 3.x replacement; replacement says what to write now.
func migrationWarning(s *source, n *yaml.Node, construct, replacement string) {
	migrationWarningAt(s, s.pos(n), construct, replacement)
}

func migrationWarningAt(s *source, p Pos, construct, replacement string) {
	s.add(p, Warning, replacement,
		construct+": removed in Rasa 3.0, migrated to the 3.x form")
}

// migratePolicies replaces the policies Rasa 3 removed (FallbackPolicy,
// TwoStageFallbackPolicy, MappingPolicy, FormPolicy) by RulePolicy,
// FallbackClassifier and rules, and returns those rules.
func migratePolicies(s *source, c *Config) []Story {
	var kept []Component
	var rules []Story
	needRulePolicy := false
	for _, pol := range c.Policies {
		switch pol.Name {
		case "FallbackPolicy", "TwoStageFallbackPolicy":
			rules = append(rules, migrateFallback(s, c, pol))
			needRulePolicy = true
		case "MappingPolicy":
			migrationWarningAt(s, pol.Pos, "MappingPolicy",
				"use RulePolicy and write a rule per intent trigger; RulePolicy was added")
			needRulePolicy = true
		case "FormPolicy":
			migrationWarningAt(s, pol.Pos, "FormPolicy",
				"use RulePolicy with rules that activate each form; RulePolicy was added")
			needRulePolicy = true
		default:
			kept = append(kept, pol)
		}
	}
	c.Policies = kept
	if needRulePolicy && componentIndex(c.Policies, "RulePolicy") < 0 {
		c.Policies = append(c.Policies, Component{Name: "RulePolicy", Pos: c.Pos})
	}
	return rules
}

func componentIndex(list []Component, name string) int {
	for i, c := range list {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// option returns a component option or a default.
func option(c Component, key string, def any) any {
	if v, ok := c.Options[key]; ok && v != nil {
		return v
	}
	return def
}

// migrateFallback maps FallbackPolicy or TwoStageFallbackPolicy onto
// FallbackClassifier (NLU thresholds), RulePolicy (core fallback) and a rule
// for the nlu_fallback intent.
func migrateFallback(s *source, c *Config, pol Component) Story {
	action := fmt.Sprint(option(pol, "fallback_action_name", "action_default_fallback"))
	two := pol.Name == "TwoStageFallbackPolicy"
	if two {
		action = fmt.Sprint(option(pol, "fallback_core_action_name", "action_default_fallback"))
	}
	if componentIndex(c.Pipeline, "FallbackClassifier") < 0 {
		c.Pipeline = append(c.Pipeline, Component{Name: "FallbackClassifier", Pos: pol.Pos,
			Options: map[string]any{
				"threshold":           option(pol, "nlu_threshold", 0.3),
				"ambiguity_threshold": option(pol, "ambiguity_threshold", 0.1)}})
	}
	if i := componentIndex(c.Policies, "RulePolicy"); i < 0 {
		c.Policies = append(c.Policies, Component{Name: "RulePolicy", Pos: pol.Pos})
	}
	for i := range c.Policies {
		if c.Policies[i].Name == "RulePolicy" {
			setDefaultOption(&c.Policies[i], "core_fallback_threshold",
				option(pol, "core_threshold", 0.3))
			setDefaultOption(&c.Policies[i], "core_fallback_action_name", action)
		}
	}
	rule := Story{Name: pol.Name + " (migrated)", Kind: KindRule, WaitForUserInput: true,
		Pos: pol.Pos, Steps: []Step{{Kind: StepIntent, Intent: "nlu_fallback", Pos: pol.Pos}}}
	hint := "add FallbackClassifier to the pipeline, RulePolicy with core_fallback_threshold, " +
		"and a rule: - intent: nlu_fallback, - action: " + action + "; these were added"
	if two {
		loop := "action_two_stage_fallback"
		rule.Steps = append(rule.Steps, Step{Kind: StepAction, Action: loop, Pos: pol.Pos},
			Step{Kind: StepActiveLoop, ActiveLoop: loop, Pos: pol.Pos})
		hint = "add FallbackClassifier, RulePolicy and a rule: - intent: nlu_fallback, " +
			"- action: action_two_stage_fallback, - active_loop: action_two_stage_fallback; " +
			"these were added"
	} else {
		rule.Steps = append(rule.Steps, Step{Kind: StepAction, Action: action, Pos: pol.Pos})
	}
	migrationWarningAt(s, pol.Pos, pol.Name, hint)
	return rule
}

func setDefaultOption(c *Component, key string, v any) {
	if c.Options == nil {
		c.Options = map[string]any{}
	}
	if _, set := c.Options[key]; !set {
		c.Options[key] = v
	}
}
