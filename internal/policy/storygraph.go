package policy

import (
	"reflect"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/tracker"
)

// storyStart is the implicit checkpoint every story without a leading
// checkpoint starts from.
const storyStart = "STORY_START"

// maxSegmentRepeats bounds how often one story part may appear in a path
// through checkpoints, so that checkpoint cycles end.
const maxSegmentRepeats = 2

// segment is a part of a story between checkpoints.
type segment struct {
	name   string
	starts []project.Step // checkpoint steps (with optional slot conditions)
	steps  []project.Step
	ends   []string
}

// segments splits stories at their checkpoints.
func segments(stories []project.Story) []segment {
	var out []segment
	for _, st := range stories {
		cur := segment{name: st.Name}
		content := false
		for i, s := range st.Steps {
			if s.Kind != project.StepCheckpoint {
				cur.steps = append(cur.steps, s)
				content = true
				continue
			}
			if !content {
				cur.starts = append(cur.starts, s)
				continue
			}
			cur.ends = append(cur.ends, s.Checkpoint)
			if !onlyCheckpointsAfter(st.Steps, i) {
				out = append(out, cur)
				cur = segment{name: st.Name, starts: []project.Step{s}}
				content = false
			}
		}
		if len(cur.starts) == 0 {
			cur.starts = []project.Step{{Kind: project.StepCheckpoint, Checkpoint: storyStart}}
		}
		out = append(out, cur)
	}
	return out
}

func onlyCheckpointsAfter(steps []project.Step, i int) bool {
	for _, s := range steps[i+1:] {
		if s.Kind != project.StepCheckpoint {
			return false
		}
	}
	return true
}

// graphWalker generates story trackers by following checkpoints.
type graphWalker struct {
	c       stepConverter
	segs    []segment
	byStart map[string][]int
	limit   int
	out     []*trainingTracker
}

// storyTrackers turns stories into trackers, joining the parts that meet
// at a checkpoint and expanding `or` steps, at most limit trackers.
func storyTrackers(d *domain.Domain, stories []project.Story, limit int) []*trainingTracker {
	w := &graphWalker{c: stepConverter{d: d}, segs: segments(stories),
		byStart: map[string][]int{}, limit: limit}
	for i, s := range w.segs {
		for _, cp := range s.starts {
			w.byStart[cp.Checkpoint] = append(w.byStart[cp.Checkpoint], i)
		}
	}
	for _, i := range w.byStart[storyStart] {
		start := &trainingTracker{name: w.segs[i].name,
			pos: map[int]project.Pos{}, unpredictable: map[int]bool{}}
		w.walk(start, i, storyStart, map[int]int{})
	}
	return w.out
}

func (w *graphWalker) walk(tt *trainingTracker, si int, via string, seen map[int]int) {
	if len(w.out) >= w.limit || seen[si] >= maxSegmentRepeats {
		return
	}
	seg := w.segs[si]
	if !w.checkpointHolds(tt, seg, via) {
		return
	}
	seen[si]++
	defer func() { seen[si]-- }()
	first := len(tt.events)
	for _, v := range expandSteps(w.c, tt, seg.steps, w.limit) {
		if via != storyStart && len(seg.steps) > 0 && seg.steps[0].Kind == project.StepAction &&
			first < len(v.events) {
			v.unpredictable[first] = true
		}
		if tt.name != seg.name && first > 0 {
			v.name = tt.name + " > " + seg.name
		}
		next := w.following(seg)
		if len(next) == 0 {
			w.finish(v)
			continue
		}
		for _, n := range next {
			w.walk(v.clone(), n.seg, n.via, seen)
		}
	}
}

type link struct {
	seg int
	via string
}

// following lists the parts that start where seg ends.
func (w *graphWalker) following(seg segment) []link {
	var out []link
	for _, cp := range seg.ends {
		for _, n := range w.byStart[cp] {
			out = append(out, link{n, cp})
		}
	}
	return out
}

func (w *graphWalker) finish(tt *trainingTracker) {
	if len(w.out) >= w.limit {
		return
	}
	if !tt.lastIsListen() {
		tt.add(event.Event{Type: event.Action, Name: ActionListen}, project.Pos{})
	}
	w.out = append(w.out, tt)
}

// checkpointHolds checks the slot conditions of the checkpoint the walk
// enters seg by.
func (w *graphWalker) checkpointHolds(tt *trainingTracker, seg segment, via string) bool {
	var conds []project.SlotValue
	for _, cp := range seg.starts {
		if cp.Checkpoint == via {
			conds = append(conds, cp.Slots...)
		}
	}
	if len(conds) == 0 {
		return true
	}
	t := tracker.FromEvents("", w.c.d, tt.events)
	for _, c := range conds {
		v := t.Slot(c.Name)
		if c.HasValue && !reflect.DeepEqual(v, c.Value) || !c.HasValue && v == nil {
			return false
		}
	}
	return true
}
