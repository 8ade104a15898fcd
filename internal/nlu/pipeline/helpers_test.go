package pipeline

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/parley-chat/parley/internal/project"
)

var annotation = regexp.MustCompile(`\[([^\]]+)\](?:\(([^)]+)\)|(\{[^}]*\}))`)

// example builds a training example from Rasa's inline annotation syntax.
func example(intent, s string) project.Example {
	ex := project.Example{Intent: intent, Pos: project.Pos{File: "data/nlu.yml", Line: 1}}
	var b strings.Builder
	last := 0
	for _, m := range annotation.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(s[last:m[0]])
		text := s[m[2]:m[3]]
		e := project.EntityAnnotation{Start: b.Len(), End: b.Len() + len(text), Value: text}
		if m[4] >= 0 {
			name, value, ok := strings.Cut(s[m[4]:m[5]], ":")
			e.Entity = name
			if ok {
				e.Value = value
			}
		} else {
			var obj map[string]string
			if err := json.Unmarshal([]byte(s[m[6]:m[7]]), &obj); err != nil {
				panic(err)
			}
			e.Entity, e.Role, e.Group = obj["entity"], obj["role"], obj["group"]
			if v, ok := obj["value"]; ok {
				e.Value = v
			}
		}
		b.WriteString(text)
		ex.Entities = append(ex.Entities, e)
		last = m[1]
	}
	b.WriteString(s[last:])
	ex.Text = b.String()
	return ex
}

// examples builds examples of one intent.
func examples(intent string, texts ...string) []project.Example {
	out := make([]project.Example, len(texts))
	for i, t := range texts {
		out[i] = example(intent, t)
	}
	return out
}

// moodData is the moodbot's training data (abridged).
func moodData() project.NLUData {
	var exs []project.Example
	exs = append(exs, examples("greet", "hey", "hello", "hi", "hello there", "good morning",
		"good evening", "moin", "hey there", "let's go", "hey dude", "goodmorning")...)
	exs = append(exs, examples("goodbye", "cu", "good by", "cee you later", "good night",
		"bye", "goodbye", "have a nice day", "see you around", "bye bye", "see you later")...)
	exs = append(exs, examples("affirm", "yes", "y", "indeed", "of course",
		"that sounds good", "correct")...)
	exs = append(exs, examples("deny", "no", "n", "never", "I don't think so",
		"don't like that", "no way", "not really")...)
	exs = append(exs, examples("mood_great", "perfect", "great", "amazing",
		"feeling like a king", "wonderful", "I am feeling very good", "I am great",
		"I am amazing", "super stoked", "extremely good", "so good")...)
	exs = append(exs, examples("mood_unhappy", "my day was horrible", "I am sad",
		"I don't feel very well", "I am disappointed", "super sad", "I'm so sad", "sad",
		"very sad", "unhappy", "not good", "not very good", "extremly sad")...)
	exs = append(exs, examples("bot_challenge", "are you a bot?", "are you a human?",
		"am I talking to a bot?", "am I talking to a human?")...)
	return project.NLUData{Examples: exs}
}

func config(comps ...project.Component) project.Config {
	return project.Config{Language: "en", Pipeline: comps}
}

func comp(name string, kv ...any) project.Component {
	c := project.Component{Name: name, Options: map[string]any{},
		Pos: project.Pos{File: "config.yml", Line: 3, Column: 5}}
	for i := 0; i+1 < len(kv); i += 2 {
		c.Options[kv[i].(string)] = kv[i+1]
	}
	return c
}

// train trains or fails the test, collecting warnings.
func train(t *testing.T, data project.NLUData, cfg project.Config) (*Model, []project.Diagnostic) {
	t.Helper()
	var warns []project.Diagnostic
	m, err := Train(context.Background(), data, cfg, TrainOptions{
		Warn: func(d project.Diagnostic) { warns = append(warns, d) }})
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	return m, warns
}
