package browsertest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/parley-chat/parley/internal/model"
	"github.com/parley-chat/parley/internal/nlu/evaluate"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/server"
	"github.com/parley-chat/parley/internal/store"
	"github.com/parley-chat/parley/internal/testenv"
	"github.com/parley-chat/parley/internal/web"
)

// trainMoodbot trains the shared moodbot into a temporary models folder,
// and writes the NLU test report of its training examples, with plots, into
// a results folder. The setup also retrains moodbot for the inspector.
func trainMoodbot(t *testing.T) setup {
	t.Helper()
	dir := testenv.Shared(t, "data/bots/moodbot")
	p, err := project.Load(dir, project.Options{})
	if err != nil {
		t.Fatalf("loading moodbot: %v", err)
	}
	res, err := model.Train(t.Context(), p, model.TrainOptions{Out: t.TempDir(), Force: true})
	if err != nil {
		t.Fatalf("training moodbot: %v", err)
	}
	results := t.TempDir()
	report, err := evaluate.Run(t.Context(), res.Model.NLU, p.NLU.Examples)
	if err == nil {
		err = errors.Join(report.WriteFiles(results), report.WritePlots(results))
	}
	if err != nil {
		t.Fatalf("testing moodbot's NLU: %v", err)
	}
	models := t.TempDir()
	retrain := func(ctx context.Context, progress func(string, int, int)) (*model.Model, error) {
		res, err := model.Train(ctx, p, model.TrainOptions{Out: models, Force: true,
			Progress: progress})
		if err != nil {
			return nil, err
		}
		return res.Model, nil
	}
	return setup{model: res.Model, results: results, train: retrain}
}

// setup says what a test server runs.
type setup struct {
	model *model.Model
	// env holds the PARLEY_* settings, over a greeting and a title.
	env map[string]string
	// agent, when set, makes the agent over the server's tracker store.
	agent func(store.TrackerStore) server.Agent
	// results is the folder of test reports the inspector shows.
	results string
	// train retrains the model for the inspector.
	train web.TrainFunc
}

// parley is a running Parley server over a data directory.
type parley struct {
	setup
	t       *testing.T
	dataDir string
	addr    string
	stop    func()
}

// startParley serves s.model on a free port of 127.0.0.1, with its
// conversations, sessions and users in a new data directory. The web
// settings come from s.env as `parley run` reads them from the
// environment, so the development secret key is made in the data directory
// on the first start and reused after.
func startParley(t *testing.T, s setup) *parley {
	t.Helper()
	vars := map[string]string{web.EnvGreeting: "/greet", web.EnvTitle: "Moodbot"}
	for k, v := range s.env {
		vars[k] = v
	}
	s.env = vars
	p := &parley{setup: s, t: t, dataDir: t.TempDir()}
	p.start("127.0.0.1:0")
	t.Cleanup(func() { p.stop() })
	return p
}

func (p *parley) start(addr string) {
	t := p.t
	ctx, cancel := context.WithCancel(context.Background())
	st, err := store.OpenSQLite(ctx, p.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg, err := web.ConfigFromEnv(func(k string) string { return p.env[k] }, p.dataDir, logger)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DB, cfg.ResultsDir, cfg.Train = st.WebDB(), p.results, p.train
	opts := server.Options{Store: st, Logger: logger, Web: &cfg}
	if p.agent != nil {
		opts.NewAgent = func(*model.Model) server.Agent { return p.agent(st) }
	}
	srv := server.New(opts)
	if p.model != nil {
		srv.SetModel(p.model)
	}
	ln, err := listen(addr)
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	p.stop = func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("server stopped with %v", err)
		}
		st.Close()
		p.stop = func() {}
	}
}

// listen listens on addr, retrying briefly while a previous server's
// socket on the same port is being released.
func listen(addr string) (net.Listener, error) {
	var err error
	for range 50 {
		var ln net.Listener
		if ln, err = net.Listen("tcp", addr); err == nil {
			return ln, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return nil, fmt.Errorf("listening on %s: %w", addr, err)
}

// restart stops the server and starts a new one on the same port and data
// directory, as a process restart would.
func (p *parley) restart() {
	p.stop()
	p.start(p.addr)
}

// url returns the address of path on the server.
func (p *parley) url(path string) string { return "http://" + p.addr + path }

// addUser creates an inspector login in the server's database.
func (p *parley) addUser(name, password string) {
	st, err := store.OpenSQLite(p.t.Context(), p.dataDir)
	if err != nil {
		p.t.Fatal(err)
	}
	defer st.Close()
	if err := web.AddUser(p.t.Context(), web.NewSQLStore(st.WebDB()), name, password, 4,
		false); err != nil {
		p.t.Fatal(err)
	}
}
