package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-chat/parley/internal/duckling"
	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/nlu/evaluate"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/storytest"
)

// testFlags are the flags of test, test nlu and test core.
type testFlags struct {
	serve       serveFlags
	nlu         []string
	out         string
	failOnError bool
	maxStories  int
	e2e         bool
	noPlot      bool
	// crossValidation and folds are test nlu's --cross-validation -f N.
	crossValidation bool
	folds           int
	// timezone and refTime fix the zone and the sending time of the test
	// stories' messages, for reproducible dates.
	timezone string
	refTime  string
}

// Which parts `parley test` evaluates.
const (
	testBoth = iota
	testNLU
	testCore
)

func (a *app) testCommand() *cobra.Command {
	cmd := a.newTestCommand(testBoth, "test", "Evaluate the model on test stories and NLU data",
		"Replays each test story in tests/ (user text goes through NLU; custom actions are\n"+
			"predicted, never called) and parses the NLU data, then writes Rasa's reports into\n"+
			"results/. With no tests/ folder it evaluates the stories in data/. It exits 1 when\n"+
			"a test story fails; NLU mistakes on the training data do not change the exit code.")
	cmd.AddCommand(
		a.newTestCommand(testNLU, "nlu", "Evaluate the NLU model on labelled examples",
			"Parses every example of the NLU data (-u) and writes intent_report.json and the\n"+
				"entity reports into results/."),
		a.newTestCommand(testCore, "core", "Evaluate the dialogue model on test stories",
			"Replays each test story and writes story_report.json and failed_test_stories.yml\n"+
				"into results/. It exits 1 when a story fails."))
	return cmd
}

func (a *app) newTestCommand(which int, use, short, long string) *cobra.Command {
	f := &testFlags{}
	cmd := &cobra.Command{
		Use: use, Short: short, Long: long, Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runTest(cmd.Context(), which, f)
		},
	}
	fs := cmd.Flags()
	f.serve.project.addTraining(fs)
	f.serve.project.addEndpoints(fs)
	fs.StringVarP(&f.serve.model, "model", "m", "models",
		"a model archive, or a folder whose newest archive is used")
	fs.StringVarP(&f.serve.project.tests, "stories", "s", "tests",
		"the test stories file or folder")
	fs.StringSliceVarP(&f.nlu, "nlu", "u", []string{"data"}, "the NLU data to evaluate on")
	fs.StringVar(&f.out, "out", "results", "the folder the reports are written to")
	fs.BoolVar(&f.failOnError, "fail-on-prediction-errors", true,
		"exit 1 when a test story fails (=false to only report)")
	fs.IntVar(&f.maxStories, "max-stories", 0, "evaluate at most this many stories (0: all)")
	fs.BoolVar(&f.e2e, "e2e", false,
		"end-to-end evaluation (always on: user text goes through NLU)")
	fs.BoolVar(&f.noPlot, "no-plot", false,
		"write no plots (intent_confusion_matrix.png, intent_histogram.png, "+
			"story_confusion_matrix.png)")
	fs.BoolVar(&f.crossValidation, "cross-validation", false,
		"cross-validate the NLU pipeline on the NLU data instead of testing a model")
	fs.IntVarP(&f.folds, "folds", "f", 5, "the number of cross-validation folds")
	if which != testNLU {
		fs.StringVar(&f.timezone, "timezone", "", "the IANA time zone of the test stories' "+
			"messages (default: DucklingEntityExtractor's timezone, else UTC)")
		fs.StringVar(&f.refTime, "reference-time", "", "when the test stories' messages "+
			"count as sent, e.g. 2019-02-12T10:00 (default: now)")
	}
	refuseTestFlags(cmd)
	return cmd
}

// refuseTestFlags adds Rasa's test flags that Parley does not support.
func refuseTestFlags(cmd *cobra.Command) {
	fs := cmd.Flags()
	const noCompare = "comparing configurations is not built yet; train and test each config " +
		"in turn"
	refuse(fs, "runs", "r", kindInt, "the number of comparison runs", noCompare)
	refuse(fs, "percentages", "p", kindStrings, "the data shares to exclude in comparisons",
		noCompare)
	refuse(fs, "evaluate-model-directory", "", kindBool, "evaluate every model of a folder",
		noCompare)
	refuse(fs, "successes", "", kindBool, "also write the successful predictions",
		"Parley writes the reports and the errors only")
	refuse(fs, "no-errors", "", kindBool, "do not write the error files",
		"the error files are always written; delete them afterwards if unwanted")
	refuse(fs, "no-warnings", "", kindBool, "do not write stories with warnings",
		"Parley writes no warnings file, so there is nothing to leave out")
}

// runTest is `parley test [nlu|core]`.
func (a *app) runTest(ctx context.Context, which int, f *testFlags) error {
	if f.crossValidation {
		if which == testCore {
			return errors.New("--cross-validation evaluates NLU: use `parley test nlu`")
		}
		out := a.resolve(f.out)
		if err := os.MkdirAll(out, 0o755); err != nil {
			return fmt.Errorf("creating the results folder: %w", err)
		}
		return a.crossValidateNLU(ctx, f, f.folds, out)
	}
	p, err := a.loadProject(&f.serve.project)
	if err != nil {
		return err
	}
	m, err := a.modelForCommand(ctx, &f.serve, a.env.Stderr)
	if err != nil {
		return err
	}
	out := a.resolve(f.out)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("creating the results folder: %w", err)
	}
	failed := 0
	if which != testNLU {
		if failed, err = a.testStories(ctx, f, p, m, out, which == testCore); err != nil {
			return err
		}
	}
	if which != testCore {
		if err := a.testNLU(ctx, f, p, m, out); err != nil {
			return err
		}
	}
	fmt.Fprintf(a.env.Stdout, "Reports written to %s.\n", a.relToProject(out))
	if failed > 0 && f.failOnError {
		return exitError{code: 1}
	}
	return nil
}

