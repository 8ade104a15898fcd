package bench

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"
)

// Machine describes where the suite ran, for the report's header.
type Machine struct {
	Cores    int
	MemoryMB int
	Commit   string
	Command  string
}

// WriteTable prints the suite as one Markdown table, with the published
// anchors beside each row, then the peer's rows when there are any.
func (s *Suite) WriteTable(w io.Writer, m Machine, peer []PeerResult) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Machine: %d cores, %d MB memory, %s, GOMAXPROCS %d. Commit %s.\n",
		m.Cores, m.MemoryMB, runtime.Version(), runtime.GOMAXPROCS(0), orDash(m.Commit))
	if m.Command != "" {
		fmt.Fprintf(&b, "Command: %s\n", m.Command)
	}
	b.WriteString("\n| data set | intent acc % | entity F1 % token | entity F1 % span " +
		"| ECE | train s (CPU s) | parse µs p50 / p99 | model MB | heap MB | published " +
		"anchors | target |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range s.Rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %.1f (%.1f) | %d / %d | %.1f | %.1f | %s "+
			"| %s |\n", r.Name, pct(r.IntentAccuracy, r.IntentSD, r.HasIntent, r.spread()),
			pct(r.EntityF1, r.EntitySD, r.HasEntities, r.spread()),
			pct(r.SpanF1, r.SpanSD, r.HasEntities, r.spread()), ece(r), r.TrainSeconds,
			r.TrainCPUSeconds, micros(r.ParseP50), micros(r.ParseP99),
			float64(r.ModelBytes)/1e6, float64(r.HeapBytes)/1e6, r.Anchor, orDash(r.Target))
	}
	fmt.Fprintf(&b, "\nPeak resident memory of the whole run: %.0f MB. Train times are per "+
		"run (per fold, per intent, per corpus); parse times are medians over the runs.\n",
		float64(s.PeakRSS)/1e6)
	if len(peer) > 0 {
		s.writePeer(&b, peer)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writePeer prints NLP.js's rows beside Parley's figures on the same data;
// HWU64's folds make one row of means.
func (s *Suite) writePeer(b *strings.Builder, peer []PeerResult) {
	b.WriteString("\nNLP.js in the same run (intent accuracy; it has no learned entity " +
		"tagger):\n\n| data set | NLP.js acc % | Parley acc % | train s NLP.js / Parley | " +
		"parse µs NLP.js / Parley | NLP.js RSS MB |\n|---|---|---|---|---|---|\n")
	var rows []peerRow
	for _, p := range peer {
		ours, ok := s.result(p.Dataset)
		if !ok {
			continue
		}
		name := p.Dataset
		if strings.HasPrefix(name, "hwu64/") {
			name = "hwu64 (mean of folds)"
		}
		if len(rows) == 0 || rows[len(rows)-1].name != name {
			rows = append(rows, peerRow{name: name})
		}
		rows[len(rows)-1].add(p, ours)
	}
	for _, r := range rows {
		n := float64(r.n)
		fmt.Fprintf(b, "| %s | %.2f | %.2f | %.2f / %.2f (%.1f×) | %.0f / %.0f (%.1f×) | %.0f |\n",
			r.name, 100*r.peerAcc/n, 100*r.ourAcc/n, r.peerTrain/n, r.ourTrain/n,
			ratio(r.peerTrain, r.ourTrain), r.peerParse/n, r.ourParse/n,
			ratio(r.peerParse, r.ourParse), r.rss/n)
	}
}

// peerRow sums the figures of one data set (or of HWU64's folds).
type peerRow struct {
	name                                 string
	n                                    int
	peerAcc, ourAcc, peerTrain, ourTrain float64
	peerParse, ourParse, rss             float64
}

func (r *peerRow) add(p PeerResult, ours Result) {
	r.n++
	r.peerAcc, r.ourAcc = r.peerAcc+p.IntentAccuracy, r.ourAcc+ours.IntentAccuracy
	r.peerTrain, r.ourTrain = r.peerTrain+p.TrainSeconds, r.ourTrain+ours.TrainSeconds
	r.peerParse += 1000 * p.ParseMS
	r.ourParse += float64(micros(ours.ParseP50))
	r.rss += p.RSSMB
}

// result finds Parley's run for a peer data set name (braun/X, snips,
// hwu64/fold-k).
func (s *Suite) result(dataset string) (Result, bool) {
	name := strings.NewReplacer("braun/", "braun ", "hwu64/", "hwu64 ").Replace(dataset)
	for _, r := range s.Rows {
		for _, x := range r.Runs {
			if x.Name == name {
				return x, true
			}
		}
	}
	return Result{}, false
}

// spread reports whether the row shows a standard deviation.
func (r Row) spread() bool { return len(r.Runs) > 1 && !r.Pooled }

func pct(mean, sd float64, applies, spread bool) string {
	if !applies {
		return "-"
	}
	if spread {
		return fmt.Sprintf("%.2f ± %.2f", 100*mean, 100*sd)
	}
	return fmt.Sprintf("%.2f", 100*mean)
}

func ece(r Row) string {
	if !r.HasIntent {
		return "-"
	}
	return fmt.Sprintf("%.3f", r.ECE)
}

func micros(d time.Duration) int { return int(d.Microseconds()) }

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
