package duckling

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// ducklingAnswer is what a Duckling server answers for "tomorrow at 9 for
// $20" (its shape; values chosen for the test).
const ducklingAnswer = `[
 {"body":"tomorrow at 9","start":0,"end":13,"dim":"time","latent":false,
  "value":{"values":[{"value":"2013-02-13T09:00:00.000-02:00","grain":"hour","type":"value"}],
           "value":"2013-02-13T09:00:00.000-02:00","grain":"hour","type":"value"}},
 {"body":"$20","start":18,"end":21,"dim":"amount-of-money","latent":false,
  "value":{"value":20,"type":"value","unit":"$"}},
 {"body":"between 3 and 5pm","start":22,"end":39,"dim":"time","latent":false,
  "value":{"type":"interval","from":{"value":"2013-02-12T15:00:00.000-02:00","grain":"hour"},
           "to":{"value":"2013-02-12T18:00:00.000-02:00","grain":"hour"}}}
]`

// lastRequest is the form of the last request a fake server received.
type lastRequest struct {
	mu   sync.Mutex
	form url.Values
}

// Get returns one field of the last request.
func (l *lastRequest) Get(key string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.form.Get(key)
}

// count returns how many fields the last request had.
func (l *lastRequest) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.form)
}

// fakeDuckling records the last request and answers with body and status.
func fakeDuckling(t *testing.T, status int, body string, delay time.Duration) (*httptest.Server,
	*lastRequest) {
	t.Helper()
	got := &lastRequest{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/parse" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		raw, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(raw))
		form.Set("content-type", r.Header.Get("Content-Type"))
		got.mu.Lock()
		got.form = form
		got.mu.Unlock()
		time.Sleep(delay)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func TestRemoteRequestAndAnswer(t *testing.T) {
	srv, got := fakeDuckling(t, http.StatusOK, ducklingAnswer, 0)
	ex := newTestExtractor(t, Config{URL: srv.URL + "/", UseRemote: true, Locale: "en_GB",
		Dimensions: []string{DimTime, DimNumber}, Timeout: time.Second})
	berlin, _ := time.LoadLocation("Europe/Berlin")
	ref := time.UnixMilli(1360650600000)
	ents, err := ex.ExtractContext(context.Background(), "tomorrow at 9 for $20 between 3 and 5pm",
		ref, berlin)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"text": "tomorrow at 9 for $20 between 3 and 5pm",
		"locale": "en_GB", "tz": "Europe/Berlin", "reftime": "1360650600000",
		"dims":         `["time","number"]`,
		"content-type": "application/x-www-form-urlencoded; charset=UTF-8"}
	for k, v := range want {
		if got.Get(k) != v {
			t.Errorf("request %s: got %q, want %q", k, got.Get(k), v)
		}
	}
	if len(ents) != 2 {
		t.Fatalf("want the two time entities (money was not asked for), got %v",
			describeAll(ents))
	}
	if ents[0].Value != "2013-02-13T09:00:00.000-02:00" || ents[0].Text != "tomorrow at 9" ||
		ents[0].Extractor != ExtractorName || ents[0].Score == nil || *ents[0].Score != 1 {
		t.Errorf("first entity: %s", describe(ents[0]))
	}
	iv, _ := ents[1].Value.(map[string]any)
	if iv["from"] != "2013-02-12T15:00:00.000-02:00" ||
		iv["to"] != "2013-02-12T18:00:00.000-02:00" {
		t.Errorf("interval value: %v", ents[1].Value)
	}
}

func TestRemoteAllDimensionsSendsNull(t *testing.T) {
	srv, got := fakeDuckling(t, http.StatusOK, "[]", 0)
	ex := newTestExtractor(t, Config{URL: srv.URL, UseRemote: true})
	if _, err := ex.ExtractContext(context.Background(), "hi", tableRef(), nil); err != nil {
		t.Fatal(err)
	}
	if got.Get("dims") != "null" || got.Get("tz") != "UTC" || got.Get("locale") != "en_US" {
		t.Errorf("request: dims %q tz %q locale %q", got.Get("dims"), got.Get("tz"),
			got.Get("locale"))
	}
}

// TestRemoteFallback checks that every kind of failure gives the built-in
// answer and a warning wrapping ErrRemote.
func TestRemoteFallback(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	slow, _ := fakeDuckling(t, http.StatusOK, "[]", 300*time.Millisecond)
	broken, _ := fakeDuckling(t, http.StatusInternalServerError, "boom", 0)
	garbled, _ := fakeDuckling(t, http.StatusOK, "<html>", 0)
	for name, u := range map[string]string{"down": down.URL, "slow": slow.URL,
		"500": broken.URL, "not json": garbled.URL} {
		ex := newTestExtractor(t, Config{URL: u, UseRemote: true, Timeout: 100 * time.Millisecond})
		ents, err := ex.ExtractContext(context.Background(), "send $20", tableRef(), nil)
		if !errors.Is(err, ErrRemote) {
			t.Errorf("%s: got error %v, want ErrRemote", name, err)
		}
		if len(ents) != 1 || ents[0].Entity != DimMoney || ents[0].Value != 20.0 {
			t.Errorf("%s: fallback gave %v", name, describeAll(ents))
		}
		if got := ex.Extract("send $20", tableRef(), nil); len(got) != 1 {
			t.Errorf("%s: Extract gave %v", name, describeAll(got))
		}
	}
}

func TestBuiltinWhenNotRemote(t *testing.T) {
	srv, got := fakeDuckling(t, http.StatusOK, ducklingAnswer, 0)
	ex := newTestExtractor(t, Config{URL: srv.URL})
	ents := ex.Extract("send $20", tableRef(), nil)
	if got.count() != 0 {
		t.Error("a url without use_remote must not call the server")
	}
	if len(ents) != 1 || ents[0].Entity != DimMoney {
		t.Errorf("got %v", describeAll(ents))
	}
}
