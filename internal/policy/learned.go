package policy

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/parley-chat/parley/internal/tracker"
)

// learnedName is the config name the learned policy answers to.
const learnedName = "TEDPolicy"

const (
	// defaultEpochs is TED's default; a config's epochs caps the passes
	// over the data, but never below minEpochs (TED's epoch counts are
	// tuned for another optimiser) nor above maxEpochs.
	defaultEpochs = 100
	minEpochs     = 30
	maxEpochs     = 300
	// defaultSeed makes training reproducible when random_seed is unset.
	defaultSeed = 1
	// The hidden layer has as many units as there are actions, within
	// these bounds.
	minHidden = 32
	maxHidden = 128
	// augmentFactor glued story pairs are made per story tracker, and as
	// many rules placed after stories per rule, at most maxAugmented each.
	augmentFactor = 20
	maxAugmented  = 2000
	// With at least minValidation distinct examples, valFraction of them
	// are held out to find the number of passes (early stopping): the
	// search ends patience passes after the best one, and not before pass
	// minStopEpoch. Fewer would leave a handful of held-out examples, too
	// few to say when to stop (docs/learned-policy.md).
	minValidation = 200
	valFraction   = 0.1
	patience      = 8
	minStopEpoch  = 10
	// recencyDecay scales the features of each older turn (see
	// featureScales).
	recencyDecay = 0.5
)

// learnedOptions are the TEDPolicy options the learned policy reads; the
// others are named in a warning.
var learnedOptions = map[string]bool{"max_history": true, "epochs": true, "random_seed": true}

// learnedPolicy stands in for Rasa's TEDPolicy: a feed-forward network
// (one ReLU hidden layer plus a linear path) over the features of the last
// MaxHistory states (intent or text, entities, slots, active loop,
// previous action, each tagged with how many turns back it is and weighted
// down the older it is). It is trained on the stories, on story pairs
// glued together (so that it learns to ignore what came before a story),
// on the rules alone and placed after stories, and stops early when a
// held-out slice of examples stops improving. Training is deterministic:
// every random choice comes from Seed. Its confidence is the softmax
// probability. docs/learned-policy.md has the measurements.
type learnedPolicy struct {
	MaxHistory int    `json:"max_history"`
	Priority   int    `json:"priority"`
	Epochs     int    `json:"epochs"`
	Seed       uint64 `json:"random_seed"`
	// TrainedEpochs is how many passes the final training made; Examples
	// how many distinct examples it saw.
	TrainedEpochs int      `json:"trained_epochs"`
	Examples      int      `json:"examples"`
	Features      []string `json:"features"`
	Actions       []string `json:"actions"`
	Net           *net     `json:"net,omitempty"`
	index         map[string]int
}

// newLearnedPolicy reads TEDPolicy's options; say reports the options it
// does not use.
func newLearnedPolicy(opts options, say func(msg, hint string)) *learnedPolicy {
	var ignored []string
	for k := range opts {
		if !learnedOptions[k] {
			ignored = append(ignored, k)
		}
	}
	if len(ignored) > 0 && say != nil {
		slices.Sort(ignored)
		say(fmt.Sprintf("TEDPolicy option(s) %s have no effect in Parley",
			strings.Join(ignored, ", ")),
			"Parley's learned policy reads max_history, epochs and random_seed "+
				"(see docs/learned-policy.md)")
	}
	return &learnedPolicy{MaxHistory: opts.integer("max_history", defaultMaxHistory),
		Priority: priorityLearned, Epochs: opts.integer("epochs", defaultEpochs),
		Seed: uint64(max(opts.integer("random_seed", defaultSeed), 0))}
}

// rng returns the random source of one training stage.
func (l *learnedPolicy) rng(stage uint64) *rand.Rand {
	return rand.New(rand.NewPCG(l.Seed, stage))
}

// Stages of training, each with its own random stream.
const (
	stageAugment = iota + 1
	stageSplit
	stageFit
	stageRules
	stageInit
)

// train fits the network on the stories, glued story pairs and rules.
func (l *learnedPolicy) train(ctx context.Context, data *trainingData) error {
	raws := l.rawExamples(data)
	l.vocabulary(raws)
	samples := l.samples(raws)
	l.Examples = len(samples)
	l.Net, l.TrainedEpochs = nil, 0
	if len(samples) == 0 || len(l.Actions) < 2 {
		return nil
	}
	train, val := splitValidation(samples, l.rng(stageSplit))
	sched := fitSchedule{maxEpochs: min(max(l.Epochs, minEpochs), maxEpochs), patience: patience,
		minEpochs: minStopEpoch}
	epochs := sched.maxEpochs
	if len(val) > 0 {
		var err error
		n := l.newNet(samples)
		if epochs, err = fitNet(ctx, n, l.rng(stageFit), train, val, sched); err != nil {
			return err
		}
	}
	// Train again on every example for the pass count found.
	n := l.newNet(samples)
	sched.maxEpochs = epochs
	if _, err := fitNet(ctx, n, l.rng(stageFit), samples, nil, sched); err != nil {
		return err
	}
	n.roundToFloat32()
	l.Net, l.TrainedEpochs = n, epochs
	return nil
}

