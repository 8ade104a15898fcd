package server

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestOpenAPICoversRoutes checks openapi.yaml against the route tables:
// every route (with every channel on) has its path and method documented,
// and the document lists no operation the server does not have.
func TestOpenAPICoversRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                               `yaml:"openapi"`
		Paths   map[string]map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	creds := map[string]map[string]any{"socketio": {},
		"callback": {"url": "http://localhost:5034/bot"}}
	s, _ := newTestServer(t, Options{EnableAPI: true, Credentials: creds}, true)
	served := map[string]bool{"GET /": true}
	// The probes and /metrics are mounted beside the route tables (mountOps).
	for _, key := range []string{"GET /healthz", "GET /readyz", "GET /metrics"} {
		served[key] = true
		method, path, _ := strings.Cut(key, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("openapi.yaml lacks %s", key)
		}
	}
	for _, rt := range append(s.apiRoutes(), s.publicRoutes()...) {
		path := strings.TrimSuffix(rt.path, "{$}")
		key := rt.method + " " + path
		served[key] = true
		if _, ok := doc.Paths[path][strings.ToLower(rt.method)]; !ok {
			t.Errorf("openapi.yaml lacks %s", key)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if key := strings.ToUpper(method) + " " + path; !served[key] {
				t.Errorf("openapi.yaml documents %s, which the server does not have", key)
			}
		}
	}
}

func TestOpenAPIServed(t *testing.T) {
	s, _ := newTestServer(t, Options{}, true)
	rec := call(s.Handler(), "GET", "/openapi.yaml", "")
	if rec.Code != 200 || rec.Body.String() != string(openAPIDocument) {
		t.Errorf("GET /openapi.yaml: %d", rec.Code)
	}
}
