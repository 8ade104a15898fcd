package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"

	// html/template without method calls from templates: the standard
	// one makes the linker keep every exported method of the program
	// (+14 MB in the binary, docs/deploy.md).
	template "github.com/DataDog/datadog-agent/pkg/template/html"
)

//go:embed templates/*.html static/*
var files embed.FS

// asset is one embedded static file.
type asset struct {
	data  []byte
	ctype string
	hash  string
}

// pages holds the parsed templates and the static files.
type pages struct {
	tmpl   *template.Template
	assets map[string]asset
}

// loadPages parses the embedded templates and indexes the static files.
func loadPages(version string) (*pages, error) {
	p := &pages{assets: map[string]asset{}}
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		data, err := fs.ReadFile(files, "static/"+e.Name())
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		ctype := mime.TypeByExtension(path.Ext(e.Name()))
		p.assets[e.Name()] = asset{data: data, ctype: ctype, hash: hex.EncodeToString(sum[:6])}
	}
	funcs := template.FuncMap{
		"asset":      p.assetURL,
		"pct":        func(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) },
		"version":    func() string { return version },
		"initial":    initial,
		"pathEscape": url.PathEscape,
	}
	p.tmpl, err = template.New("").Funcs(funcs).ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parsing the page templates: %w", err)
	}
	return p, nil
}

// assetURL returns the address of a static file, with its content hash so
// that it can be cached for good.
func (p *pages) assetURL(name string) (string, error) {
	a, ok := p.assets[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %s", name)
	}
	return "/static/" + name + "?v=" + a.hash, nil
}

// initial returns the first letter of s in upper case, for an avatar.
func initial(s string) string {
	for _, r := range s {
		return strings.ToUpper(string(r))
	}
	return "?"
}

// render writes the page template name with data and status.
func (p *pages) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		http.Error(w, "The page could not be drawn: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// base is what every page template reads.
type base struct {
	Title   string
	Version string
	// User is the inspector user logged in, if any.
	User string
}

// base returns the common fields of a page titled title.
func (a *App) base(_ *http.Request, title string) base {
	return base{Title: title, Version: a.version}
}

// errorPage fills error.html.
type errorPage struct {
	base
	Status  int
	Message string
	// Detail is the logged cause, shown with Config.ErrorDetail.
	Detail string
}

// chatPageData fills chat.html.
type chatPageData struct {
	base
	// API is the prefix of the chat API: /api, or /embed/api in a frame.
	API      string
	Embedded bool
}

// chatPage answers GET / (and GET /embed, the page for a frame). A client
// that does not ask for HTML gets a one-line greeting as plain text.
func (a *App) chatPage(embedded bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if !embedded && !acceptsHTML(r) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			fmt.Fprintf(w, "Hello from Parley: %s\n", a.version)
			return nil
		}
		data := chatPageData{base: a.base(r, a.cfg.Title), API: "/api", Embedded: embedded}
		if embedded {
			data.API = "/embed/api"
		}
		w.Header().Set("Cache-Control", "no-cache")
		a.pages.render(w, http.StatusOK, "chat.html", data)
		return nil
	}
}

// acceptsHTML reports whether the request's Accept header names HTML.
func acceptsHTML(r *http.Request) bool {
	accept := strings.ToLower(strings.Join(r.Header.Values("Accept"), ","))
	return strings.Contains(accept, "text/html") ||
		strings.Contains(accept, "application/xhtml+xml")
}

// static answers GET /static/{file} from the embedded files; with the
// content hash in ?v= it may be cached for a year.
func (a *App) static(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	f, ok := a.pages.assets[name]
	if !ok {
		return userError(http.StatusNotFound, "There is no such file.")
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("ETag", `"`+f.hash+`"`)
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if r.Header.Get("If-None-Match") == `"`+f.hash+`"` {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	w.Write(f.data)
	return nil
}
