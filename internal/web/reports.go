package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Chart geometry of the F1 bars drawn for each report, in SVG units.
const (
	chartBarWidth = 320
	chartRow      = 22
	chartMaxRows  = 60
)

// reportRow is one label (intent, action, entity) of a report.
type reportRow struct {
	Label     string
	Precision float64
	Recall    float64
	F1        float64
	Support   int
	// Y and Bar place the row's bar in the chart.
	Y, Bar int
}

// reportView is one report file as the reports page shows it.
type reportView struct {
	Title    string
	File     string
	Modified string
	Accuracy *float64
	Rows     []reportRow
	Averages []reportRow
	Chart    []reportRow
	Height   int
}

// reportsPage fills reports.html.
type reportsPage struct {
	base
	Dir     string
	Reports []reportView
	Plots   []string
	Broken  []string
}

// scores is the JSON of one label in a report.
type scores struct {
	Precision *float64 `json:"precision"`
	Recall    float64  `json:"recall"`
	F1        float64  `json:"f1-score"`
	Support   int      `json:"support"`
}

// reports answers GET /inspect/reports: the latest test reports in the
// results folder, a chart of F1 per label, and the plots found there.
func (a *App) reports(w http.ResponseWriter, r *http.Request) error {
	page := reportsPage{base: a.inspectorBase(r, "Test reports"), Dir: a.cfg.ResultsDir}
	if a.cfg.ResultsDir != "" {
		entries, err := os.ReadDir(a.cfg.ResultsDir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			names = append(names, e.Name())
		}
		slices.SortFunc(names, func(x, y string) int { return reportOrder(x) - reportOrder(y) })
		for _, name := range names {
			a.addResult(&page, name)
		}
	}
	a.pages.render(w, http.StatusOK, "reports.html", page)
	return nil
}

// reportOrder puts the intent report first, then entities, then stories.
func reportOrder(name string) int {
	switch {
	case name == "intent_report.json":
		return 0
	case name == "story_report.json":
		return 2
	}
	return 1
}

// addResult adds one file of the results folder to the page.
func (a *App) addResult(page *reportsPage, name string) {
	switch {
	case plotName.MatchString(name):
		page.Plots = append(page.Plots, name)
	case strings.HasSuffix(name, "_report.json"):
		v, err := readReport(filepath.Join(a.cfg.ResultsDir, name))
		if err != nil {
			page.Broken = append(page.Broken, name+": "+err.Error())
			return
		}
		page.Reports = append(page.Reports, v)
	}
}

// readReport reads a report in the layout of sklearn's classification
// report: one object per label, averages, and accuracy.
func readReport(path string) (reportView, error) {
	v := reportView{File: filepath.Base(path), Title: reportTitle(filepath.Base(path))}
	info, err := os.Stat(path)
	if err != nil {
		return v, err
	}
	v.Modified = info.ModTime().UTC().Format("2006-01-02 15:04 UTC")
	data, err := os.ReadFile(path)
	if err != nil {
		return v, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return v, fmt.Errorf("not a report: %w", err)
	}
	for label, body := range raw {
		var s scores
		if label == "accuracy" {
			var acc float64
			if json.Unmarshal(body, &acc) == nil {
				v.Accuracy = &acc
			}
			continue
		}
		if json.Unmarshal(body, &s) != nil || s.Precision == nil {
			continue
		}
		row := reportRow{Label: label, Precision: *s.Precision, Recall: s.Recall, F1: s.F1,
			Support: s.Support}
		if strings.HasSuffix(label, " avg") {
			v.Averages = append(v.Averages, row)
		} else {
			v.Rows = append(v.Rows, row)
		}
	}
	byLabel := func(x, y reportRow) int { return strings.Compare(x.Label, y.Label) }
	slices.SortFunc(v.Rows, byLabel)
	slices.SortFunc(v.Averages, byLabel)
	v.Chart, v.Height = chartRows(v.Rows)
	return v, nil
}

// chartRows places the bars of the F1 chart, worst first.
func chartRows(rows []reportRow) ([]reportRow, int) {
	chart := slices.Clone(rows)
	slices.SortStableFunc(chart, func(x, y reportRow) int {
		switch {
		case x.F1 < y.F1:
			return -1
		case x.F1 > y.F1:
			return 1
		}
		return 0
	})
	if len(chart) > chartMaxRows {
		chart = chart[:chartMaxRows]
	}
	for i := range chart {
		chart[i].Y = i * chartRow
		chart[i].Bar = int(chart[i].F1*chartBarWidth + 0.5)
	}
	return chart, len(chart)*chartRow + 4
}

// reportTitle names a report file for people.
func reportTitle(name string) string {
	switch name {
	case "intent_report.json":
		return "NLU: intents"
	case "story_report.json":
		return "Stories: actions"
	case "response_selection_report.json":
		return "NLU: responses"
	}
	return "NLU entities: " + strings.TrimSuffix(name, "_report.json")
}

// plotName matches the plot files the results folder may hold.
var plotName = regexp.MustCompile(`^[A-Za-z0-9_.-]+\.(png|svg)$`)

// resultFile answers GET /inspect/results/{file}: a plot of the results
// folder. Only plain file names are served, never a path out of it, and an
// SVG is sandboxed so that script in it cannot run.
func (a *App) resultFile(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	notFound := userError(http.StatusNotFound, "There is no such plot.")
	if a.cfg.ResultsDir == "" || !plotName.MatchString(name) {
		return notFound
	}
	root, err := os.OpenRoot(a.cfg.ResultsDir)
	if err != nil {
		return notFound
	}
	defer root.Close()
	f, err := root.Open(name)
	if err != nil {
		return notFound
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		return notFound
	}
	if strings.HasSuffix(name, ".svg") {
		w.Header().Set("Content-Security-Policy",
			"default-src 'none'; style-src 'unsafe-inline'; sandbox")
	}
	http.ServeContent(w, r, name, info.ModTime(), f)
	return nil
}
