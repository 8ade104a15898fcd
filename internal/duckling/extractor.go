package duckling

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/parley-chat/parley/internal/nlu"
)

// Extractor finds Duckling's dimensions in messages. It is safe for
// concurrent use.
type Extractor struct {
	cfg      Config
	locale   string
	lang     *Language
	dayFirst bool
	zone     *time.Location
	dims     []string // built-in dimensions to produce, in scan order
	patterns *contactPatterns
	client   *http.Client
	log      *slog.Logger
}

// New builds an extractor; log receives the warnings of remote failures
// (nil discards them).
func New(cfg Config, log *slog.Logger) (*Extractor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	zone, _ := LoadZone(cfg.Timezone)
	locale := normalizeLocale(cfg.Locale)
	lang := languageFor(locale)
	e := &Extractor{
		cfg: cfg, locale: locale, lang: lang,
		dayFirst: dayFirstLocale(locale), zone: zone,
		patterns: newContactPatterns(lang), log: log,
		client: &http.Client{Timeout: cfg.Timeout},
	}
	for _, dim := range AllDimensions() {
		if len(cfg.Dimensions) == 0 || slices.Contains(cfg.Dimensions, dim) {
			e.dims = append(e.dims, dim)
		}
	}
	for _, dim := range cfg.Dimensions {
		if slices.Contains(remoteOnlyDimensions(), dim) && !cfg.UseRemote {
			log.Warn("dimension needs a Duckling server; the built-in extractors skip it",
				"dimension", dim)
		}
	}
	return e, nil
}

// Config returns the configuration the extractor was built with.
func (e *Extractor) Config() Config { return e.cfg }

// Zone picks the zone relative times resolve in: the conversation's
// (tz, when the channel gave one), else the configured one, else UTC.
func (e *Extractor) Zone(tz *time.Location) *time.Location {
	if tz != nil {
		return tz
	}
	return e.zone
}

// Extract returns the entities of text. ref is when the message was sent
// (the zero time means now); tz is the conversation's zone or nil. When
// the remote service fails, the warning is logged and the built-in
// extractors answer.
func (e *Extractor) Extract(text string, ref time.Time, tz *time.Location) []nlu.Entity {
	ents, err := e.ExtractContext(context.Background(), text, ref, tz)
	if err != nil {
		e.log.Warn("Duckling server unavailable; used the built-in extractors",
			"url", e.cfg.URL, "error", err)
	}
	return ents
}

// ExtractContext is Extract that returns the remote failure (wrapping
// ErrRemote) instead of logging it; the entities are then the built-in
// extractors' and are valid.
func (e *Extractor) ExtractContext(ctx context.Context, text string, ref time.Time,
	tz *time.Location) ([]nlu.Entity, error) {
	if ref.IsZero() {
		ref = time.Now()
	}
	loc := e.Zone(tz)
	if !e.cfg.UseRemote {
		return e.Builtin(text, ref, loc), nil
	}
	ents, err := e.remote(ctx, text, ref, loc)
	if err != nil {
		return e.Builtin(text, ref, loc), err
	}
	return ents, nil
}

// Builtin runs the in-process extractors only. tz nil means the
// configured zone.
func (e *Extractor) Builtin(text string, ref time.Time, tz *time.Location) []nlu.Entity {
	ref = ref.In(e.Zone(tz))
	d := newDoc(text, e.lang)
	d.dayFirst = e.dayFirst
	var ms []match
	for _, dim := range e.dims {
		ms = append(ms, e.scan(d, dim, text, ref)...)
	}
	ms = rank(ms)
	ents := make([]nlu.Entity, len(ms))
	for i, m := range ms {
		ents[i] = toEntity(d.runes, m)
	}
	return ents
}

// scan runs the extractor of one dimension.
func (e *Extractor) scan(d *doc, dim, text string, ref time.Time) []match {
	switch dim {
	case DimNumber:
		return d.scanNumbers()
	case DimOrdinal:
		return d.scanOrdinals()
	case DimMoney:
		return d.scanQuantities(moneyKind())
	case DimDistance:
		return d.scanQuantities(distanceKind())
	case DimTemperature:
		return d.scanQuantities(temperatureKind())
	case DimDuration:
		return d.scanDurations()
	case DimTime:
		return d.scanTimes(ref)
	}
	ri := newRuneIndex(text)
	switch dim {
	case DimEmail:
		return d.scanEmails(text, ri, e.patterns)
	case DimURL:
		return d.scanURLs(text, ri, e.patterns)
	case DimPhone:
		return d.scanPhones(text, ri, e.patterns)
	}
	return nil
}

// scanNumbers finds every number.
func (d *doc) scanNumbers() []match {
	var out []match
	for i := range d.toks {
		if n, ok := d.numberAt(i); ok {
			v := numberValue(n.value)
			info := map[string]any{"type": "value", "value": v}
			out = append(out, d.tokenMatch(DimNumber, i, n.end, v, info))
		}
	}
	return out
}

// scanOrdinals finds every ordinal.
func (d *doc) scanOrdinals() []match {
	var out []match
	for i := range d.toks {
		if n, end, ok := d.ordinalAt(i); ok {
			info := map[string]any{"type": "value", "value": n}
			out = append(out, d.tokenMatch(DimOrdinal, i, end, n, info))
		}
	}
	return out
}
