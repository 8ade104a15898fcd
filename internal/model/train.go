package model

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/policy"
	"github.com/parley-chat/parley/internal/project"
)

// TrainOptions tunes Train.
type TrainOptions struct {
	// Type says which parts to train (default TrainBoth).
	Type TrainingType
	// Out is the models folder the archive goes into.
	Out string
	// FixedName names the archive instead of a time and a random name.
	FixedName string
	// Force trains even when the newest archive has the same fingerprint.
	Force bool
	// Progress receives training progress (stage, done, total); may be nil.
	Progress func(stage string, done, total int)
	// Warn receives training warnings; may be nil.
	Warn func(project.Diagnostic)
	// Logger gets the skipped-archive warnings; nil discards them.
	Logger *slog.Logger
	// Now gives the time; nil means time.Now.
	Now func() time.Time
}

// TrainResult is what Train did.
type TrainResult struct {
	Model *Model
	// Reused is true when nothing changed and the newest archive was kept.
	Reused bool
}

// Train trains the parts of a model that opts.Type names, writes the
// archive into opts.Out and returns it. When the newest archive there has
// the same fingerprint and type, it is loaded and returned instead, unless
// opts.Force is set.
func Train(ctx context.Context, p *project.Project, opts TrainOptions) (*TrainResult, error) {
	opts = withDefaults(opts)
	if err := checkData(p, opts.Type); err != nil {
		return nil, err
	}
	fp, err := Fingerprint(p)
	if err != nil {
		return nil, err
	}
	if !opts.Force {
		if m := reusable(opts, fp); m != nil {
			return &TrainResult{Model: m, Reused: true}, nil
		}
	}
	return trainAndSave(ctx, p, opts, fp)
}

// Reusable returns the newest archive in opts.Out when it was trained from
// the same project files with the same type, or nil when training is due.
func Reusable(p *project.Project, opts TrainOptions) (*Model, error) {
	opts = withDefaults(opts)
	fp, err := Fingerprint(p)
	if err != nil {
		return nil, err
	}
	return reusable(opts, fp), nil
}

// checkData refuses to train a part with nothing to learn from: the NLU
// without examples, the dialogue without stories or rules, a whole model
// without either. Such a model would answer nothing.
func checkData(p *project.Project, typ TrainingType) error {
	examples := len(p.NLU.Examples) > 0
	stories := len(p.Stories)+len(p.Rules) > 0
	switch {
	case typ == TrainNLU && !examples:
		return fmt.Errorf("%w: the project has no NLU examples (nlu: in the files under "+
			"data/, or --nlu)", ErrNoTrainingData)
	case typ == TrainCore && !stories:
		return fmt.Errorf("%w: the project has no stories or rules (stories: or rules: in "+
			"the files under data/, or --stories)", ErrNoTrainingData)
	case !examples && !stories:
		return fmt.Errorf("%w: the project has no NLU examples, stories or rules (check "+
			"--data and the files under data/)", ErrNoTrainingData)
	}
	return nil
}

// trainAndSave trains and writes a new archive.
func trainAndSave(ctx context.Context, p *project.Project, opts TrainOptions, fp string) (
	*TrainResult, error) {
	m, err := trainParts(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	now := opts.Now()
	m.Metadata = Metadata{
		FormatVersion: FormatVersion,
		ParleyVersion: Version,
		TrainedAt:     float64(now.UnixMicro()) / 1e6,
		ModelID:       newModelID(),
		AssistantID:   p.Config.AssistantID,
		Language:      p.Config.Language,
		Fingerprint:   fp,
		TrainingType:  opts.Type,
	}
	if _, err := Save(opts.Out, m, opts.FixedName, now); err != nil {
		return nil, err
	}
	return &TrainResult{Model: m}, nil
}

func withDefaults(opts TrainOptions) TrainOptions {
	if opts.Type == "" {
		opts.Type = TrainBoth
	}
	if opts.Progress == nil {
		opts.Progress = func(string, int, int) {}
	}
	if opts.Warn == nil {
		opts.Warn = func(project.Diagnostic) {}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return opts
}

// reusable returns the newest archive in opts.Out when it was trained from
// the same fingerprint with the same type, or nil.
func reusable(opts TrainOptions, fingerprint string) *Model {
	path, err := Newest(opts.Out, opts.Logger)
	if err != nil {
		return nil
	}
	meta, err := ReadMetadata(path)
	if err != nil || meta.Fingerprint != fingerprint || meta.TrainingType != opts.Type {
		return nil
	}
	m, err := Load(path)
	if err != nil {
		opts.Logger.Warn("the newest model matches the project but cannot be loaded; retraining",
			"model", path, "error", err.Error())
		return nil
	}
	return m
}

// trainParts trains the NLU pipeline and the policies as opts.Type says.
func trainParts(ctx context.Context, p *project.Project, opts TrainOptions) (*Model, error) {
	m := &Model{Domain: p.Domain}
	var err error
	if opts.Type != TrainCore {
		m.NLU, err = pipeline.Train(ctx, p.NLU, p.Config, pipeline.TrainOptions{
			Progress: pipeline.Progress(opts.Progress),
			Warn:     opts.Warn,
		})
		if err != nil {
			return nil, fmt.Errorf("training the NLU pipeline: %w", err)
		}
	}
	if opts.Type != TrainNLU {
		m.Policies, err = policy.Train(ctx, p, policy.TrainOptions{
			Progress: policy.Progress(opts.Progress),
			Warn:     opts.Warn,
		})
		if err != nil {
			return nil, fmt.Errorf("training the dialogue policies: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, errors.Join(errors.New("training stopped"), err)
	}
	return m, nil
}

// newModelID returns 32 random hex digits.
func newModelID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
