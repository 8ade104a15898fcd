package server

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"

	"github.com/parley-chat/parley/internal/model"
)

// Parley's versions as the API reports them.
const (
	parleyVersion            = model.Version
	minimumCompatibleVersion = model.MinimumCompatibleVersion
)

//go:embed page/chat.html
var pageFiles embed.FS

// chatTemplate is the chat page; it talks to the REST webhook from the
// same origin.
var chatTemplate = template.Must(template.ParseFS(pageFiles, "page/chat.html"))

// chatPageData fills the chat page.
type chatPageData struct {
	Version string
	Webhook string
}

// chatPage answers GET / with the chat page.
func (s *Server) chatPage(w http.ResponseWriter, _ *http.Request) error {
	var buf bytes.Buffer
	data := chatPageData{Version: parleyVersion, Webhook: "/webhooks/rest/webhook"}
	if err := chatTemplate.Execute(&buf, data); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src * data:; "+
		"style-src 'unsafe-inline'; script-src 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
	return nil
}
