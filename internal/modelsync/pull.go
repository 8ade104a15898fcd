package modelsync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/parley-chat/parley/internal/actionclient"
	"github.com/parley-chat/parley/internal/model"
)

// MaxArchiveBytes bounds the size of an archive the model server sends.
const MaxArchiveBytes = 4 << 30

// Target is the server whose model a Puller replaces; *server.Server is
// one. SetModel must swap the model atomically.
type Target interface {
	Model() *model.Model
	SetModel(m *model.Model)
}

// Results of one pull, as PullStatus.LastResult shows them.
const (
	ResultLoaded    = "loaded"    // a new model was swapped in
	ResultUnchanged = "unchanged" // 304, 204, or the same model again
	ResultRefused   = "refused"   // the archive did not load; the old model stays
	ResultFailed    = "failed"    // no model came: network error or bad status
)

// PullStatus is the state of the model server, as /status shows it.
type PullStatus struct {
	// URL is the model server's address without query or credentials.
	URL string `json:"url"`
	// IntervalSeconds is wait_time_between_pulls; 0 means a single pull.
	IntervalSeconds float64 `json:"wait_time_between_pulls"`
	// ETag is the ETag of the pulled model in use, sent as If-None-Match.
	ETag string `json:"etag,omitempty"`
	// LastPull is when the latest pull ended.
	LastPull *time.Time `json:"last_pull,omitempty"`
	// LastResult is one of the Result constants.
	LastResult string `json:"last_result,omitempty"`
	// Error is the latest pull's error, empty after a good pull.
	Error string `json:"error,omitempty"`
	// Failures counts the failed pulls in a row.
	Failures int `json:"failures"`
}

// Puller fetches the model archive from the model server and swaps it
// into its Target. Its methods may be called concurrently; pulls run one
// at a time.
type Puller struct {
	cfg    Config
	target Target
	dir    string
	log    *slog.Logger
	client *http.Client
	url    string // with params and token
	where  string // for messages: no query, no credentials

	// pulling serialises pulls; it guards the fields below it.
	pulling sync.Mutex
	// pulled is the model this Puller loaded and etag its ETag; they are
	// sent as If-None-Match only while pulled is the target's model.
	pulled  *model.Model
	etag    string
	down    bool   // an outage was logged and has not ended
	lastBad string // the latest refused archive's error, logged once

	mu    sync.Mutex // guards state
	state PullStatus
}

// NewPuller returns a Puller that keeps the archives it pulls in dir
// (created when missing) and logs to logger.
func NewPuller(cfg Config, target Target, dir string, logger *slog.Logger) (*Puller, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("creating the folder for pulled models: %w", err)
	}
	removeLeftovers(dir)
	transport, err := actionclient.NewTransport(cfg.Endpoint.CAFile)
	if err != nil {
		return nil, endpointError("", err)
	}
	full, where, err := pullURL(cfg)
	if err != nil {
		return nil, err
	}
	p := &Puller{cfg: cfg, target: target, dir: dir, log: logger, url: full, where: where,
		client: &http.Client{Transport: transport}}
	p.state = PullStatus{URL: where, IntervalSeconds: cfg.Interval.Seconds()}
	return p, nil
}

// Run pulls every Config.Interval until ctx ends; with no interval it
// returns at once (the pull at start is the caller's, with Pull).
func (p *Puller) Run(ctx context.Context) {
	if p.cfg.Interval <= 0 {
		return
	}
	t := time.NewTicker(p.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.Pull(ctx)
		}
	}
}

// Status returns the model server's state.
func (p *Puller) Status() PullStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state
}

// Pull asks the model server once and swaps in the model it sends. It
// reports whether a new model was loaded; the error says why none was
// (ErrPull, ErrBadArchive). Every outcome is logged: an outage once when
// it starts and once when it ends, a refused archive once.
func (p *Puller) Pull(ctx context.Context) (bool, error) {
	p.pulling.Lock()
	defer p.pulling.Unlock()
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Endpoint.Timeout)
	defer cancel()
	result, err := p.pull(ctx)
	p.report(result, err)
	return result == ResultLoaded, err
}

// pull makes the request and handles the answer.
func (p *Puller) pull(ctx context.Context) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url, nil)
	if err != nil {
		return ResultFailed, fmt.Errorf("%w: %s: %w", ErrPull, p.where, err)
	}
	p.cfg.Endpoint.Authorize(req)
	if p.pulled != nil && p.etag != "" && p.target.Model() == p.pulled {
		req.Header.Set("If-None-Match", p.etag)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		// A *url.Error repeats the URL, token included: keep only its cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return ResultFailed, fmt.Errorf("%w: %s cannot be reached: %w", ErrPull, p.where, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return p.receive(resp)
	case http.StatusNotModified, http.StatusNoContent:
		return ResultUnchanged, nil
	case http.StatusNotFound:
		return ResultFailed, fmt.Errorf("%w: %s has no model (404 Not Found): check the url "+
			"of models: in endpoints.yml", ErrPull, p.where)
	}
	return ResultFailed, fmt.Errorf("%w: %s answered %s", ErrPull, p.where, resp.Status)
}

