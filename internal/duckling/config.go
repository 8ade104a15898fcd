package duckling

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // zone names must resolve on machines without a zoneinfo folder
)

// EnvURL is the environment variable that, when set, makes Parley call the
// Duckling server at its URL whatever the config says.
const EnvURL = "PARLEY_DUCKLING_URL"

// DefaultTimeout is the remote call's timeout when the config gives none
// (Rasa's default of 3 seconds).
const DefaultTimeout = 3 * time.Second

// Config is DucklingEntityExtractor's configuration.
type Config struct {
	// Dimensions to extract; empty means every dimension.
	Dimensions []string
	// Locale such as "en_US"; it picks the language's rule table and the
	// number and date conventions. Empty means en_US.
	Locale string
	// Timezone is an IANA zone name used when the conversation has none;
	// empty means UTC.
	Timezone string
	// URL of a Duckling server. On its own it changes nothing: Rasa
	// configs carry one by habit.
	URL string
	// UseRemote makes the extractor call the server at URL, falling back
	// to the built-in extractors when the call fails.
	UseRemote bool
	// Timeout of one remote call.
	Timeout time.Duration
}

// AllDimensions lists the dimensions the built-in extractors produce.
func AllDimensions() []string {
	return []string{DimNumber, DimOrdinal, DimMoney, DimTime, DimDuration,
		DimEmail, DimURL, DimPhone, DimDistance, DimTemperature}
}

// remoteOnlyDimensions are Duckling dimensions only a server provides.
func remoteOnlyDimensions() []string {
	return []string{"volume", "quantity", "credit-card-number"}
}

// ParseConfig reads a DucklingEntityExtractor entry of a Rasa config.yml
// (the map holds its keys; "name" and unknown keys are ignored). A
// non-empty envURL (the value of EnvURL) switches on the remote service.
func ParseConfig(params map[string]any, envURL string) (Config, error) {
	c := Config{Timeout: DefaultTimeout}
	var err error
	if c.Dimensions, err = stringList(params["dimensions"]); err != nil {
		return c, optionError("dimensions", "%v", err)
	}
	for key, dst := range map[string]*string{"locale": &c.Locale,
		"timezone": &c.Timezone, "url": &c.URL} {
		if *dst, err = optionalString(params[key]); err != nil {
			return c, optionError(key, "%v", err)
		}
	}
	if v, ok := params["use_remote"]; ok && v != nil {
		b, isBool := v.(bool)
		if !isBool {
			return c, optionError("use_remote", "want true or false, got %v", v)
		}
		c.UseRemote = b
	}
	if c.Timeout, err = timeoutOf(params["timeout"]); err != nil {
		return c, optionError("timeout", "%v", err)
	}
	if envURL != "" {
		c.URL, c.UseRemote = envURL, true
	}
	return c, c.Validate()
}

func stringList(v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []string:
		return x, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("want a list of names, got %v", e)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a list of names, got %v", v)
}

func optionalString(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	}
	return "", fmt.Errorf("want text, got %v", v)
}

func timeoutOf(v any) (time.Duration, error) {
	var secs float64
	switch x := v.(type) {
	case nil:
		return DefaultTimeout, nil
	case int:
		secs = float64(x)
	case float64:
		secs = x
	default:
		return 0, fmt.Errorf("want a number of seconds, got %v", v)
	}
	if secs <= 0 || secs > 3600 {
		return 0, fmt.Errorf("want a number of seconds above 0, got %v", v)
	}
	return time.Duration(secs * float64(time.Second)), nil
}

var localePattern = regexp.MustCompile(`^[a-zA-Z]{2,3}([_-][a-zA-Z]{2})?$`)

// Validate checks the configuration and says what is wrong.
func (c Config) Validate() error {
	known := append(AllDimensions(), remoteOnlyDimensions()...)
	for _, dim := range c.Dimensions {
		if !slices.Contains(known, dim) {
			return optionError("dimensions", "unknown dimension %q (known: %s)", dim,
				strings.Join(known, ", "))
		}
	}
	if c.Locale != "" && !localePattern.MatchString(c.Locale) {
		return optionError("locale", "%q: want a form like en_US", c.Locale)
	}
	if _, err := LoadZone(c.Timezone); err != nil {
		msg := strings.TrimPrefix(err.Error(), ErrConfig.Error()+": timezone ")
		return optionError("timezone", "%s", msg)
	}
	if c.UseRemote {
		u, err := url.Parse(c.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return optionError("url", "%q: the remote service needs an http(s) URL such "+
				"as http://localhost:8000", c.URL)
		}
	}
	return nil
}

// LoadZone returns the named IANA zone, UTC for "", as the timezone
// setting reads it. The machine's local zone ("Local") is refused: times
// would change with the server's settings. Errors wrap ErrConfig.
func LoadZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if strings.EqualFold(name, "local") {
		return nil, fmt.Errorf("%w: timezone %q: name a zone such as Europe/Berlin; "+
			"the server's local zone is never used", ErrConfig, name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%w: timezone %q: %w", ErrConfig, name, err)
	}
	return loc, nil
}

// LocaleOf returns the locale Duckling reads a project's text in when its
// configuration names none: "de" gives de_DE, "pt_BR" stays pt_BR, and
// English or no language gives "" (en_US).
func LocaleOf(language string) string {
	lang, region, _ := strings.Cut(strings.ReplaceAll(language, "-", "_"), "_")
	lang = strings.ToLower(lang)
	switch {
	case lang == "" || lang == "en" || !localePattern.MatchString(language):
		return ""
	case region != "":
		return lang + "_" + strings.ToUpper(region)
	}
	return lang + "_" + strings.ToUpper(lang)
}

// normalizeLocale returns "en_US" style: language lower case, region
// upper case, en_US when empty.
func normalizeLocale(locale string) string {
	if locale == "" {
		return "en_US"
	}
	lang, region, _ := strings.Cut(strings.ReplaceAll(locale, "-", "_"), "_")
	if region == "" {
		return strings.ToLower(lang)
	}
	return strings.ToLower(lang) + "_" + strings.ToUpper(region)
}

// dayFirstLocale reports whether dates like 3/4 put the day first.
func dayFirstLocale(locale string) bool {
	lang, region, _ := strings.Cut(locale, "_")
	if lang != "en" {
		return true
	}
	switch region {
	case "", "US", "PH", "CA", "BZ":
		return false
	}
	return true
}
