package server

import (
	_ "embed"
	"net/http"
)

// openAPIDocument describes Parley's HTTP API; a test keeps it in step
// with the routes.
//
//go:embed openapi.yaml
var openAPIDocument []byte

// openAPI answers GET /openapi.yaml.
func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "application/yaml")
	w.WriteHeader(http.StatusOK)
	w.Write(openAPIDocument)
	return nil
}
