package bench

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"slices"
	"time"

	"github.com/parley-chat/parley/internal/project"
)

// The data sets of the suite, as named on the command line.
const (
	SetHWU64     = "hwu64"
	SetSNIPS     = "snips"
	SetSnips2017 = "snips2017"
	SetBraun     = "braun"
)

// AllSets lists every data set in the order the table shows them.
func AllSets() []string { return []string{SetHWU64, SetSNIPS, SetSnips2017, SetBraun} }

// SuiteOptions chooses what RunSuite measures.
type SuiteOptions struct {
	// DataDir holds hwu64/, snips/, snips2017/ and braun/.
	DataDir string
	// Sets to run (nil: all).
	Sets []string
	// Folds is the number of HWU64 folds (0: all 10).
	Folds int
	// Short runs a small smoke version: one HWU64 fold and SNIPS on
	// shortTrain training and shortTest test messages spread over the
	// files, one Snips 2017 intent, the Braun corpora.
	Short bool
	Log   *slog.Logger
	// Progress receives one line per finished train/test run (may be nil).
	Progress func(Result)
}

// Sizes of the short smoke run.
const (
	shortTrain = 1000
	shortTest  = 200
)

// Row is one line of the benchmark table.
type Row struct {
	Name string
	Runs []Result
	// Means (and standard deviations over the runs) of the figures.
	IntentAccuracy, IntentSD float64
	EntityF1, EntitySD       float64
	SpanF1, SpanSD           float64
	ECE                      float64
	// HasIntent and HasEntities say which figures apply; Pooled rows count
	// every test message of their runs once and have no spread.
	HasIntent, HasEntities, Pooled bool
	// TrainSeconds and TrainCPUSeconds are per run.
	TrainSeconds, TrainCPUSeconds float64
	ParseP50, ParseP99            time.Duration
	ModelBytes                    int
	HeapBytes                     uint64
	// Anchor is the published figure to compare with, Target Parley's goal.
	Anchor, Target string
}

// Suite is the outcome of RunSuite.
type Suite struct {
	Rows []Row
	// PeakRSS is the process's largest resident set during the suite.
	PeakRSS uint64
	// Pooled HWU64 intent predictions, for the reliability diagram.
	HWU64Confidences []float64
	HWU64Correct     []bool
}

// RunSuite runs every protocol of the benchmark on the data in DataDir.
func RunSuite(ctx context.Context, opts SuiteOptions) (*Suite, error) {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	sets := opts.Sets
	if len(sets) == 0 {
		sets = AllSets()
	}
	s := &Suite{}
	for _, set := range sets {
		var rows []Row
		var err error
		switch set {
		case SetHWU64:
			rows, err = s.hwu64(ctx, opts)
		case SetSNIPS:
			rows, err = snips(ctx, opts)
		case SetSnips2017:
			rows, err = snips2017(ctx, opts)
		case SetBraun:
			rows, err = braun(ctx, opts)
		default:
			return nil, fmt.Errorf("unknown data set %q (known: %v)", set, AllSets())
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", set, err)
		}
		s.Rows = append(s.Rows, rows...)
	}
	s.PeakRSS = peakRSS()
	return s, nil
}

// run trains and tests once and reports progress.
func run(ctx context.Context, opts SuiteOptions, name string, train, test project.NLUData) (
	Result, error) {
	res, err := Run(ctx, name, train, test, BenchmarkPipeline(), opts.Log)
	if err == nil && opts.Progress != nil {
		opts.Progress(res)
	}
	return res, err
}

func (s *Suite) hwu64(ctx context.Context, opts SuiteOptions) ([]Row, error) {
	folds := opts.Folds
	if folds <= 0 || folds > 10 {
		folds = 10
	}
	if opts.Short {
		folds = 1
	}
	var runs []Result
	for f := 1; f <= folds; f++ {
		dir := filepath.Join(opts.DataDir, "hwu64", fmt.Sprintf("fold-%d", f))
		train, err := ReadRasaJSON(filepath.Join(dir, "train.json"), Options{})
		if err != nil {
			return nil, err
		}
		test, err := ReadRasaJSON(filepath.Join(dir, "test.json"), Options{})
		if err != nil {
			return nil, err
		}
		if opts.Short {
			train, test = head(train, shortTrain), head(test, shortTest)
		}
		res, err := run(ctx, opts, fmt.Sprintf("hwu64 fold-%d", f), train, test)
		if err != nil {
			return nil, err
		}
		runs = append(runs, res)
		s.HWU64Confidences = append(s.HWU64Confidences, res.Confidences...)
		s.HWU64Correct = append(s.HWU64Correct, res.Correct...)
	}
	r := summarize(fmt.Sprintf("HWU64 (%d folds)", folds), runs, true, true)
	r.Anchor = "DIET sparse 88.19 / 85.12; DIET+ConveRT 90.18 / 86.04; NLP.js 0.759"
	r.Target = "intent ≥ 91.5, entity F1 ≥ 86.0 (both)"
	return []Row{r}, nil
}

func snips(ctx context.Context, opts SuiteOptions) ([]Row, error) {
	train, err := ReadSNIPS(filepath.Join(opts.DataDir, "snips", "train"))
	if err != nil {
		return nil, err
	}
	test, err := ReadSNIPS(filepath.Join(opts.DataDir, "snips", "test"))
	if err != nil {
		return nil, err
	}
	if opts.Short {
		train, test = head(train, shortTrain), head(test, shortTest)
	}
	res, err := run(ctx, opts, "snips", train, test)
	if err != nil {
		return nil, err
	}
	r := summarize("SNIPS", []Result{res}, true, true)
	r.Anchor = "Joint BERT 98.6 / 97.0; Stack-Prop 98.0 / 94.2; NLP.js 0.957"
	r.Target = "intent ≥ 98.6, slot F1 ≥ 95"
	return []Row{r}, nil
}

