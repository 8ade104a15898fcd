package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-chat/parley/internal/nlu/bench"
	"github.com/parley-chat/parley/internal/nlu/evaluate"
)

// benchFlags are the flags of `parley bench nlu`.
type benchFlags struct {
	data        string
	peer        string
	sets        []string
	folds       int
	short       bool
	noPeer      bool
	reliability string
}

func (a *app) benchCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure Parley on public benchmarks",
		Args:  cobra.NoArgs,
	}
	f := &benchFlags{}
	nlu := &cobra.Command{
		Use:   "nlu",
		Short: "Measure the NLU on HWU64, SNIPS, Snips 2017 and the Braun corpora",
		Long: "Trains and tests Parley's NLU (Rasa's default pipeline) on each protocol of the\n" +
			"benchmark data and prints one table: intent accuracy, entity F1 (Rasa's token\n" +
			"level micro average and exact span), calibration error, training time, parse\n" +
			"latency, model size and memory, beside the published figures. When node is\n" +
			"installed, the NLP.js peer runs on the same data in the same invocation.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runBench(cmd.Context(), f)
		},
	}
	fs := nlu.Flags()
	fs.StringVar(&f.data, "data", "../shared/data/nlu", "the folder of the benchmark data")
	fs.StringVar(&f.peer, "peer", "../shared/peers/nlpjs", "the NLP.js peer's folder")
	fs.StringSliceVar(&f.sets, "sets", nil, "data sets to run: hwu64, snips, snips2017, braun")
	fs.IntVar(&f.folds, "folds", 10, "the number of HWU64 folds")
	fs.BoolVar(&f.short, "short", false,
		"a quick smoke run on small subsets (for CI; the figures are not comparable)")
	fs.BoolVar(&f.noPeer, "no-peer", false, "do not run the NLP.js peer")
	fs.StringVar(&f.reliability, "reliability", "",
		"write the HWU64 reliability diagram to this PNG file")
	cmd.AddCommand(nlu)
	return cmd
}

// runBench is `parley bench nlu`.
func (a *app) runBench(ctx context.Context, f *benchFlags) error {
	data := a.resolve(f.data)
	if _, err := os.Stat(filepath.Join(data, "hwu64")); err != nil {
		return fmt.Errorf("no benchmark data in %s: give its folder with --data", data)
	}
	opts := bench.SuiteOptions{DataDir: data, Sets: f.sets, Folds: f.folds, Short: f.short,
		Log: a.log, Progress: func(r bench.Result) { fmt.Fprintln(a.env.Stderr, r) }}
	suite, err := bench.RunSuite(ctx, opts)
	if err != nil {
		return err
	}
	var peer []bench.PeerResult
	if !f.noPeer && !f.short && bench.NodeAvailable() {
		fmt.Fprintln(a.env.Stderr, "Running the NLP.js peer (npm install in a temporary folder)")
		var npmLog bytes.Buffer
		peer, err = bench.RunPeer(ctx, a.resolve(f.peer), data, f.sets, f.folds, &npmLog)
		if err != nil {
			fmt.Fprintf(a.env.Stderr, "The NLP.js peer did not run: %v\n%s", err, npmLog.String())
		}
	}
	if f.reliability != "" && len(suite.HWU64Confidences) > 0 {
		path := a.resolve(f.reliability)
		if err := evaluate.WriteReliabilityDiagram(path, "HWU64 intent confidence",
			suite.HWU64Confidences, suite.HWU64Correct); err != nil {
			return err
		}
	}
	m := bench.Machine{Cores: runtime.NumCPU(), MemoryMB: memoryMB(), Commit: a.commit(ctx),
		Command: "parley bench nlu " + strings.Join(os.Args[min(3, len(os.Args)):], " ")}
	return suite.WriteTable(a.env.Stdout, m, peer)
}

// commit returns the checked-out commit of the working directory, if any.
func (a *app) commit(ctx context.Context) string {
	cmd := exec.CommandContext(ctx, "git", "rev-parse", "--short", "HEAD")
	cmd.Dir = a.env.Dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// memoryMB reads the machine's memory from /proc/meminfo (0 elsewhere).
func memoryMB() int {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kb int
		if _, err := fmt.Sscanf(sc.Text(), "MemTotal: %d kB", &kb); err == nil {
			return kb / 1024
		}
	}
	return 0
}
