package throughput

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/parley-chat/parley/tests/replicas"
)

// concurrency is the number of simulated users sending at once.
var concurrency = flag.Int("users", 32, "simulated users sending turns at once")

// turnsPerConversation is how long each simulated conversation runs
// before the user starts a new one (trackers grow with every turn).
const turnsPerConversation = 10

// TestMain removes the parley binary the benchmark built.
func TestMain(m *testing.M) {
	code := m.Run()
	replicas.RemoveBinary()
	os.Exit(code)
}

// result is one target's figures.
type result struct {
	name            string
	turnsPerSecond  float64
	p50, p99        time.Duration
	peakRSS         int64         // bytes, the largest replica's; 0 for the bare handler
	cpuPerTurn      time.Duration // all replicas' CPU time over the turns
	selfPerTurn     time.Duration // this process's: the client (and the bare handler)
	ceiling         string
	ceilingFraction float64
}

// bench runs the sub-benchmarks in order and prints a table at the end.
type bench struct {
	b       *testing.B
	results map[string]*result
	order   []string
}

// BenchmarkREST measures each target with b.N turns from -users
// simulated users, each in conversations of its own.
func BenchmarkREST(b *testing.B) {
	if testing.Short() {
		b.Skip("starts parley processes; not in -short")
	}
	bn := &bench{b: b, results: map[string]*result{}}
	bare := startBare(b)
	bn.run("bare", "http://"+bare+replicas.WebhookPath, nil, "")
	bn.run("bare-nginx", "http://"+replicas.StartNginx(b, bare).Addr+replicas.WebhookPath,
		nil, "")
	bn.runSingle()
	for _, cfg := range []struct {
		name string
		cfg  replicas.ClusterConfig
	}{
		{"postgres-1", replicas.ClusterConfig{Replicas: 1}},
		{"postgres-redislock-1", replicas.ClusterConfig{Replicas: 1, RedisLock: true}},
		{"postgres-redislock-nginx-3", replicas.ClusterConfig{Replicas: 3, RedisLock: true,
			Nginx: true}},
	} {
		c := replicas.StartCluster(b, cfg.cfg)
		ceiling := "bare"
		if cfg.cfg.Nginx {
			ceiling = "bare-nginx"
		}
		bn.run(cfg.name, c.URL(), c.Replicas, ceiling)
	}
	bn.print()
}

// startBare serves bareHandler on a free loopback port and returns the
// address.
func startBare(b *testing.B) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(bareHandler),
		ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// runSingle measures one replica keeping its conversations in memory,
// then one keeping them in SQLite.
func (bn *bench) runSingle() {
	b := bn.b
	bin := replicas.Binary(b)
	project := replicas.NewProject(b, bin, "")
	for _, target := range []struct{ name, store string }{
		{"memory-1", "memory"}, {"sqlite-1", "sqlite"},
	} {
		r := replicas.StartReplica(b, bin, replicas.CopyProject(b, project), nil,
			"--store", target.store, "--data-dir", b.TempDir())
		bn.run(target.name, "http://"+r.Addr+replicas.WebhookPath, []*replicas.Replica{r},
			"bare")
	}
}

