package settings

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteTable prints every setting, its value (secrets masked), its
// environment variable and where the value came from.
func (s *Settings) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SETTING\tVALUE\tVARIABLE\tSOURCE")
	for _, v := range s.values {
		env := v.Env
		if env == "" {
			env = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", v.Name, v.Shown(), env, v.Source)
	}
	return tw.Flush()
}

// shownValue is one setting as JSON shows it.
type shownValue struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Env    string `json:"env,omitempty"`
	Source string `json:"source"`
	Secret bool   `json:"secret,omitempty"`
}

// WriteJSON prints the settings as a JSON array, secrets masked.
func (s *Settings) WriteJSON(w io.Writer) error {
	out := make([]shownValue, len(s.values))
	for i, v := range s.values {
		out[i] = shownValue{Name: v.Name, Value: v.Shown(), Env: v.Env,
			Source: v.Source.String(), Secret: v.Secret}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
