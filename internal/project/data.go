package project

import (
	"path"
	"strings"

	"go.yaml.in/yaml/v3"
)

// TrainingData is what one training-data file holds. Files whose name starts
// with "test_" put their stories and rules into TestStories.
type TrainingData struct {
	NLU         NLUData
	Stories     []Story
	Rules       []Story
	TestStories []Story
	// ResponsePos says where each response of the NLU files is defined.
	ResponsePos map[string]Pos
}

// isTestFile tells whether a data file holds test stories, as Rasa decides
// it: by a base name starting with "test_".
func isTestFile(name string) bool {
	return strings.HasPrefix(path.Base(strings.ReplaceAll(name, "\\", "/")), "test_")
}

// supportedVersions are the training-data format versions Parley reads
// without a warning.
var supportedVersions = map[string]bool{"2.0": true, "3.0": true, "3.1": true}

// checkVersion warns about a `version` other than "2.0" to "3.1".
func (s *source) checkVersion(n *yaml.Node) string {
	if isNull(n) {
		return ""
	}
	v, ok := s.text(n, "version")
	if ok && !supportedVersions[v] {
		s.warnf(n, `use version: "3.1"`,
			"format version %q is not one Parley knows (2.0 to 3.1); reading it as 3.1", v)
	}
	return v
}

// readTrainingData reads the top mapping of a YAML training-data file.
func readTrainingData(s *source, top *yaml.Node) *TrainingData {
	td := &TrainingData{}
	if top == nil {
		if !s.failed() { // a file that does not parse has its error already
			s.warnf(nil, "add nlu:, stories: or rules:, or delete the file",
				"the file is empty; it holds no training data")
		}
		return td
	}
	if !s.expectMapping(top, "a training data file", false) {
		return td
	}
	test := isTestFile(s.file)
	found := false
	for _, p := range pairs(top) {
		switch p.key.Value {
		case "version":
			s.checkVersion(p.val)
		case "nlu":
			found = true
			readNLU(s, p.val, &td.NLU)
		case "responses":
			found = true
			readNLUResponses(s, p.val, td)
		case "stories", "rules":
			found = true
			stories := readStories(s, p.val, p.key.Value == "rules", test)
			td.addStories(stories, test)
		default:
			s.warnf(p.key, "remove it, or check its spelling",
				"unknown top-level key %q in a training data file is ignored", p.key.Value)
		}
	}
	if !found {
		s.warnf(top, "add nlu:, stories: or rules:", "the file holds no training data")
	}
	return td
}

func (t *TrainingData) addStories(stories []Story, test bool) {
	for _, st := range stories {
		switch {
		case test:
			t.TestStories = append(t.TestStories, st)
		case st.Kind == KindRule:
			t.Rules = append(t.Rules, st)
		default:
			t.Stories = append(t.Stories, st)
		}
	}
}
