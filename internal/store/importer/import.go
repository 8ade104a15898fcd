package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/store"
)

// Source reads the conversations of a Rasa tracker store.
type Source interface {
	// Conversations lists the conversation ids, least recently active
	// first.
	Conversations(ctx context.Context) ([]string, error)
	// Events returns a conversation's events as Rasa wrote them, oldest
	// first.
	Events(ctx context.Context, id string) ([]json.RawMessage, error)
	// Close releases the source.
	Close() error
}

// Options tune Import.
type Options struct {
	// Overwrite replaces conversations that the destination already has;
	// otherwise they are skipped.
	Overwrite bool
	// Logger receives a warning for each dropped event; nil discards them.
	Logger *slog.Logger
}

// Report counts what Import did.
type Report struct {
	Conversations int // copied
	Events        int // copied
	Skipped       int // conversations the destination already had
	Dropped       int // events of a type Parley does not know
}

// Import copies every conversation of src into dst.
func Import(ctx context.Context, src Source, dst store.TrackerStore, opts Options) (
	Report, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	var rep Report
	ids, err := src.Conversations(ctx)
	if err != nil {
		return rep, fmt.Errorf("importer: listing conversations: %w", err)
	}
	for _, id := range ids {
		if err := importOne(ctx, src, dst, id, opts, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// importOne copies conversation id.
func importOne(ctx context.Context, src Source, dst store.TrackerStore, id string,
	opts Options, rep *Report) error {
	if !opts.Overwrite {
		have, err := dst.Load(ctx, id)
		if err != nil {
			return fmt.Errorf("importer: reading conversation %q in Parley's store: %w", id, err)
		}
		if len(have) > 0 {
			rep.Skipped++
			return nil
		}
	}
	raws, err := src.Events(ctx, id)
	if err != nil {
		return fmt.Errorf("importer: reading conversation %q: %w", id, err)
	}
	events := make([]event.Event, 0, len(raws))
	for i, raw := range raws {
		var ev event.Event
		err := json.Unmarshal(raw, &ev)
		if errors.Is(err, event.ErrUnknownType) {
			rep.Dropped++
			opts.Logger.Warn("importer: event of an unknown type dropped", "conversation", id,
				"index", i, "error", err)
			continue
		}
		if err != nil {
			return fmt.Errorf("%w: conversation %q, event %d: %w", ErrUnreadableEvent, id, i, err)
		}
		events = append(events, ev)
	}
	if err := dst.Replace(ctx, id, events); err != nil {
		return fmt.Errorf("importer: writing conversation %q: %w", id, err)
	}
	rep.Conversations++
	rep.Events += len(events)
	return nil
}
