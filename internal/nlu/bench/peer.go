package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// PeerResult is one line of the NLP.js peer's output.
type PeerResult struct {
	System         string  `json:"system"`
	Dataset        string  `json:"dataset"`
	Train          int     `json:"train"`
	Test           int     `json:"test"`
	IntentAccuracy float64 `json:"intent_accuracy"`
	TrainSeconds   float64 `json:"train_seconds"`
	ParseMS        float64 `json:"parse_ms"`
	RSSMB          float64 `json:"rss_mb"`
}

// peerFiles are copied from the peer folder into a temporary one.
var peerFiles = []string{"package.json", "bench.js"}

// NodeAvailable reports whether node and npm are on the PATH.
func NodeAvailable() bool {
	_, errNode := exec.LookPath("node")
	_, errNPM := exec.LookPath("npm")
	return errNode == nil && errNPM == nil
}

// RunPeer installs the NLP.js peer from peerDir into a temporary folder
// (peerDir itself may be read-only), runs it on the data sets it supports
// (braun, snips, hwu64 with the given number of folds) and returns its
// lines. Output of npm goes to logw.
func RunPeer(ctx context.Context, peerDir, dataDir string, sets []string, folds int,
	logw *bytes.Buffer) ([]PeerResult, error) {
	tmp, err := os.MkdirTemp("", "parley-nlpjs-")
	if err != nil {
		return nil, fmt.Errorf("peer: %w", err)
	}
	defer os.RemoveAll(tmp)
	for _, f := range peerFiles {
		b, err := os.ReadFile(filepath.Join(peerDir, f))
		if err != nil {
			return nil, fmt.Errorf("peer: %w", err)
		}
		if err := os.WriteFile(filepath.Join(tmp, f), b, 0o644); err != nil {
			return nil, fmt.Errorf("peer: %w", err)
		}
	}
	install := exec.CommandContext(ctx, "npm", "install", "--no-audit", "--no-fund",
		"--loglevel=error")
	install.Dir, install.Stdout, install.Stderr = tmp, logw, logw
	if err := install.Run(); err != nil {
		return nil, fmt.Errorf("peer: npm install: %w", err)
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("peer: %w", err)
	}
	args := append([]string{"bench.js", abs}, peerSets(sets, folds)...)
	if len(args) == 2 {
		return nil, nil
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = tmp, &out, logw
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("peer: node bench.js: %w", err)
	}
	return parsePeer(out.Bytes())
}

// peerSets translates the suite's data sets into the peer's arguments.
func peerSets(sets []string, folds int) []string {
	if len(sets) == 0 {
		sets = AllSets()
	}
	var out []string
	for _, s := range sets {
		switch s {
		case SetBraun, SetSNIPS:
			out = append(out, s)
		case SetHWU64:
			var ks []string
			for k := 1; k <= max(1, min(folds, 10)); k++ {
				ks = append(ks, fmt.Sprint(k))
			}
			out = append(out, "hwu64:"+strings.Join(ks, ","))
		}
	}
	return out
}

func parsePeer(out []byte) ([]PeerResult, error) {
	var rows []PeerResult
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var r PeerResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, fmt.Errorf("peer output %q: %w", line, err)
		}
		rows = append(rows, r)
	}
	return rows, sc.Err()
}
