package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// contractFile is one fixture of testdata/contract: the server's settings
// and cases, each a list of requests with the answers they must get. The
// expected bodies are patterns (see match) written from Rasa's API spec and
// server source as COMPAT.md §3 records them.
type contractFile struct {
	Description string         `json:"description"`
	Server      contractServer `json:"server"`
	Cases       []contractCase `json:"cases"`
}

type contractServer struct {
	DisableAPI  bool                      `json:"disable_api"`
	AuthToken   string                    `json:"auth_token"`
	NoModel     bool                      `json:"no_model"`
	Credentials map[string]map[string]any `json:"credentials"`
	CORS        []string                  `json:"cors"`
}

type contractCase struct {
	Name  string         `json:"name"`
	Steps []contractStep `json:"steps"`
}

type contractStep struct {
	Method   string            `json:"method"`
	Path     string            `json:"path"`
	Headers  map[string]string `json:"headers"`
	Body     json.RawMessage   `json:"body"`
	RawBody  *string           `json:"raw_body"`
	BodyFile string            `json:"body_file"`

	Status          int               `json:"status"`
	Response        json.RawMessage   `json:"response"`
	ResponseText    *string           `json:"response_text"`
	ResponseHas     []string          `json:"response_contains"`
	ResponseHeaders map[string]string `json:"response_headers"`
}

func TestContracts(t *testing.T) {
	files, err := filepath.Glob("testdata/contract/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no contract fixtures: %v", err)
	}
	for _, file := range files {
		var cf contractFile
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &cf); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, c := range cf.Cases {
			t.Run(strings.TrimSuffix(filepath.Base(file), ".json")+"/"+c.Name, func(t *testing.T) {
				runContract(t, cf.Server, c)
			})
		}
	}
}

// runContract runs one case against a fresh server.
func runContract(t *testing.T, cs contractServer, c contractCase) {
	opts := Options{EnableAPI: !cs.DisableAPI, AuthToken: cs.AuthToken,
		Credentials: cs.Credentials, CORS: cs.CORS}
	s, logs := botServer(t, opts)
	if cs.NoModel {
		s.UnloadModel()
	}
	for i, st := range c.Steps {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, contractRequest(t, st))
		if d := checkStep(st, rec); d != "" {
			t.Fatalf("step %d (%s %s): %s\nbody: %s\nlog:\n%s", i, st.Method, st.Path, d,
				rec.Body.String(), logs)
		}
	}
}

// contractRequest builds the request of a step.
func contractRequest(t *testing.T, st contractStep) *http.Request {
	var body []byte
	switch {
	case st.RawBody != nil:
		body = []byte(*st.RawBody)
	case st.BodyFile != "":
		var err error
		if body, err = os.ReadFile(filepath.Join("testdata", st.BodyFile)); err != nil {
			t.Fatal(err)
		}
	case len(st.Body) > 0:
		body = st.Body
	}
	r := httptest.NewRequest(st.Method, st.Path, bytes.NewReader(body))
	if len(st.Body) > 0 {
		r.Header.Set("Content-Type", "application/json")
	}
	for k, v := range st.Headers {
		r.Header.Set(k, v)
	}
	return r
}

// checkStep compares an answer with the step's expectations.
func checkStep(st contractStep, rec *httptest.ResponseRecorder) string {
	if rec.Code != st.Status {
		return "status " + http.StatusText(rec.Code) + ", want " + http.StatusText(st.Status)
	}
	for k, v := range st.ResponseHeaders {
		if d := match("header "+k, v, rec.Header().Get(k)); d != "" {
			return d
		}
	}
	if st.ResponseText != nil && rec.Body.String() != *st.ResponseText {
		return "body is not " + *st.ResponseText
	}
	for _, s := range st.ResponseHas {
		if !strings.Contains(rec.Body.String(), s) {
			return "body lacks " + s
		}
	}
	if len(st.Response) == 0 {
		return ""
	}
	var want, got any
	if err := json.Unmarshal(st.Response, &want); err != nil {
		return "bad fixture: " + err.Error()
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		return "answer is not JSON: " + err.Error()
	}
	return match("body", want, got)
}
