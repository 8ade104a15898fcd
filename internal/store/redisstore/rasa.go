package redisstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// rasaRecord is a conversation as Rasa's Redis tracker store keeps it.
type rasaRecord struct {
	Name   string            `json:"name"`
	Events []json.RawMessage `json:"events"`
}

// ParseRasaRecord returns the events of a value written by Rasa's Redis
// tracker store, each as the JSON Rasa wrote.
func ParseRasaRecord(value []byte) ([]json.RawMessage, error) {
	var rec rasaRecord
	if err := json.Unmarshal(value, &rec); err != nil {
		return nil, fmt.Errorf("%w: not a Rasa tracker: %w", ErrBadRecord, err)
	}
	return rec.Events, nil
}

// rasaEvents reads the events of the Rasa record at conversation id.
func (s *Store) rasaEvents(ctx context.Context, c redis.Cmdable, id string) (
	[]json.RawMessage, error) {
	value, err := c.Get(ctx, s.Key(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap(fmt.Sprintf("loading conversation %q", id), err)
	}
	raws, err := ParseRasaRecord(value)
	if err != nil {
		return nil, fmt.Errorf("store: conversation %q at %s: %w", id, s.Key(id), err)
	}
	return raws, nil
}

// convertRasa turns the Rasa record at conversation id into a list of the
// same events, unless another writer changes the key meanwhile, in which
// case the next write sees what that writer left.
func (s *Store) convertRasa(ctx context.Context, id string) error {
	key := s.Key(id)
	err := s.client.Watch(ctx, func(tx *redis.Tx) error {
		kind, err := tx.Type(ctx, key).Result()
		if err != nil || kind != "string" {
			return err
		}
		raws, err := s.rasaEvents(ctx, tx, id)
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Del(ctx, key)
			for _, raw := range raws {
				p.RPush(ctx, key, []byte(raw))
			}
			return nil
		})
		return err
	}, key)
	if err != nil && !errors.Is(err, redis.TxFailedErr) {
		return wrap(fmt.Sprintf("converting Rasa conversation %q", id), err)
	}
	return nil
}

// joinRaw makes one JSON list of raws.
func joinRaw(raws []json.RawMessage) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, r := range raws {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(r)
	}
	b.WriteByte(']')
	return b.Bytes()
}
