package duckling

import (
	"cmp"
	"slices"

	"github.com/parley-chat/parley/internal/nlu"
)

// ExtractorName is the extractor name Rasa writes on these entities.
const ExtractorName = "DucklingEntityExtractor"

// Dimension names, as Duckling and Rasa configs spell them.
const (
	DimNumber      = "number"
	DimOrdinal     = "ordinal"
	DimMoney       = "amount-of-money"
	DimTime        = "time"
	DimDuration    = "duration"
	DimEmail       = "email"
	DimURL         = "url"
	DimPhone       = "phone-number"
	DimDistance    = "distance"
	DimTemperature = "temperature"
)

// match is one candidate value over runes [start, end).
type match struct {
	dim        string
	start, end int
	value      any            // the entity value Rasa shows
	info       map[string]any // Duckling's value object
}

// tokenMatch builds a match over tokens [i, j).
func (d *doc) tokenMatch(dim string, i, j int, value any, info map[string]any) match {
	s, e := d.span(i, j)
	return match{dim: dim, start: s, end: e, value: value, info: info}
}

// rank keeps the matches no other match covers, as Duckling does: a match
// whose range lies inside a longer one (of any dimension) is dropped;
// matches over the same range of different dimensions are all kept, and of
// one dimension the first is kept. The result is sorted by position.
func rank(ms []match) []match {
	var out []match
	for i, x := range ms {
		if dominated(x, i, ms) {
			continue
		}
		out = append(out, x)
	}
	slices.SortStableFunc(out, func(a, b match) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end))
	})
	return out
}

func dominated(x match, i int, ms []match) bool {
	for k, y := range ms {
		if k == i {
			continue
		}
		covers := y.start <= x.start && y.end >= x.end
		same := y.start == x.start && y.end == x.end
		if covers && !same {
			return true
		}
		if same && y.dim == x.dim && k < i {
			return true
		}
	}
	return false
}

// toEntity turns a match into Rasa's entity shape.
func toEntity(text []rune, m match) nlu.Entity {
	one := 1.0
	return nlu.Entity{
		Entity:         m.dim,
		Start:          m.start,
		End:            m.end,
		Value:          m.value,
		Score:          &one,
		Extractor:      ExtractorName,
		AdditionalInfo: m.info,
		Text:           string(text[m.start:m.end]),
		Body:           string(text[m.start:m.end]),
	}
}
