package metrics

import (
	"compress/gzip"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape returns the metrics text, read with the token.
func scrape(t *testing.T, h http.Handler, token string) (int, string) {
	t.Helper()
	req := httptest.NewRequest("GET", "/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	return rec.Code, string(body)
}

func TestRequestsTurnsActionsAndModel(t *testing.T) {
	m := New()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /webhooks/rest/webhook", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("[]"))
	})
	mux.HandleFunc("GET /conversations/{id}/tracker", func(w http.ResponseWriter,
		_ *http.Request) {
		w.WriteHeader(http.StatusConflict)
	})
	h := m.Middleware(mux)
	for _, r := range []*http.Request{
		httptest.NewRequest("POST", "/webhooks/rest/webhook", nil),
		httptest.NewRequest("POST", "/webhooks/rest/webhook", nil),
		httptest.NewRequest("GET", "/conversations/ann/tracker", nil),
		httptest.NewRequest("GET", "/conversations/bob/tracker", nil),
		httptest.NewRequest("GET", "/wp-login.php", nil),
	} {
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	m.ObserveTurn("rest", 40*time.Millisecond, nil)
	m.ObserveTurn("rest", time.Second, errors.New("action server down"))
	m.ObserveParse(3 * time.Millisecond)
	m.ObserveAction("action_check_weather", KindCustom, 200*time.Millisecond, nil)
	m.SetModel(ModelInfo{ID: "old", Name: "a.tar.gz", Language: "en", ParleyVersion: "0.1.0"})
	m.SetModel(ModelInfo{ID: "abc", Name: "b.tar.gz", Language: "en", ParleyVersion: "0.1.0",
		LoadedAt: time.Unix(1700000000, 0)})

	code, text := scrape(t, m.Handler("s3cret-token-1234"), "s3cret-token-1234")
	if code != http.StatusOK {
		t.Fatalf("scrape status %d", code)
	}
	for _, want := range []string{
		`parley_http_requests_total{method="POST",route="POST /webhooks/rest/webhook",status="200"} 2`,
		`parley_http_requests_total{method="GET",route="GET /conversations/{id}/tracker",status="409"} 2`,
		`parley_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`parley_http_request_duration_seconds_count{method="POST",route="POST /webhooks/rest/webhook"} 2`,
		`parley_turns_total{channel="rest",outcome="ok"} 1`,
		`parley_turns_total{channel="rest",outcome="error"} 1`,
		`parley_turn_duration_seconds_count{channel="rest"} 2`,
		`parley_nlu_parse_duration_seconds_count 1`,
		`parley_action_duration_seconds_count{action="action_check_weather",kind="custom",outcome="ok"} 1`,
		`parley_model_info{language="en",model="b.tar.gz",model_id="abc",parley_version="0.1.0"} 1`,
		`parley_http_requests_in_flight 0`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if v := value(text, "parley_model_loaded_timestamp_seconds"); v != 1.7e9 {
		t.Errorf("parley_model_loaded_timestamp_seconds is %v, want 1.7e9", v)
	}
	if strings.Contains(text, `model_id="old"`) {
		t.Error("the previous model is still reported")
	}
	if strings.Contains(text, "wp-login") || strings.Contains(text, "/conversations/ann") {
		t.Error("raw paths must not become labels")
	}
}

func TestHandlerToken(t *testing.T) {
	m := New()
	h := m.Handler("s3cret-token-1234")
	if code, body := scrape(t, h, ""); code != http.StatusUnauthorized ||
		!strings.Contains(body, "PARLEY_METRICS_TOKEN") {
		t.Errorf("no token: %d %s", code, body)
	}
	if code, _ := scrape(t, h, "wrong"); code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", code)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics?token=s3cret-token-1234", nil))
	if rec.Code != http.StatusOK {
		t.Errorf("query token: %d", rec.Code)
	}
	if code, _ := scrape(t, m.Handler(""), ""); code != http.StatusOK {
		t.Errorf("no token configured: %d", code)
	}
}

func TestMiddlewareLetsWebsocketsHijack(t *testing.T) {
	m := New()
	mux := http.NewServeMux()
	mux.HandleFunc("/socket.io/", func(w http.ResponseWriter, _ *http.Request) {
		hj, ok := w.(http.Hijacker) // what gorilla/websocket asks for
		if !ok {
			http.Error(w, "not a hijacker", http.StatusInternalServerError)
			return
		}
		conn, rw, err := hj.Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" +
			"Connection: Upgrade\r\n\r\n")
		rw.Flush()
	})
	srv := httptest.NewServer(m.Middleware(mux))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/socket.io/", nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("status %d, want 101", resp.StatusCode)
	}
	// The middleware counts once the handler returns, which may be just
	// after the client has read the 101.
	want := `route="/socket.io/",status="101"} 1`
	var text string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if _, text = scrape(t, m.Handler(""), ""); strings.Contains(text, want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("the upgrade is not counted:\n%s", text)
}

// value returns the value of the series named series in the exposition
// text, or NaN when it is missing.
func value(text, series string) float64 {
	for line := range strings.Lines(text) {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil {
				return f
			}
		}
	}
	return math.NaN()
}

// TestScrapeParsesAsPrometheusText reads a whole scrape, plain and gzipped,
// with Prometheus's own text parser: every family parses, with its help
// text and type.
func TestScrapeParsesAsPrometheusText(t *testing.T) {
	m := New()
	m.ObserveTurn("rest", 40*time.Millisecond, nil)
	m.ObserveParse(3 * time.Millisecond)
	m.SetModel(ModelInfo{ID: "abc", Name: "b.tar.gz", Language: "en", ParleyVersion: "0.1.0"})
	m.CounterFunc("parley_broker_dropped_total", "Events dropped.", func() uint64 { return 3 })
	for _, gzipped := range []bool{false, true} {
		req := httptest.NewRequest("GET", "/metrics", nil)
		if gzipped {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		rec := httptest.NewRecorder()
		m.Handler("").ServeHTTP(rec, req)
		var body io.Reader = rec.Body
		if gzipped {
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatalf("gzip: %v (Content-Encoding %q)", err, rec.Header().Get("Content-Encoding"))
			}
			body = zr
		}
		parser := expfmt.NewTextParser(model.UTF8Validation)
		families, err := parser.TextToMetricFamilies(body)
		if err != nil {
			t.Fatalf("gzip %v: Prometheus cannot parse the scrape: %v", gzipped, err)
		}
		for name, want := range map[string]dto.MetricType{
			"parley_turns_total":                dto.MetricType_COUNTER,
			"parley_turn_duration_seconds":      dto.MetricType_HISTOGRAM,
			"parley_nlu_parse_duration_seconds": dto.MetricType_HISTOGRAM,
			"parley_model_info":                 dto.MetricType_GAUGE,
			"parley_broker_dropped_total":       dto.MetricType_COUNTER,
			"go_goroutines":                     dto.MetricType_GAUGE,
		} {
			f := families[name]
			if f == nil {
				t.Errorf("gzip %v: no family %s", gzipped, name)
				continue
			}
			if f.GetType() != want {
				t.Errorf("%s is a %v, want %v", name, f.GetType(), want)
			}
			if strings.HasPrefix(name, "parley_") && f.GetHelp() == "" {
				t.Errorf("%s has no help text", name)
			}
		}
		if got := families["parley_broker_dropped_total"].GetMetric()[0].GetCounter().GetValue(); got != 3 {
			t.Errorf("parley_broker_dropped_total = %v, want 3", got)
		}
	}
}
