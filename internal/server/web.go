package server

import "net/http"

// mountWeb adds the routes a browser uses: the chat page and what it calls.
func (s *Server) mountWeb(mux *http.ServeMux) {
	mux.Handle("GET /{$}", s.handle(s.chatPage))
}
