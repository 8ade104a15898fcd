package policy

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/parley-chat/parley/internal/tracker"
)

// learnedName is the config name the learned policy answers to.
const learnedName = "TEDPolicy"

const (
	defaultEpochs = 100
	learningRate  = 0.3
	l2Penalty     = 1e-4
)

// learnedPolicy stands in for Rasa's TEDPolicy: a softmax (multinomial
// logistic regression) over the features of the last MaxHistory states,
// trained on stories and rules. It generalises where no rule or memorised
// story matches; its confidence is the predicted probability.
//
// TODO: a transformer over the dialogue history would match TED more
// closely; this linear model sees each turn's features separately.
type learnedPolicy struct {
	MaxHistory int         `json:"max_history"`
	Priority   int         `json:"priority"`
	Epochs     int         `json:"epochs"`
	Features   []string    `json:"features"`
	Actions    []string    `json:"actions"`
	Weights    [][]float64 `json:"weights"` // [action][feature], bias last
	index      map[string]int
}

func newLearnedPolicy(opts options) *learnedPolicy {
	return &learnedPolicy{MaxHistory: opts.integer("max_history", defaultMaxHistory),
		Priority: priorityLearned, Epochs: opts.integer("epochs", defaultEpochs)}
}

// featurize names the features of the last MaxHistory states; k counts
// turns back from the newest.
func (l *learnedPolicy) featurize(states []tracker.State) []string {
	var out []string
	n := len(states)
	for k := 0; k < n && (l.MaxHistory <= 0 || k < l.MaxHistory); k++ {
		s := states[n-1-k]
		p := strconv.Itoa(k) + ":"
		if !s.HasPrevAction() {
			out = append(out, p+"start")
		}
		add := func(kind, v string) {
			if v != "" {
				out = append(out, p+kind+"="+v)
			}
		}
		add("intent", s.Intent)
		add("prev", s.PrevAction)
		add("loop", s.ActiveLoop)
		for _, e := range s.Entities {
			add("entity", e)
		}
		for _, f := range s.Slots {
			add("slot", f.Name+"="+f.Value)
		}
	}
	return append(out, conjunctions(states)...)
}

// conjunctions pairs features of the newest turns that matter together:
// the intent with the action before the user spoke, and the previous
// action with the active loop.
func conjunctions(states []tracker.State) []string {
	n := len(states)
	if n == 0 {
		return nil
	}
	cur := states[n-1]
	loop := cur.ActiveLoop
	if loop == "" {
		loop = "none"
	}
	out := []string{"x:prev=" + cur.PrevAction + "&loop=" + loop}
	if n > 1 && cur.Intent != "" {
		out = append(out, "x:intent="+cur.Intent+"&before="+states[n-2].PrevAction)
	}
	return out
}

// sample is one deduplicated training example.
type sample struct {
	x      []int
	y      int
	weight float64
}

// train fits the weights on the story examples and the rules.
func (l *learnedPolicy) train(ctx context.Context, data *trainingData) error {
	var raws []rawExample
	for _, ex := range data.storyExamples {
		raws = append(raws, rawExample{l.featurize(ex.states), ex.action})
	}
	for _, ex := range data.ruleExamples {
		if kept, _ := ruleKey(ex.states); kept != nil && ex.action != RuleSnippetAction {
			raws = append(raws, rawExample{l.featurize(kept), ex.action})
		}
	}
	featSet, actSet := map[string]bool{}, map[string]bool{}
	for _, r := range raws {
		for _, f := range r.feats {
			featSet[f] = true
		}
		actSet[r.action] = true
	}
	l.Features = sortedKeys(featSet)
	l.Actions = sortedKeys(actSet)
	l.restore()
	samples := l.samples(raws)
	l.Weights = make([][]float64, len(l.Actions))
	for i := range l.Weights {
		l.Weights[i] = make([]float64, len(l.Features)+1)
	}
	return l.fit(ctx, samples)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// rawExample is a training example before indexing.
type rawExample struct {
	feats  []string
	action string
}

// samples turns raw examples into index lists, merging duplicates.
func (l *learnedPolicy) samples(raws []rawExample) []sample {
	seen := map[string]int{}
	var out []sample
	for _, r := range raws {
		x := l.indices(r.feats)
		key := r.action + "\x00" + intsKey(x)
		if i, ok := seen[key]; ok {
			out[i].weight++
			continue
		}
		seen[key] = len(out)
		y, _ := slices.BinarySearch(l.Actions, r.action)
		out = append(out, sample{x: x, y: y, weight: 1})
	}
	return out
}

func intsKey(x []int) string {
	b := make([]byte, 0, len(x)*4)
	for _, v := range x {
		b = strconv.AppendInt(b, int64(v), 10)
		b = append(b, ',')
	}
	return string(b)
}

// indices maps feature names to known indices, sorted, without repeats.
func (l *learnedPolicy) indices(feats []string) []int {
	var x []int
	for _, f := range feats {
		if i, ok := l.index[f]; ok {
			x = append(x, i)
		}
	}
	slices.Sort(x)
	return slices.Compact(x)
}

// fit runs stochastic gradient descent on the softmax loss, visiting the
// samples in a seeded order so that training is deterministic.
func (l *learnedPolicy) fit(ctx context.Context, samples []sample) error {
	if len(samples) == 0 || len(l.Actions) < 2 {
		return nil
	}
	rng := rand.New(rand.NewPCG(1, 2))
	order := make([]int, len(samples))
	for i := range order {
		order[i] = i
	}
	probs := make([]float64, len(l.Actions))
	for epoch := range max(l.Epochs, 1) {
		if err := ctx.Err(); err != nil {
			return err
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		lr := learningRate / (1 + 0.05*float64(epoch))
		for _, i := range order {
			s := samples[i]
			l.scores(s.x, probs)
			for a := range probs {
				g := probs[a]
				if a == s.y {
					g--
				}
				g *= s.weight * lr
				w := l.Weights[a]
				for _, f := range s.x {
					w[f] -= g + lr*l2Penalty*w[f]
				}
				w[len(w)-1] -= g
			}
		}
	}
	return nil
}

// scores writes the softmax probabilities of every action into probs.
func (l *learnedPolicy) scores(x []int, probs []float64) {
	maxScore := math.Inf(-1)
	for a, w := range l.Weights {
		z := w[len(w)-1]
		for _, f := range x {
			z += w[f]
		}
		probs[a] = z
		maxScore = max(maxScore, z)
	}
	sum := 0.0
	for a := range probs {
		probs[a] = math.Exp(probs[a] - maxScore)
		sum += probs[a]
	}
	for a := range probs {
		probs[a] /= sum
	}
}

// restore rebuilds the feature index after loading.
func (l *learnedPolicy) restore() {
	l.index = make(map[string]int, len(l.Features))
	for i, f := range l.Features {
		l.index[f] = i
	}
}

// predict scores every action the policy learned.
func (l *learnedPolicy) predict(states []tracker.State) policyPrediction {
	pred := policyPrediction{policy: learnedName, priority: l.Priority, scores: map[string]float64{}}
	if len(l.Weights) == 0 {
		return pred
	}
	if len(l.Actions) == 1 {
		pred.scores[l.Actions[0]] = 1
		return pred
	}
	probs := make([]float64, len(l.Actions))
	l.scores(l.indices(l.featurize(states)), probs)
	for a, p := range probs {
		pred.scores[l.Actions[a]] = p
	}
	return pred
}
