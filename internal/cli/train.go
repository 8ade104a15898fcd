package cli

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/progress"
	"github.com/parley-chat/parley/internal/project"
)

// trainFlags are the flags of train, train nlu and train core.
type trainFlags struct {
	project    projectFlags
	out        string
	fixedName  string
	force      bool
	dryRun     bool
	numThreads int
}

func (a *app) trainCommand() *cobra.Command {
	cmd := a.newTrainCommand(model.TrainBoth, "train",
		"Train a model from the project's NLU data, stories and rules",
		"Trains the NLU pipeline and the dialogue policies that config.yml describes and\n"+
			"writes one archive into models/. When nothing changed since the newest model, it\n"+
			"is reused; --force trains anyway.")
	cmd.AddCommand(
		a.newTrainCommand(model.TrainNLU, "nlu", "Train only the NLU pipeline",
			"Trains the NLU pipeline alone; the archive can parse messages but not hold\n"+
				"conversations."),
		a.newTrainCommand(model.TrainCore, "core", "Train only the dialogue policies",
			"Trains the dialogue policies alone; the archive answers /intent messages but\n"+
				"cannot understand free text."))
	return cmd
}

func (a *app) newTrainCommand(typ model.TrainingType, use, short, long string) *cobra.Command {
	f := &trainFlags{}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long:  long,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runTrain(cmd.Context(), typ, f)
		},
	}
	fs := cmd.Flags()
	f.project.addTraining(fs)
	switch typ {
	case model.TrainNLU:
		fs.StringSliceVarP(&f.project.data, "nlu", "u", []string{"data"},
			"files or folders with NLU data (same as --data)")
	case model.TrainCore:
		fs.StringSliceVarP(&f.project.data, "stories", "s", []string{"data"},
			"files or folders with stories and rules (same as --data)")
	}
	fs.StringVar(&f.out, "out", "models", "the folder the model archive is written to")
	fs.StringVar(&f.fixedName, "fixed-model-name", "",
		"name the archive <name>.tar.gz instead of <time>-<adjective>-<noun>.tar.gz")
	fs.BoolVar(&f.force, "force", false, "train even when nothing changed since the last model")
	fs.BoolVar(&f.dryRun, "dry-run", false,
		"only say whether training is needed (exit code 0: no, 1: yes)")
	fs.IntVar(&f.numThreads, "num-threads", 0, "how many CPU cores training may use (0: all)")
	refuseTrainFlags(cmd)
	return cmd
}

// refuseTrainFlags adds Rasa's train flags that Parley does not support.
func refuseTrainFlags(cmd *cobra.Command) {
	fs := cmd.Flags()
	refuse(fs, "augmentation", "", kindInt, "how many augmented stories to build",
		"the policies learn from stories and rules as written, without augmentation")
	refuse(fs, "debug-plots", "", kindBool, "write story graph plots",
		"Parley draws no training plots")
	refuse(fs, "persist-nlu-data", "", kindBool, "keep the NLU training data in the model",
		"the archive holds trained models only; keep the data in the project")
	refuse(fs, "finetune", "", kindString, "continue training a previous model",
		"Parley trains from scratch, in seconds; run `parley train --force`")
	fs.Lookup("finetune").NoOptDefVal = "latest"
	refuse(fs, "epoch-fraction", "", kindFloat, "the share of epochs used when fine-tuning",
		"it only applies to --finetune, which Parley does not have")
}

// runTrain is `parley train [nlu|core]`.
func (a *app) runTrain(ctx context.Context, typ model.TrainingType, f *trainFlags) error {
	if f.numThreads > 0 {
		runtime.GOMAXPROCS(f.numThreads)
	}
	p, err := a.loadProject(&f.project)
	if err != nil {
		return err
	}
	opts := model.TrainOptions{Type: typ, Out: a.resolve(a.trainOut(f.out)), FixedName: f.fixedName,
		Force: f.force}
	if f.dryRun {
		return a.dryRun(p, opts)
	}
	_, err = a.train(ctx, p, opts, a.env.Stdout)
	return err
}

// dryRun says whether training is needed; exit code 1 when it is.
func (a *app) dryRun(p *project.Project, opts model.TrainOptions) error {
	m, err := model.Reusable(p, opts)
	if err != nil {
		return err
	}
	if m != nil && !opts.Force {
		fmt.Fprintf(a.env.Stdout, "No training needed: %s matches the project.\n",
			a.relToProject(m.Path))
		return nil
	}
	fmt.Fprintln(a.env.Stdout, "Training needed: the project changed since the newest model, "+
		"or there is none.")
	return exitError{code: 1}
}

// train trains (or reuses) a model with progress on stderr and says what it
// did on msg. Every command that needs a model trains through here.
func (a *app) train(ctx context.Context, p *project.Project, opts model.TrainOptions,
	msg io.Writer) (*model.TrainResult, error) {
	display := progress.New(a.env.Stderr)
	var mu sync.Mutex
	opts.Progress = display.Update
	opts.Warn = func(d project.Diagnostic) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(a.env.Stderr, d.String())
	}
	opts.Logger = a.log
	start := time.Now()
	res, err := model.Train(ctx, p, opts)
	display.Finish()
	if err != nil {
		return nil, err
	}
	path := a.relToProject(res.Model.Path)
	if res.Reused {
		fmt.Fprintf(msg, "Nothing changed since the last training: using %s "+
			"(--force retrains).\n", path)
		return res, nil
	}
	if p.Config.PipelineDefaulted || p.Config.PoliciesDefaulted {
		fmt.Fprintln(msg, "config.yml leaves the pipeline or the policies empty: "+
			"Parley used its defaults.")
	}
	fmt.Fprintf(msg, "Your Parley model is trained and saved at %s (%.1fs).\n",
		path, time.Since(start).Seconds())
	return res, nil
}
