package modelsync_test

import (
	"testing"

	"github.com/parley-chat/parley/internal/modelsync"
	"github.com/parley-chat/parley/internal/project"
	"github.com/parley-chat/parley/internal/server"
)

// benchPuller returns a Sync pulling from a fresh model server that
// serves a small archive, after its first pull.
func benchPuller(b *testing.B, ms *modelServer) *modelsync.Sync {
	cfg, err := modelsync.ParseConfig(map[string]any{"url": ms.URL}, project.Pos{})
	if err != nil {
		b.Fatal(err)
	}
	s, err := modelsync.New(modelsync.Options{Models: cfg, Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	srv := server.New(server.Options{})
	b.Cleanup(srv.Close)
	s.Bind(srv)
	if !s.FirstPull(b.Context()) {
		b.Fatal("no model")
	}
	return s
}

// BenchmarkPullUnchanged is one pull answered with 304 on loopback: the
// cost of each wait_time_between_pulls while nothing changes.
func BenchmarkPullUnchanged(b *testing.B) {
	ms := newModelServer(b)
	ms.publish(archive(b, "aaaa1111"), `"v1"`)
	s := benchPuller(b, ms)
	for b.Loop() {
		if loaded, err := s.PullNow(b.Context()); loaded || err != nil {
			b.Fatal(loaded, err)
		}
	}
}

// BenchmarkPullSwap is one pull that downloads, checks and swaps in a
// small archive (a domain, no NLU or policies): the fixed cost of a swap.
func BenchmarkPullSwap(b *testing.B) {
	ms := newModelServer(b)
	bodies := [][]byte{archive(b, "aaaa1111"), archive(b, "bbbb2222")}
	ms.publish(bodies[0], `"v0"`)
	s := benchPuller(b, ms)
	i := 1
	for b.Loop() {
		ms.publish(bodies[i%2], `"v`+string(rune('0'+i%2))+`"`)
		if loaded, err := s.PullNow(b.Context()); !loaded || err != nil {
			b.Fatal(loaded, err)
		}
		i++
	}
	b.ReportMetric(float64(len(bodies[0])), "archive_bytes")
}