// receive downloads the archive of a 200, checks that it loads and swaps
// it in.
func (p *Puller) receive(resp *http.Response) (string, error) {
	etag := resp.Header.Get("ETag")
	tmp, err := p.download(resp.Body)
	if errors.Is(err, ErrBadArchive) {
		return ResultRefused, err
	}
	if err != nil {
		return ResultFailed, err
	}
	m, err := model.Load(tmp)
	if err != nil {
		os.Remove(tmp)
		// The temporary name means nothing to the reader, and would make
		// each refusal of the same archive look new.
		cause := strings.ReplaceAll(err.Error(), " "+tmp, "")
		return ResultRefused, fmt.Errorf("%w (from %s, ETag %q): %s", ErrBadArchive,
			p.where, etag, cause)
	}
	if cur := p.target.Model(); cur != nil && cur.Metadata.ModelID == m.Metadata.ModelID {
		// The model in use already: remember the ETag so the next pull
		// can be answered with 304.
		os.Remove(tmp)
		p.pulled, p.etag = cur, etag
		return ResultUnchanged, nil
	}
	final := filepath.Join(p.dir, archiveName(resp, m))
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return ResultFailed, fmt.Errorf("%w: keeping the pulled archive: %w", ErrPull, err)
	}
	m.Path = final
	old := p.pulled
	p.target.SetModel(m)
	p.pulled, p.etag = m, etag
	if old != nil && old.Path != final && filepath.Dir(old.Path) == filepath.Clean(p.dir) {
		os.Remove(old.Path)
	}
	p.log.Info("model pulled from the model server", "url", p.where, "model", final,
		"model_id", m.Metadata.ModelID, "etag", etag)
	if etag == "" {
		p.log.Warn("the model server sent no ETag: every pull downloads the whole archive",
			"url", p.where)
	}
	return ResultLoaded, nil
}

// loadKept loads the archive a previous run pulled, when there is one.
func (p *Puller) loadKept() bool {
	p.pulling.Lock()
	defer p.pulling.Unlock()
	path, err := model.Newest(p.dir, p.log)
	if err != nil {
		return false
	}
	m, err := model.Load(path)
	if err != nil {
		p.log.Warn("the archive pulled last time cannot be loaded", "model", path,
			"error", err.Error())
		return false
	}
	p.target.SetModel(m)
	p.pulled, p.etag = m, ""
	p.log.Warn("serving the archive pulled from the model server last time until a pull "+
		"succeeds", "model", path, "model_id", m.Metadata.ModelID)
	return true
}

// download writes body to a temporary file in the folder and returns its
// path.
func (p *Puller) download(body io.Reader) (string, error) {
	f, err := os.CreateTemp(p.dir, ".pulled-*.tmp")
	if err != nil {
		return "", fmt.Errorf("%w: saving the archive: %w", ErrPull, err)
	}
	n, err := io.Copy(f, io.LimitReader(body, MaxArchiveBytes+1))
	err = errors.Join(err, f.Close())
	switch {
	case err != nil:
		os.Remove(f.Name())
		return "", fmt.Errorf("%w: downloading from %s: %w", ErrPull, p.where, err)
	case n > MaxArchiveBytes:
		os.Remove(f.Name())
		return "", fmt.Errorf("%w: %s sent more than %d bytes", ErrBadArchive, p.where,
			int64(MaxArchiveBytes))
	}
	return f.Name(), nil
}

// report logs the outcome of a pull and records it for Status.
func (p *Puller) report(result string, err error) {
	switch {
	case errors.Is(err, ErrPull):
		if !p.down {
			p.log.Warn("the model server cannot be used; the current model keeps answering "+
				"and pulls go on", "url", p.where, "error", err.Error())
		}
		p.down = true
	case err != nil:
		p.recovered()
		if err.Error() != p.lastBad {
			p.log.Error("the model server sent an archive that cannot be used; the current "+
				"model keeps answering", "url", p.where, "error", err.Error())
		}
		p.lastBad = err.Error()
	default:
		p.recovered()
		p.lastBad = ""
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	p.state.LastPull, p.state.LastResult, p.state.ETag = &now, result, p.etag
	p.state.Error = ""
	if err != nil {
		p.state.Error = err.Error()
		p.state.Failures++
	} else {
		p.state.Failures = 0
	}
}

// recovered ends a logged outage.
func (p *Puller) recovered() {
	if p.down {
		p.log.Info("the model server answers again", "url", p.where)
	}
	p.down = false
}

// safeName is what a pulled archive's file name may hold.
var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*\.tar\.gz$`)

// archiveName is the file name of a pulled archive: the server's
// Content-Disposition filename when it is a plain archive name, otherwise
// the last part of the URL's path, otherwise the model id.
func archiveName(resp *http.Response, m *model.Model) string {
	if _, params, err := mime.ParseMediaType(
		resp.Header.Get("Content-Disposition")); err == nil {
		if name := params["filename"]; safeName.MatchString(name) {
			return name
		}
	}
	if base := filepath.Base(resp.Request.URL.Path); safeName.MatchString(base) {
		return base
	}
	return m.Metadata.ModelID + ".tar.gz"
}

// removeLeftovers deletes downloads that a stopped process left behind.
func removeLeftovers(dir string) {
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".pulled-*.tmp"))
	for _, f := range leftovers {
		os.Remove(f)
	}
}

// pullURL returns the URL to fetch (with params and the token) and the
// URL to show (without query and credentials).
func pullURL(cfg Config) (full, where string, err error) {
	full, err = cfg.Endpoint.FullURL()
	if err != nil {
		return "", "", endpointError("", err)
	}
	u, _ := url.Parse(cfg.Endpoint.URL) // FullURL parsed it
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return full, u.String(), nil
}
