package policy

import (
	"math/rand/v2"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/tracker"
)

// augmentedExamples glues random pairs of story trackers end to start, as
// Rasa's augmentation does, and returns the examples of the glued-on
// parts: the same story steps after a conversation that went elsewhere
// before, with its slots and loop still set. At most count pairs are made.
func augmentedExamples(d *domain.Domain, stories []*trainingTracker, count int,
	rng *rand.Rand) []example {
	if len(stories) < 2 || count <= 0 {
		return nil
	}
	own := make([]int, len(stories))
	for i, tt := range stories {
		own[i] = len(tt.examples(d))
	}
	var out []example
	for range count {
		i, j := rng.IntN(len(stories)), rng.IntN(len(stories))
		g := glue(stories[i], stories[j])
		exs := g.examples(d)
		// The first part's examples are the first story's own.
		out = append(out, exs[min(own[i], len(exs)):]...)
	}
	return out
}

// glue returns a tracker of a's events followed by b's, leaving out b's
// opening action_listen when a already ends listening.
func glue(a, b *trainingTracker) *trainingTracker {
	c := a.clone()
	c.name = a.name + " + " + b.name
	start := 0
	if c.lastIsListen() && len(b.events) > 0 && b.events[0].Type == event.Action &&
		b.events[0].Name == ActionListen {
		start = 1
	}
	for i := start; i < len(b.events); i++ {
		if b.unpredictable[i] {
			c.unpredictable[len(c.events)] = true
		}
		c.add(b.events[i], b.pos[i])
	}
	return c
}

// ruleInContextExamples places rules that hold anywhere (no condition, not
// only at the conversation start, no "must not be set" step) after random
// stories or at the start of a conversation, and returns the examples of
// the rule parts: a rule says what to do whatever came before. At most
// count rules are placed.
func ruleInContextExamples(d *domain.Domain, stories, rules []*trainingTracker, count int,
	rng *rand.Rand) []example {
	var free []*trainingTracker
	for _, r := range rules {
		if body := ruleBody(r); body != nil {
			free = append(free, body)
		}
	}
	if len(free) == 0 || count <= 0 {
		return nil
	}
	own := make([]int, len(stories))
	for i, tt := range stories {
		own[i] = len(tt.examples(d))
	}
	var out []example
	for range count {
		r := free[rng.IntN(len(free))]
		i := rng.IntN(len(stories) + 1)
		if i == len(stories) {
			out = append(out, r.examples(d)...)
			continue
		}
		exs := glue(stories[i], r).examples(d)
		out = append(out, exs[min(own[i], len(exs)):]...)
	}
	return out
}

// ruleBody returns a story-like tracker of the rule's steps after its
// start marker, without the end marker, or nil when the rule does not hold
// in every context.
func ruleBody(r *trainingTracker) *trainingTracker {
	if len(r.events) == 0 || r.events[0].Type != event.Action ||
		r.events[0].Name != RuleSnippetAction {
		return nil
	}
	b := &trainingTracker{name: r.name, pos: map[int]project.Pos{},
		unpredictable: map[int]bool{}}
	for i, e := range r.events[1:] {
		if e.Type == event.Action && e.Name == RuleSnippetAction {
			break
		}
		if e.Name == tracker.ShouldNotBeSet || e.Value == tracker.ShouldNotBeSet {
			return nil
		}
		b.add(e, r.pos[i+1])
	}
	return b
}
