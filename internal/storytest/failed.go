package storytest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/parley-chat/parley/internal/project"
)

// FailedStoriesYAML returns failed_test_stories.yml: each failed story with
// a "# predicted: ..." comment on every wrong step, as Rasa writes it.
func (r *Report) FailedStoriesYAML() []byte {
	var b strings.Builder
	failed := 0
	for _, s := range r.Stories {
		if !s.Failed {
			continue
		}
		if failed == 0 {
			b.WriteString("version: \"3.1\"\nstories:\n")
		}
		failed++
		writeStory(&b, s)
	}
	if failed == 0 {
		return []byte(noFailuresString + "\n")
	}
	return []byte(b.String())
}

func writeStory(b *strings.Builder, s StoryResult) {
	name := s.Story.Name
	if f := s.Story.Pos.File; f != "" {
		name += " (" + f + ")"
	}
	fmt.Fprintf(b, "- story: %s\n", scalar(name))
	if s.LimitReached {
		b.WriteString("  # the bot predicted more actions after one message than the limit allows\n")
	}
	b.WriteString("  steps:\n")
	for _, st := range s.steps {
		writeStep(b, st)
	}
}

func comment(predicted string) string {
	if predicted == "" {
		return ""
	}
	return "  # predicted: " + predicted
}

func writeStep(b *strings.Builder, sr stepResult) {
	s := sr.step
	switch s.Kind {
	case project.StepIntent:
		fmt.Fprintf(b, "  - intent: %s%s\n", scalar(s.Intent), comment(sr.predicted))
		if s.UserText != "" {
			b.WriteString("    user: |-\n      " + annotate(s.UserText, s.UserEntities) + "\n")
		}
		writeEntities(b, s.Entities)
	case project.StepAction:
		if sr.implicitListen && sr.predicted == "" {
			return
		}
		fmt.Fprintf(b, "  - action: %s%s\n", scalar(s.Action), comment(sr.predicted))
	case project.StepBot:
		fmt.Fprintf(b, "  - bot: %s%s\n", scalar(s.BotText), comment(sr.predicted))
	case project.StepActiveLoop:
		if s.ActiveLoop == "" {
			b.WriteString("  - active_loop: null\n")
		} else {
			fmt.Fprintf(b, "  - active_loop: %s\n", scalar(s.ActiveLoop))
		}
	case project.StepSlotWasSet:
		b.WriteString("  - slot_was_set:\n")
		for _, sv := range s.Slots {
			if !sv.HasValue {
				fmt.Fprintf(b, "    - %s\n", scalar(sv.Name))
				continue
			}
			fmt.Fprintf(b, "    - %s: %s\n", scalar(sv.Name), scalar(sv.Value))
		}
	}
}

func writeEntities(b *strings.Builder, ents []project.StepEntity) {
	if len(ents) == 0 {
		return
	}
	b.WriteString("    entities:\n")
	for _, e := range ents {
		if !e.HasValue {
			fmt.Fprintf(b, "    - %s\n", scalar(e.Entity))
			continue
		}
		fmt.Fprintf(b, "    - %s: %s\n", scalar(e.Entity), scalar(e.Value))
	}
}

// scalar writes one YAML flow scalar (quoted when YAML needs it).
func scalar(v any) string {
	out, err := yaml.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := strings.TrimSuffix(string(out), "\n")
	if strings.Contains(s, "\n") {
		data, _ := json.Marshal(fmt.Sprint(v))
		return string(data)
	}
	return s
}

// annotate writes entity annotations back into a message:
// "[afghan](cuisine) food".
func annotate(text string, ents []project.EntityAnnotation) string {
	ents = slices.Clone(ents)
	slices.SortFunc(ents, func(a, b project.EntityAnnotation) int { return a.Start - b.Start })
	var b strings.Builder
	at := 0
	for _, e := range ents {
		if e.Start < at || e.End > len(text) || e.Start > e.End {
			continue
		}
		b.WriteString(text[at:e.Start])
		span := text[e.Start:e.End]
		b.WriteString("[" + span + "]")
		if e.Value == span && e.Role == "" && e.Group == "" {
			b.WriteString("(" + e.Entity + ")")
		} else {
			b.WriteString(annotationJSON(e, span))
		}
		at = e.End
	}
	b.WriteString(text[at:])
	return strings.ReplaceAll(b.String(), "\n", "\n      ")
}

func annotationJSON(e project.EntityAnnotation, span string) string {
	parts := []string{`"entity": ` + quote(e.Entity)}
	if e.Value != span {
		parts = append(parts, `"value": `+quote(e.Value))
	}
	if e.Role != "" {
		parts = append(parts, `"role": `+quote(e.Role))
	}
	if e.Group != "" {
		parts = append(parts, `"group": `+quote(e.Group))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func quote(s string) string {
	data, _ := json.Marshal(s)
	return string(data)
}
