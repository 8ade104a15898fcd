package pipeline

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/parley-chat/parley/internal/project"
)

// keyword is a compiled KeywordIntentClassifier entry.
type keyword struct {
	re     *regexp.Regexp
	intent string
}

// trainKeywords collects the keywords: each training text is a keyword of
// its intent, unless it belongs to several intents.
func (t *trainer) trainKeywords(_ context.Context, m *Model) error {
	if m.st.Spec.Keyword == nil {
		return nil
	}
	fold := func(s string) string {
		if m.st.Spec.Keyword.CaseSensitive {
			return s
		}
		return strings.ToLower(s)
	}
	owner := map[string]string{}
	pos := map[string]project.Pos{}
	var order []string
	for _, ex := range t.data.Examples {
		k := fold(strings.TrimSpace(ex.Text))
		if k == "" || ex.Intent == "" {
			continue
		}
		prev, seen := owner[k]
		switch {
		case !seen:
			owner[k], pos[k] = baseIntent(ex.Intent), ex.Pos
			order = append(order, k)
		case prev != baseIntent(ex.Intent) && prev != "":
			t.warnAt(ex.Pos, fmt.Sprintf("keyword %q belongs to intents %q and %q; "+
				"KeywordIntentClassifier ignores it", k, prev, baseIntent(ex.Intent)))
			owner[k] = ""
		}
	}
	for _, k := range order {
		if owner[k] != "" {
			m.st.Keywords = append(m.st.Keywords, KeywordEntry{Keyword: k, Intent: owner[k]})
		}
	}
	// Longer keywords first, so "good morning" wins over "good".
	slices.SortStableFunc(m.st.Keywords, func(a, b KeywordEntry) int {
		return len(b.Keyword) - len(a.Keyword)
	})
	m.keywords = buildKeywords(m.st.Keywords, m.st.Spec.Keyword)
	return nil
}

func buildKeywords(entries []KeywordEntry, spec *KeywordSpec) []keyword {
	if spec == nil {
		return nil
	}
	out := make([]keyword, 0, len(entries))
	for _, e := range entries {
		src := `(?:^|[^\p{L}\p{M}\p{N}_])` + regexp.QuoteMeta(e.Keyword) +
			`(?:$|[^\p{L}\p{M}\p{N}_])`
		if !spec.CaseSensitive {
			src = "(?i)" + src
		}
		if re, err := regexp.Compile(src); err == nil {
			out = append(out, keyword{re: re, intent: e.Intent})
		}
	}
	return out
}

// keywordIntent returns the intent of the first keyword found in text.
func (m *Model) keywordIntent(text string) (string, bool) {
	for _, k := range m.keywords {
		if k.re.MatchString(text) {
			return k.intent, true
		}
	}
	return "", false
}
