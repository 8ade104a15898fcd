package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// durations are the histogram buckets in seconds: 1 ms to a minute, which
// covers a parse (milliseconds) and a slow action server (seconds).
var durations = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

// Metrics holds Parley's collectors and the registry they live in.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	inFlight  prometheus.Gauge
	turns     *prometheus.CounterVec
	turnTime  *prometheus.HistogramVec
	parseTime prometheus.Histogram
	actions   *prometheus.HistogramVec
	model     *prometheus.GaugeVec
	loadedAt  prometheus.Gauge
}

// New returns Parley's metrics with the Go runtime and process collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "parley_http_requests_total", Help: "HTTP requests answered, by route and status.",
	}, []string{"method", "route", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "parley_http_request_duration_seconds", Help: "Time to answer an HTTP request.",
		Buckets: durations,
	}, []string{"method", "route"})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "parley_http_requests_in_flight", Help: "HTTP requests being answered now.",
	})
	m.turns = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "parley_turns_total", Help: "Conversation turns, by channel and outcome.",
	}, []string{"channel", "outcome"})
	m.turnTime = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "parley_turn_duration_seconds", Help: "Time from a user message to the reply.",
		Buckets: durations,
	}, []string{"channel"})
	m.parseTime = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "parley_nlu_parse_duration_seconds", Help: "Time the NLU pipeline takes per message.",
		Buckets: durations,
	})
	m.actions = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "parley_action_duration_seconds", Help: "Time an action takes, by kind and outcome.",
		Buckets: durations,
	}, []string{"action", "kind", "outcome"})
	m.model = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "parley_model_info", Help: "The model being served (value 1).",
	}, []string{"model_id", "model", "language", "parley_version"})
	m.loadedAt = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "parley_model_loaded_timestamp_seconds", Help: "When the served model was loaded.",
	})
	m.reg.MustRegister(m.requests, m.latency, m.inFlight, m.turns, m.turnTime, m.parseTime,
		m.actions, m.model, m.loadedAt,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry returns the registry, for collectors of other packages.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Outcomes of turns and actions.
const (
	OutcomeOK    = "ok"
	OutcomeError = "error"
)

func outcome(err error) string {
	if err != nil {
		return OutcomeError
	}
	return OutcomeOK
}

// ObserveTurn records one turn of channel ("rest", "socketio", ...).
func (m *Metrics) ObserveTurn(channel string, took time.Duration, err error) {
	m.turns.WithLabelValues(channel, outcome(err)).Inc()
	m.turnTime.WithLabelValues(channel).Observe(took.Seconds())
}

// ObserveParse records one NLU parse.
func (m *Metrics) ObserveParse(took time.Duration) { m.parseTime.Observe(took.Seconds()) }

// Kinds of action for ObserveAction.
const (
	KindBuiltin = "builtin"
	KindCustom  = "custom"
)

// ObserveAction records one action run: its name (from the domain, so the
// label values stay few), KindBuiltin or KindCustom, and its error.
func (m *Metrics) ObserveAction(name, kind string, took time.Duration, err error) {
	m.actions.WithLabelValues(name, kind, outcome(err)).Observe(took.Seconds())
}

// ModelInfo describes the model being served.
type ModelInfo struct {
	ID, Name, Language, ParleyVersion string
	LoadedAt                          time.Time
}

// SetModel records the model now served, replacing the previous one.
func (m *Metrics) SetModel(info ModelInfo) {
	m.model.Reset()
	m.model.WithLabelValues(info.ID, info.Name, info.Language, info.ParleyVersion).Set(1)
	m.loadedAt.Set(float64(info.LoadedAt.UnixNano()) / 1e9)
}