// rawExamples featurises the training examples.
func (l *learnedPolicy) rawExamples(data *trainingData) []rawExample {
	var raws []rawExample
	add := func(exs []example) {
		for _, ex := range exs {
			raws = append(raws, rawExample{stateFeatures(ex.states, l.MaxHistory), ex.action})
		}
	}
	add(data.storyExamples)
	count := min(augmentFactor*len(data.stories), maxAugmented)
	add(augmentedExamples(data.domain, data.stories, count, l.rng(stageAugment)))
	count = min(augmentFactor*len(data.rules), maxAugmented)
	for _, ex := range ruleInContextExamples(data.domain, data.stories, data.rules, count,
		l.rng(stageRules)) {
		if ex.action != RuleSnippetAction {
			raws = append(raws, rawExample{stateFeatures(ex.states, l.MaxHistory), ex.action})
		}
	}
	for _, ex := range data.ruleExamples {
		if kept, _ := ruleKey(ex.states); kept != nil && ex.action != RuleSnippetAction {
			raws = append(raws, rawExample{stateFeatures(kept, l.MaxHistory), ex.action})
		}
	}
	return raws
}

// vocabulary sets the sorted feature and action names.
func (l *learnedPolicy) vocabulary(raws []rawExample) {
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
}

// newNet returns the untrained network, the same for the same seed.
func (l *learnedPolicy) newNet(samples []sample) *net {
	nnz := 0
	for _, s := range samples {
		nnz += len(s.x)
	}
	nnz /= max(len(samples), 1)
	hidden := min(max(len(l.Actions), minHidden), maxHidden)
	n := newNet(len(l.Features), hidden, len(l.Actions), nnz, l.rng(stageInit))
	n.Scale = featureScales(l.Features)
	return n
}

// splitValidation holds out a seeded slice of the samples when there are
// enough of them; otherwise val is empty.
func splitValidation(samples []sample, rng *rand.Rand) (train, val []sample) {
	if len(samples) < minValidation {
		return samples, nil
	}
	order := rng.Perm(len(samples))
	k := max(int(float64(len(samples))*valFraction), 1)
	for i, o := range order {
		if i < k {
			val = append(val, samples[o])
		} else {
			train = append(train, samples[o])
		}
	}
	return train, val
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

// samples turns raw examples into index lists, dropping duplicates (as
// Rasa's featurizer does), in first-seen order.
func (l *learnedPolicy) samples(raws []rawExample) []sample {
	seen := map[string]bool{}
	var out []sample
	for _, r := range raws {
		x := l.indices(r.feats)
		key := r.action + "\x00" + intsKey(x)
		if seen[key] {
			continue
		}
		seen[key] = true
		y, _ := slices.BinarySearch(l.Actions, r.action)
		out = append(out, sample{x: x, y: y})
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

// restore rebuilds the feature index after loading.
func (l *learnedPolicy) restore() {
	l.index = make(map[string]int, len(l.Features))
	for i, f := range l.Features {
		l.index[f] = i
	}
	if l.Net != nil {
		l.Net.Scale = featureScales(l.Features)
	}
}

// UnmarshalJSON reads a saved learned policy and checks that its network
// fits its feature and action lists.
func (l *learnedPolicy) UnmarshalJSON(data []byte) error {
	type plain learnedPolicy
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	if p.Net != nil && (p.Net.In != len(p.Features) || p.Net.Out != len(p.Actions)) {
		return fmt.Errorf("learned policy: network is %d×%d but there are %d features "+
			"and %d actions", p.Net.In, p.Net.Out, len(p.Features), len(p.Actions))
	}
	*l = learnedPolicy(p)
	return nil
}

// predict scores every action the policy learned.
func (l *learnedPolicy) predict(states []tracker.State) policyPrediction {
	pred := policyPrediction{policy: learnedName, priority: l.Priority, scores: map[string]float64{}}
	switch {
	case len(l.Actions) == 1:
		pred.scores[l.Actions[0]] = 1
	case l.Net != nil:
		probs := l.Net.predict(l.indices(stateFeatures(states, l.MaxHistory)))
		for a, p := range probs {
			pred.scores[l.Actions[a]] = p
		}
	}
	return pred
}
