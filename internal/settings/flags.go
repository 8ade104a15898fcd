package settings

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/pflag"
)

// FlagsOf returns the flags that were given in fs, by name, as Input.Flags
// wants them: lists joined with commas, everything else as text.
func FlagsOf(fs *pflag.FlagSet) map[string]string {
	out := map[string]string{}
	fs.Visit(func(f *pflag.Flag) {
		switch f.Value.Type() {
		case "stringSlice", "stringArray":
			list, err := fs.GetStringSlice(f.Name)
			if err != nil {
				list, _ = fs.GetStringArray(f.Name)
			}
			out[f.Name] = strings.Join(list, ",")
		default:
			out[f.Name] = f.Value.String()
		}
	})
	return out
}

// setCORS reads the allowed origins. An entry that is neither "*" nor an
// origin is refused: it is nearly always a file name, left by a shell that
// expanded an unquoted * (--cors * in a folder with files in it).
func setCORS(s *Settings, v string) error {
	s.CORS = splitList(v)
	var bad []string
	for _, origin := range s.CORS {
		if origin != "*" && !isOrigin(origin) {
			bad = append(bad, origin)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("%s: not an origin like https://chat.example.com. If these are file "+
		"names, the shell expanded an unquoted *: write --cors \"*\" (quoted) or list the "+
		"origins", strings.Join(bad, ", "))
}

// isOrigin reports whether s is scheme://host[:port] with nothing after.
func isOrigin(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return false
	}
	return (u.Scheme == "http" || u.Scheme == "https") && (u.Path == "" || u.Path == "/") &&
		u.RawQuery == "" && u.User == nil
}
