package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/parley-chat/parley/internal/duckling"
	"github.com/parley-chat/parley/internal/nlu"
)

// ParseOptions carries what a parse may need besides the text.
type ParseOptions struct {
	// Time is when the message was sent; relative times ("tomorrow")
	// resolve against it. The zero time means now.
	Time time.Time
	// Zone is the conversation's time zone (nil: the one configured for
	// DucklingEntityExtractor, else UTC).
	Zone *time.Location
}

// newDuckling reads DucklingEntityExtractor. The url option alone does not
// switch to a Duckling server: use_remote does, or ConfigureDuckling with
// the value of PARLEY_DUCKLING_URL.
func newDuckling(b *builder, o *options) {
	cfg, err := duckling.ParseConfig(o.c.Options, "")
	if oe, ok := errors.AsType[*duckling.OptionError](err); ok {
		o.fail(oe.Option, "%s", oe.Problem)
		return
	} else if err != nil {
		o.fail("dimensions", "%v", err)
		return
	}
	if cfg.URL != "" && !cfg.UseRemote {
		b.log.Debug("DucklingEntityExtractor: url is kept but not called; set use_remote: "+
			"true or "+duckling.EnvURL+" to use the server", "url", cfg.URL)
	}
	b.spec.Duckling = &cfg
}

// buildDuckling makes the extractor of the saved configuration.
func (m *Model) buildDuckling(log *slog.Logger) error {
	if m.st.Spec.Duckling == nil {
		m.duckling = nil
		return nil
	}
	x, err := duckling.New(*m.st.Spec.Duckling, log)
	if err != nil {
		return fmt.Errorf("%w: DucklingEntityExtractor: %w", ErrConfig, err)
	}
	m.duckling = x
	return nil
}

// ConfigureDuckling points DucklingEntityExtractor at a Duckling server
// (url is the value of PARLEY_DUCKLING_URL; empty keeps the configured
// behaviour) and gives it a logger for failed calls. It does nothing when
// the pipeline has no DucklingEntityExtractor. Call it before serving.
func (m *Model) ConfigureDuckling(url string, log *slog.Logger) error {
	if m.st.Spec.Duckling == nil {
		return nil
	}
	if log != nil {
		m.log = log
	}
	if url != "" {
		cfg := *m.st.Spec.Duckling
		cfg.URL, cfg.UseRemote = url, true
		if err := cfg.Validate(); err != nil {
			return fmt.Errorf("%s: %w", duckling.EnvURL, err)
		}
		m.st.Spec.Duckling = &cfg
	}
	return m.buildDuckling(m.log)
}

// ducklingEntities runs DucklingEntityExtractor; its offsets are code
// points already.
func (m *Model) ducklingEntities(ctx context.Context, text string,
	opts ParseOptions) []nlu.Entity {
	if m.duckling == nil {
		return nil
	}
	ents, err := m.duckling.ExtractContext(ctx, text, opts.Time, opts.Zone)
	if err != nil {
		m.log.Warn("Duckling server unavailable; used the built-in extractors",
			"error", err)
	}
	return ents
}
