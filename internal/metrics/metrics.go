package metrics

import (
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	vm "github.com/VictoriaMetrics/metrics"
)

// durations are the histogram buckets in seconds: 1 ms to a minute, which
// covers a parse (milliseconds) and a slow action server (seconds).
var durations = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

// Names of Parley's metric families.
const (
	nameRequests  = "parley_http_requests_total"
	nameLatency   = "parley_http_request_duration_seconds"
	nameInFlight  = "parley_http_requests_in_flight"
	nameTurns     = "parley_turns_total"
	nameTurnTime  = "parley_turn_duration_seconds"
	nameParseTime = "parley_nlu_parse_duration_seconds"
	nameActions   = "parley_action_duration_seconds"
	nameModel     = "parley_model_info"
	nameLoadedAt  = "parley_model_loaded_timestamp_seconds"
)

// Metrics holds Parley's series in a set of their own, with the help text
// of each family.
type Metrics struct {
	set       *vm.Set
	inFlight  *vm.Gauge
	parseTime *vm.PrometheusHistogram
	loadedAt  *vm.Gauge

	mu    sync.Mutex
	help  map[string]string // family name to help text
	model string            // the parley_model_info series now shown
}

// New returns Parley's metrics; Handler adds the Go runtime and process
// metrics to them.
func New() *Metrics {
	// The HELP and TYPE lines are a switch of the library, for all sets.
	vm.ExposeMetadata(true)
	m := &Metrics{set: vm.NewSet(), help: map[string]string{
		nameRequests:  "HTTP requests answered, by route and status.",
		nameLatency:   "Time to answer an HTTP request.",
		nameInFlight:  "HTTP requests being answered now.",
		nameTurns:     "Conversation turns, by channel and outcome.",
		nameTurnTime:  "Time from a user message to the reply.",
		nameParseTime: "Time the NLU pipeline takes per message.",
		nameActions:   "Time an action takes, by kind and outcome.",
		nameModel:     "The model being served (value 1).",
		nameLoadedAt:  "When the served model was loaded.",
	}}
	m.inFlight = m.set.NewGauge(nameInFlight, nil)
	m.parseTime = m.set.NewPrometheusHistogramExt(nameParseTime, durations)
	m.loadedAt = m.set.NewGauge(nameLoadedAt, nil)
	return m
}

// GaugeFunc adds the gauge name, whose value f gives at each scrape.
func (m *Metrics) GaugeFunc(name, help string, f func() float64) {
	m.setHelp(name, help)
	m.set.NewGauge(name, f)
}

// CounterFunc adds the counter name, whose value f gives at each scrape;
// f must never return less than before.
func (m *Metrics) CounterFunc(name, help string, f func() uint64) {
	m.setHelp(name, help)
	m.set.RegisterMetricsWriter(func(w io.Writer) { vm.WriteCounterUint64(w, name, f()) })
}

func (m *Metrics) setHelp(name, help string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.help[name] = help
}

// series returns the series name of family with the label pairs (name,
// value, name, value...), sorted by label name as Prometheus writes them.
func series(family string, pairs ...string) string {
	type label struct{ name, value string }
	labels := make([]label, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		labels = append(labels, label{pairs[i], pairs[i+1]})
	}
	sort.Slice(labels, func(i, j int) bool { return labels[i].name < labels[j].name })
	var b strings.Builder
	b.WriteString(family)
	for i, l := range labels {
		if i == 0 {
			b.WriteByte('{')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(l.name)
		b.WriteString(`="`)
		labelEscaper.WriteString(&b, l.value)
		b.WriteByte('"')
	}
	if len(labels) > 0 {
		b.WriteByte('}')
	}
	return b.String()
}

// labelEscaper escapes a label value as the text exposition format wants.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func (m *Metrics) histogram(family string, pairs ...string) *vm.PrometheusHistogram {
	return m.set.GetOrCreatePrometheusHistogramExt(series(family, pairs...), durations)
}

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
	m.set.GetOrCreateCounter(series(nameTurns, "channel", channel, "outcome", outcome(err))).Inc()
	m.histogram(nameTurnTime, "channel", channel).Update(took.Seconds())
}

// ObserveParse records one NLU parse.
func (m *Metrics) ObserveParse(took time.Duration) { m.parseTime.Update(took.Seconds()) }

// Kinds of action for ObserveAction.
const (
	KindBuiltin = "builtin"
	KindCustom  = "custom"
)

// ObserveAction records one action run: its name (from the domain, so the
// label values stay few), KindBuiltin or KindCustom, and its error.
func (m *Metrics) ObserveAction(name, kind string, took time.Duration, err error) {
	m.histogram(nameActions, "action", name, "kind", kind, "outcome", outcome(err)).
		Update(took.Seconds())
}

// ModelInfo describes the model being served.
type ModelInfo struct {
	ID, Name, Language, ParleyVersion string
	LoadedAt                          time.Time
}

// SetModel records the model now served, replacing the previous one.
func (m *Metrics) SetModel(info ModelInfo) {
	name := series(nameModel, "model_id", info.ID, "model", info.Name,
		"language", info.Language, "parley_version", info.ParleyVersion)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.model != "" && m.model != name {
		m.set.UnregisterMetric(m.model)
	}
	m.model = name
	m.set.GetOrCreateGauge(name, nil).Set(1)
	m.loadedAt.Set(float64(info.LoadedAt.UnixNano()) / 1e9)
}