// snips2017Intents are the seven intents of the Snips 2017 benchmark.
var snips2017Intents = []string{"AddToPlaylist", "BookRestaurant", "GetWeather", "PlayMusic",
	"RateBook", "SearchCreativeWork", "SearchScreeningEvent"}

func snips2017(ctx context.Context, opts SuiteOptions) ([]Row, error) {
	intents := snips2017Intents
	if opts.Short {
		intents = []string{"GetWeather"}
	}
	var rows []Row
	for _, size := range []string{"70", "full"} {
		if opts.Short && size == "full" {
			continue
		}
		var runs []Result
		for _, intent := range intents {
			dir := filepath.Join(opts.DataDir, "snips2017", intent)
			file, limit := "train_"+intent+".json", 70
			if size == "full" {
				file, limit = "train_"+intent+"_full.json", 0
			}
			train, err := ReadSnips2017(filepath.Join(dir, file), intent, limit)
			if err != nil {
				return nil, err
			}
			test, err := ReadSnips2017(filepath.Join(dir, "validate_"+intent+".json"), intent, 0)
			if err != nil {
				return nil, err
			}
			res, err := run(ctx, opts, "snips2017 "+intent+" @"+size, train, test)
			if err != nil {
				return nil, err
			}
			runs = append(runs, res)
		}
		r := summarize("Snips 2017 @"+size+" (slot F1)", runs, false, true)
		r.Anchor, r.Target = "Snips 0.82, api.ai 0.73, Luis 0.70, Wit 0.63", "slot F1 ≥ 0.85"
		if size == "full" {
			r.Anchor, r.Target = "Snips 0.94", "-"
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// braunCorpora are the three Braun et al. corpora with NLP.js's accuracy.
var braunCorpora = []struct{ name, peer string }{
	{"ChatbotCorpus", "NLP.js 0.99"}, {"AskUbuntuCorpus", "NLP.js 0.93"},
	{"WebApplicationsCorpus", "NLP.js 0.83"}}

func braun(ctx context.Context, opts SuiteOptions) ([]Row, error) {
	var rows []Row
	var all []Result
	for _, c := range braunCorpora {
		train, test, err := ReadBraun(filepath.Join(opts.DataDir, "braun", c.name+".json"))
		if err != nil {
			return nil, err
		}
		res, err := run(ctx, opts, "braun "+c.name, train, test)
		if err != nil {
			return nil, err
		}
		r := summarize("Braun "+c.name, []Result{res}, true, false)
		r.Anchor = c.peer
		rows = append(rows, r)
		all = append(all, res)
	}
	pooled := pool("Braun overall", all)
	pooled.Anchor = "NLP.js 0.93, Watson 0.92, Rasa 0.88"
	pooled.Target = "≥ 0.94"
	return append(rows, pooled), nil
}

// summarize averages runs into a row.
func summarize(name string, runs []Result, intent, entities bool) Row {
	r := Row{Name: name, Runs: runs, HasIntent: intent, HasEntities: entities}
	var acc, ent, span, ece []float64
	for _, x := range runs {
		acc, ent, span = append(acc, x.IntentAccuracy), append(ent, x.EntityF1),
			append(span, x.SpanF1)
		ece = append(ece, x.ECE)
		r.TrainSeconds += x.TrainSeconds / float64(len(runs))
		r.TrainCPUSeconds += x.TrainCPUSeconds / float64(len(runs))
		r.ModelBytes, r.HeapBytes = max(r.ModelBytes, x.ModelBytes), max(r.HeapBytes, x.HeapBytes)
	}
	r.IntentAccuracy, r.IntentSD = meanSD(acc)
	r.EntityF1, r.EntitySD = meanSD(ent)
	r.SpanF1, r.SpanSD = meanSD(span)
	r.ECE, _ = meanSD(ece)
	r.ParseP50, r.ParseP99 = medianOf(runs, true), medianOf(runs, false)
	return r
}

// pool is a row whose intent accuracy counts every test message of the
// runs once (the Braun "overall" figure).
func pool(name string, runs []Result) Row {
	r := summarize(name, runs, true, false)
	correct, total := 0.0, 0
	for _, x := range runs {
		correct += x.IntentAccuracy * float64(x.TestExamples)
		total += x.TestExamples
	}
	r.IntentAccuracy, r.IntentSD = correct/float64(max(total, 1)), 0
	r.Pooled = true
	return r
}

// medianOf returns the median of the runs' p50 (or p99) parse times.
func medianOf(runs []Result, p50 bool) time.Duration {
	var ds []time.Duration
	for _, x := range runs {
		if p50 {
			ds = append(ds, x.ParseP50)
		} else {
			ds = append(ds, x.ParseP99)
		}
	}
	slices.Sort(ds)
	if len(ds) == 0 {
		return 0
	}
	return ds[len(ds)/2]
}

func meanSD(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	if len(xs) > 1 {
		v /= float64(len(xs) - 1)
	}
	return m, math.Sqrt(v)
}

// head keeps about n examples, evenly spread over the data (the files are
// often sorted by intent).
func head(d project.NLUData, n int) project.NLUData {
	if len(d.Examples) <= n {
		return d
	}
	exs := make([]project.Example, 0, n)
	for i := range n {
		exs = append(exs, d.Examples[i*len(d.Examples)/n])
	}
	d.Examples = exs
	return d
}