// testStories evaluates the test stories and returns how many failed.
// Finding none is an error when only stories are tested (required), and a
// note otherwise.
func (a *app) testStories(ctx context.Context, f *testFlags, p *project.Project,
	m *model.Model, out string, required bool) (int, error) {
	if m.Policies == nil {
		return 0, errors.New("the model has no dialogue part (trained with `parley train nlu`); " +
			"train a full model with `parley train`")
	}
	stories := p.TestStories
	_, err := os.Stat(a.resolve(f.serve.project.tests))
	if os.IsNotExist(err) && len(stories) == 0 {
		fmt.Fprintf(a.env.Stdout, "No %s folder: evaluating the stories in the training data "+
			"instead, as Rasa does.\n", f.serve.project.tests)
		stories = p.Stories
	}
	if len(stories) == 0 {
		msg := fmt.Sprintf("no stories to evaluate in %s (write test stories there, or "+
			"name a file or folder with --stories)", f.serve.project.tests)
		if required {
			return 0, errors.New(msg)
		}
		fmt.Fprintf(a.env.Stdout, "Stories: %s; story evaluation skipped.\n", msg)
		return 0, nil
	}
	if f.maxStories > 0 && len(stories) > f.maxStories {
		stories = stories[:f.maxStories]
	}
	zone, ref, err := f.clock()
	if err != nil {
		return 0, err
	}
	rep, err := storytest.Run(ctx, storytest.Input{Domain: m.Domain, NLU: m.NLU,
		Policies: m.Policies, Stories: stories, Zone: zone, Time: ref})
	if err != nil {
		return 0, fmt.Errorf("evaluating stories: %w", err)
	}
	if err := rep.WriteFiles(out); err != nil {
		return 0, fmt.Errorf("writing the story reports: %w", err)
	}
	if err := f.storyPlots(rep, out); err != nil {
		return 0, err
	}
	fmt.Fprintf(a.env.Stdout, "Stories: %d of %d passed.\n", rep.Total-rep.Failed, rep.Total)
	if rep.Failed > 0 {
		fmt.Fprintln(a.env.Stdout, "Failed:")
		for _, s := range rep.Stories {
			if s.Failed {
				fmt.Fprintf(a.env.Stdout, "  - %s (%s)\n", s.Story.Name, s.Story.Pos)
			}
		}
		fmt.Fprintf(a.env.Stdout, "What was predicted at each wrong step: %s\n",
			a.relToProject(filepath.Join(out, storytest.FailedStoryFile)))
	}
	zoned := 0
	for _, s := range rep.Stories {
		zoned += s.ZoneEntities
	}
	if zoned > 0 {
		fmt.Fprintf(a.env.Stdout, "%d message(s) found the story's times in another UTC "+
			"offset: the stories were probably recorded in another time zone. Give it with "+
			"--timezone (a Duckling server's default is America/Los_Angeles) or timezone: "+
			"under DucklingEntityExtractor in config.yml.\n", zoned)
	}
	return rep.Failed, nil
}

// clock reads --timezone and --reference-time; the zero results leave the
// model's configured zone and the time of the run.
func (f *testFlags) clock() (*time.Location, time.Time, error) {
	var zone *time.Location
	if f.timezone != "" {
		z, err := duckling.LoadZone(f.timezone)
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("--timezone: %w", err)
		}
		zone = z
	}
	if f.refTime == "" {
		return zone, time.Time{}, nil
	}
	ref, err := storytest.ParseReferenceTime(f.refTime, zone)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("--reference-time: %w", err)
	}
	return zone, ref, nil
}

// testNLU evaluates the NLU model on the examples of -u.
func (a *app) testNLU(ctx context.Context, f *testFlags, p *project.Project, m *model.Model,
	out string) error {
	if m.NLU == nil {
		return errors.New("the model has no NLU part (trained with `parley train core`); " +
			"train one with `parley train` or `parley train nlu`")
	}
	examples := p.NLU.Examples
	if !slices.Equal(f.nlu, f.serve.project.data) {
		other := f.serve.project
		other.data = f.nlu
		q, err := a.loadProject(&other)
		if err != nil {
			return err
		}
		examples = q.NLU.Examples
	}
	rep, err := evaluate.Run(ctx, m.NLU, examples)
	if err != nil {
		return fmt.Errorf("evaluating NLU: %w", err)
	}
	if err := rep.WriteFiles(out); err != nil {
		return fmt.Errorf("writing the NLU reports: %w", err)
	}
	if !f.noPlot {
		if err := rep.WritePlots(out); err != nil {
			return fmt.Errorf("writing the NLU plots: %w", err)
		}
	}
	fmt.Fprintf(a.env.Stdout, "NLU: intent accuracy %.3f on %d examples.\n",
		rep.IntentAccuracy, len(examples))
	return nil
}

// storyPlots writes story_confusion_matrix.png unless --no-plot is given.
func (f *testFlags) storyPlots(rep *storytest.Report, out string) error {
	if f.noPlot {
		return nil
	}
	if err := rep.WritePlots(out); err != nil {
		return fmt.Errorf("writing the story plots: %w", err)
	}
	return nil
}
