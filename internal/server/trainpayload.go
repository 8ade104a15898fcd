package server

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/parley-chat/parley/internal/project"
)

// payloadPart says which project file a top-level key of a one-document
// training payload belongs to.
var payloadPart = map[string]string{
	"recipe": "config.yml", "language": "config.yml", "pipeline": "config.yml",
	"policies": "config.yml", "assistant_id": "config.yml",
	"intents": "domain.yml", "entities": "domain.yml", "slots": "domain.yml",
	"responses": "domain.yml", "actions": "domain.yml", "forms": "domain.yml",
	"session_config": "domain.yml", "e2e_actions": "domain.yml", "config": "domain.yml",
	"nlu": "data/nlu.yml", "stories": "data/stories.yml", "rules": "data/rules.yml",
}

// payloadFiles are the files a payload is split into.
var payloadFiles = []string{"config.yml", "domain.yml", "data/nlu.yml", "data/stories.yml",
	"data/rules.yml"}

// splitPayload splits the YAML of one training document (config, domain
// and data in one, as Rasa's /model/train takes it) into a project's files
// in dir. Each file keeps the body's line numbers: the lines of the other
// parts are left blank, so that a diagnostic's line:column points into the
// body. "version" goes into every file.
func splitPayload(body []byte, dir string) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return badRequest("The request body does not contain valid YAML: %v.", err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return badRequest("The request body must be one YAML mapping with the keys of " +
			"config.yml, domain.yml and the training data (nlu, stories, rules).")
	}
	lines := strings.SplitAfter(string(body), "\n")
	owner := make([]string, len(lines))
	top := doc.Content[0].Content
	for i := 0; i < len(top); i += 2 {
		key := top[i].Value
		part, ok := payloadPart[key]
		if key == "version" {
			part, ok = "*", true
		}
		if !ok {
			return badRequest("The request body has the key %q at line %d, which is not a key "+
				"of config.yml, domain.yml or the training data.", key, top[i].Line)
		}
		end := len(lines)
		if i+2 < len(top) {
			end = top[i+2].Line - 1
		}
		for l := top[i].Line - 1; l < end; l++ {
			owner[l] = part
		}
	}
	return writeParts(lines, owner, dir)
}

// writeParts writes each payload file with its own lines and blanks.
func writeParts(lines, owner []string, dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		return err
	}
	for _, file := range payloadFiles {
		var b bytes.Buffer
		for i, line := range lines {
			if owner[i] == file || owner[i] == "*" {
				b.WriteString(line)
			} else if strings.HasSuffix(line, "\n") {
				b.WriteByte('\n')
			}
		}
		if err := os.WriteFile(filepath.Join(dir, file), b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("writing the training payload: %w", err)
		}
	}
	return nil
}

// loadPayload splits body into dir and loads it as a project.
func loadPayload(body []byte, dir string) (*project.Project, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, badRequest("You must provide training data in the request body in " +
			"order to train your model.")
	}
	if err := splitPayload(body, dir); err != nil {
		return nil, err
	}
	p, err := project.Load(dir, project.Options{Data: []string{"data"}})
	if err != nil {
		msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
		return nil, &Error{Status: 400, Reason: ReasonBadRequest,
			Message: "The training data in the request body is invalid (the file names are " +
				"the parts of the body; line:column count in the body): " + msg}
	}
	return p, nil
}
