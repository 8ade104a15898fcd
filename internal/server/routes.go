package server

import (
	"net/http"
	"slices"
	"strings"
)

// route is one endpoint: its method, its path as the OpenAPI document
// writes it, who may call it, and its handler.
type route struct {
	method string
	path   string
	access access
	h      handlerFunc
}

// conversationPrefix starts the path of every conversation endpoint.
const conversationPrefix = "/conversations/{conversation_id}"

// apiRoutes lists the HTTP API that --enable-api turns on, in the order of
// Rasa's API documentation.
func (s *Server) apiRoutes() []route {
	return []route{
		{"GET", "/status", admin, s.status},
		{"GET", conversationPrefix + "/tracker", conversation, s.getTracker},
		{"POST", conversationPrefix + "/tracker/events", conversation, s.appendEvents},
		{"PUT", conversationPrefix + "/tracker/events", conversation, s.replaceEvents},
		{"GET", conversationPrefix + "/story", conversation, s.story},
		{"POST", conversationPrefix + "/execute", conversation, s.execute},
		{"POST", conversationPrefix + "/trigger_intent", conversation, s.triggerIntent},
		{"POST", conversationPrefix + "/predict", conversation, s.predict},
		{"POST", conversationPrefix + "/messages", conversation, s.addMessage},
		{"POST", "/model/train", admin, s.train},
		{"POST", "/model/test/stories", admin, s.testStories},
		{"POST", "/model/test/intents", admin, s.testIntents},
		{"POST", "/model/predict", admin, s.modelPredict},
		{"POST", "/model/parse", admin, s.parse},
		{"PUT", "/model", admin, s.loadModel},
		{"DELETE", "/model", admin, s.unloadModel},
		{"GET", "/domain", admin, s.domain},
	}
}

// publicRoutes lists what is served without --enable-api: the version,
// the OpenAPI document and the channels' webhooks.
func (s *Server) publicRoutes() []route {
	rs := []route{
		{"GET", "/version", public, s.version},
		{"GET", "/openapi.yaml", public, s.openAPI},
	}
	return append(rs, s.channels.routes()...)
}

// routes builds the server's handler.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	s.mountWeb(mux)
	for _, rt := range s.publicRoutes() {
		mux.Handle(rt.method+" "+rt.path, s.handle(rt.h))
	}
	if s.channels.socket != nil {
		mux.Handle(s.channels.socket.Path()+"/", s.socketOrigins(s.channels.socket.Handler()))
	}
	if s.opts.EnableAPI {
		var convs []route
		for _, rt := range s.apiRoutes() {
			h := s.authorize(rt.access, rt.h)
			if strings.HasPrefix(rt.path, conversationPrefix) {
				rt.h = h
				convs = append(convs, rt)
				continue
			}
			mux.Handle(rt.method+" "+rt.path, s.handle(h))
		}
		mux.Handle("/conversations/", s.handle(s.dispatchConversation(convs)))
	}
	s.mountOps(mux)
	mux.Handle("/", s.handle(s.notFound))
	return s.logRequests(s.hostGuard(s.cors(s.instrument(mux))))
}

// dispatchConversation routes /conversations/<id>/<endpoint>. The id may
// hold slashes, as Rasa's does, so the endpoint is found from the end of
// the path, longest suffix first.
func (s *Server) dispatchConversation(rs []route) handlerFunc {
	rs = slices.Clone(rs)
	slices.SortStableFunc(rs, func(a, b route) int { return len(b.path) - len(a.path) })
	return func(w http.ResponseWriter, r *http.Request) error {
		rest := strings.TrimPrefix(r.URL.Path, "/conversations/")
		for _, rt := range rs {
			id, ok := strings.CutSuffix(rest, strings.TrimPrefix(rt.path, conversationPrefix))
			if !ok || id == "" {
				continue
			}
			r.SetPathValue("conversation_id", id)
			return s.serveRoute(w, r, rs, rt.path)
		}
		return s.notFound(w, r)
	}
}

// serveRoute calls the route of path for the request's method, or answers
// 405 naming the methods path has.
func (s *Server) serveRoute(w http.ResponseWriter, r *http.Request, rs []route,
	path string) error {
	var methods []string
	for _, rt := range rs {
		if rt.path != path {
			continue
		}
		if rt.method == r.Method {
			return rt.h(w, r)
		}
		methods = append(methods, rt.method)
	}
	return &Error{Status: http.StatusMethodNotAllowed, Reason: ReasonMethodNotAllowed,
		Message: r.Method + " is not allowed on " + r.URL.Path + "; use " +
			strings.Join(methods, " or ") + "."}
}

// notFound answers every path no route claims.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	if s.opts.EnableAPI {
		var other []route
		for _, rt := range s.apiRoutes() {
			if rt.path == r.URL.Path && rt.method != r.Method {
				other = append(other, rt)
			}
		}
		if len(other) > 0 {
			return s.serveRoute(w, r, other, r.URL.Path)
		}
	}
	msg := "There is nothing at " + r.Method + " " + r.URL.Path + "."
	if !s.opts.EnableAPI && isAPIPath(r.URL.Path) {
		msg += " The HTTP API is off unless the server runs with --enable-api."
	}
	return &Error{Status: http.StatusNotFound, Reason: ReasonNotFound, Message: msg}
}

// isAPIPath reports whether path belongs to the HTTP API.
func isAPIPath(path string) bool {
	for _, p := range []string{"/model", "/status", "/domain", "/conversations/"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
