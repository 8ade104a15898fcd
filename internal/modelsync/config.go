package modelsync

import (
	"fmt"
	"slices"
	"time"

	"github.com/parley-chat/parley/internal/actionclient"
	"github.com/parley-chat/parley/internal/project"
)

// DefaultInterval is the time between pulls when the models: section sets
// no wait_time_between_pulls, as in Rasa.
const DefaultInterval = 100 * time.Second

// DefaultPullTimeout bounds one pull, download included, when the section
// sets no timeout: archives can be large.
const DefaultPullTimeout = 5 * time.Minute

// intervalKey is the section's key for the time between pulls.
const intervalKey = "wait_time_between_pulls"

// unusedKeys are endpoint keys that mean something for action servers but
// nothing for a model server.
var unusedKeys = []string{"enable_selective_domain", "compress", "tracker_events"}

// Config is the models: section of endpoints.yml.
type Config struct {
	// Endpoint is where the archive is fetched: url, params, headers,
	// basic_auth, token and token_name, cafile and timeout.
	Endpoint actionclient.Config
	// Interval is the time between pulls; zero means one pull at start
	// (wait_time_between_pulls: null or 0).
	Interval time.Duration
	// Unknown lists keys that Parley does not use, sorted, so that the
	// caller can warn about them.
	Unknown []string
}

// ParseConfig reads the models: section found at pos. Errors wrap
// ErrConfig and start with the section's file:line:column.
func ParseConfig(section map[string]any, pos project.Pos) (*Config, error) {
	where := pos.String()
	if len(section) == 0 {
		return nil, &configError{where, "give the model server's address as url, such as " +
			"url: http://models.example.com/models/default"}
	}
	ep, err := actionclient.ParseConfig(section)
	if err != nil {
		return nil, endpointError(where, err)
	}
	if ep.URL == "" {
		return nil, &configError{where, "url is missing: give the model server's address, " +
			"such as url: http://models.example.com/models/default"}
	}
	if _, ok := section["timeout"]; !ok {
		ep.Timeout = DefaultPullTimeout
	}
	cfg := &Config{Endpoint: ep}
	raw, given := section[intervalKey]
	cfg.Interval, err = interval(raw, given)
	if err != nil {
		return nil, &configError{where, err.Error()}
	}
	for _, k := range ep.Unknown {
		if k != intervalKey {
			cfg.Unknown = append(cfg.Unknown, k)
		}
	}
	for _, k := range unusedKeys {
		if _, ok := section[k]; ok {
			cfg.Unknown = append(cfg.Unknown, k)
		}
	}
	slices.Sort(cfg.Unknown)
	return cfg, nil
}

// interval reads wait_time_between_pulls: absent is DefaultInterval, null
// or 0 is a single pull, a positive number is seconds.
func interval(raw any, given bool) (time.Duration, error) {
	if !given {
		return DefaultInterval, nil
	}
	if raw == nil {
		return 0, nil
	}
	s, err := actionclient.Number(raw)
	if err != nil {
		return 0, fmt.Errorf("%s must be a number of seconds or null, %w", intervalKey, err)
	}
	if s < 0 {
		return 0, fmt.Errorf("%s must not be negative (%v); write null to pull once at start",
			intervalKey, s)
	}
	return time.Duration(s * float64(time.Second)), nil
}
