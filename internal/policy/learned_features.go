package policy

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/parley-chat/parley/internal/tracker"
)

// stateFeatures names the features of the last maxHistory states (all of
// them for 0 or less). Each feature is prefixed by how many turns back its
// state is ("0:" is the current state), so that the network can tell the
// newest turn from older ones; a few pairs of the newest turns are added
// as conjunctions, which lets a small network learn them from one story.
func stateFeatures(states []tracker.State, maxHistory int) []string {
	var out []string
	n := len(states)
	for k := 0; k < n && (maxHistory <= 0 || k < maxHistory); k++ {
		out = appendState(out, strconv.Itoa(k)+":", states[n-1-k])
	}
	return append(out, stateConjunctions(states)...)
}

// appendState appends the features of one state under prefix p.
func appendState(out []string, p string, s tracker.State) []string {
	add := func(kind, v string) {
		if v != "" {
			out = append(out, p+kind+"="+v)
		}
	}
	if !s.HasPrevAction() {
		out = append(out, p+"start")
	}
	add("intent", s.Intent)
	if s.Intent == "" && s.Text != "" {
		add("text", normText(s.Text))
		for _, w := range words(s.Text) {
			add("word", w)
		}
	}
	add("prev", s.PrevAction)
	if s.PrevText != "" {
		add("prev_text", normText(s.PrevText))
	}
	add("loop", s.ActiveLoop)
	for _, e := range s.Entities {
		add("entity", e)
	}
	for _, f := range s.Slots {
		add("slot", f.Name+"="+f.Value)
	}
	return out
}

// stateConjunctions pairs what decides most next actions: the previous
// action with the active loop, and the user's intent (or text) with the
// action before it.
func stateConjunctions(states []tracker.State) []string {
	n := len(states)
	if n == 0 {
		return nil
	}
	cur := states[n-1]
	loop := cur.ActiveLoop
	if loop == "" {
		loop = "none"
	}
	out := []string{"x:prev=" + prevName(cur) + "&loop=" + loop}
	if n > 1 && cur.HasUser() {
		out = append(out, "x:user="+userName(cur)+"&before="+prevName(states[n-2]))
	}
	return out
}

func prevName(s tracker.State) string {
	if s.PrevAction != "" {
		return s.PrevAction
	}
	return normText(s.PrevText)
}

func userName(s tracker.State) string {
	if s.Intent != "" {
		return s.Intent
	}
	return normText(s.Text)
}

// normText lower-cases text and joins its words with single spaces.
func normText(s string) string { return strings.Join(words(s), " ") }

// words splits text into lower-case words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// featureScales returns the input value of each feature: recencyDecay to
// the power of how many turns back it looks (the conjunctions are about
// the newest turn). Older turns thus need larger weights, which weight
// decay resists, to sway a prediction: a prior that the latest turn
// matters most.
func featureScales(feats []string) []float64 {
	scales := make([]float64, len(feats))
	for i, f := range feats {
		scales[i] = 1
		p, _, _ := strings.Cut(f, ":")
		if k, err := strconv.Atoi(p); err == nil {
			scales[i] = math.Pow(recencyDecay, float64(k))
		}
	}
	return scales
}