// run measures the target at url as a sub-benchmark; reps are its
// replicas (for their memory), ceiling the target it is a fraction of.
func (bn *bench) run(name, url string, reps []*replicas.Replica, ceiling string) {
	bn.b.Run(name, func(b *testing.B) {
		cpu, self := cpuTime(reps), selfCPU()
		elapsed, lat := measure(b, name, url)
		cpu, self = cpuTime(reps)-cpu, selfCPU()-self
		res := &result{name: name, turnsPerSecond: float64(b.N) / elapsed.Seconds(),
			p50: percentile(lat, 0.50), p99: percentile(lat, 0.99), ceiling: ceiling,
			cpuPerTurn: cpu / time.Duration(b.N), selfPerTurn: self / time.Duration(b.N)}
		b.ReportMetric(float64(res.selfPerTurn.Microseconds())/1000, "self-cpu-ms/turn")
		for _, r := range reps {
			res.peakRSS = max(res.peakRSS, r.PeakRSS())
		}
		if len(reps) > 0 {
			b.ReportMetric(float64(res.cpuPerTurn.Microseconds())/1000, "cpu-ms/turn")
		}
		b.ReportMetric(res.turnsPerSecond, "turns/s")
		b.ReportMetric(float64(res.p50.Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(res.p99.Microseconds())/1000, "p99-ms")
		if res.peakRSS > 0 {
			b.ReportMetric(float64(res.peakRSS)/(1<<20), "peak-RSS-MiB")
		}
		if c := bn.results[ceiling]; c != nil {
			res.ceilingFraction = res.turnsPerSecond / c.turnsPerSecond
			b.ReportMetric(res.ceilingFraction, "of-"+ceiling)
		}
		if _, seen := bn.results[name]; !seen {
			bn.order = append(bn.order, name)
		}
		bn.results[name] = res
	})
}

// cpuTime is the CPU time the replicas have used.
func cpuTime(reps []*replicas.Replica) time.Duration {
	var d time.Duration
	for _, r := range reps {
		d += r.CPUTime()
	}
	return d
}

// selfCPU is the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure sends b.N turns to url from the simulated users and returns the
// time they took and every turn's latency.
func measure(b *testing.B, name, url string) (time.Duration, []time.Duration) {
	users := *concurrency
	client := replicas.NewClient(users * 2)
	run := fmt.Sprintf("%s-%d", name, time.Now().UnixNano())
	ctx := context.Background()
	var next atomic.Int64
	var failure atomic.Value
	lat := make([][]time.Duration, users)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for u := range users {
		wg.Go(func() {
			for n := 0; next.Add(1) <= int64(b.N); n++ {
				id := fmt.Sprintf("%s-u%d-c%d", run, u, n/turnsPerConversation)
				text := replicas.Script[n%turnsPerConversation%len(replicas.Script)]
				t0 := time.Now()
				status, _, err := replicas.SendTurn(ctx, client, url, id, text, nil)
				lat[u] = append(lat[u], time.Since(t0))
				if err != nil || status != http.StatusOK {
					failure.CompareAndSwap(nil, fmt.Sprintf("%s: status %d: %v", id, status, err))
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if f := failure.Load(); f != nil {
		b.Fatalf("a turn failed: %s", f)
	}
	return elapsed, slices.Concat(lat...)
}

// percentile returns the q quantile of the latencies (nearest rank).
func percentile(lat []time.Duration, q float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// print logs the figures as a Markdown table.
func (bn *bench) print() {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d users at once, conversations of %d turns\n\n", *concurrency,
		turnsPerConversation)
	sb.WriteString("| target | turns/s | of ceiling | p50 ms | p99 ms | replicas' CPU ms/turn " +
		"| this process's CPU ms/turn | peak RSS MiB |\n")
	sb.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, name := range bn.order {
		r := bn.results[name]
		frac, rss, cpu := "", "", ""
		if r.ceiling != "" && r.ceilingFraction > 0 {
			frac = fmt.Sprintf("%.3f of %s", r.ceilingFraction, r.ceiling)
		}
		if r.peakRSS > 0 {
			rss = fmt.Sprintf("%.0f", float64(r.peakRSS)/(1<<20))
			cpu = fmt.Sprintf("%.2f", float64(r.cpuPerTurn.Microseconds())/1000)
		}
		fmt.Fprintf(&sb, "| %s | %.0f | %s | %.2f | %.2f | %s | %.3f | %s |\n", name,
			r.turnsPerSecond, frac, float64(r.p50.Microseconds())/1000,
			float64(r.p99.Microseconds())/1000, cpu,
			float64(r.selfPerTurn.Microseconds())/1000, rss)
	}
	// Benchmarks print their figures; the table is for docs/scaling.md.
	fmt.Fprint(os.Stdout, "\n"+sb.String()+"\n")
}
