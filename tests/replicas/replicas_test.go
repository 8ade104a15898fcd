package replicas

import (
	"context"
	"testing"
	"time"
)

// The size of the multi-replica run: conversations at once, messages
// each, and the burst every fourth conversation sends.
const (
	conversations = 200
	messages      = 10
	burst         = 3
)

// plan is the load of one run through NGINX.
func plan(c *Cluster, prefix string) Plan {
	return Plan{URL: c.URL(), Prefix: prefix, Conversations: conversations,
		Messages: messages, Burst: burst, Retry: true}
}

// TestReplicasBehindNginx runs 200 conversations of 10 messages at once
// through NGINX to three replicas on PostgreSQL and a Redis lock store,
// first with all of them up, then with one killed (SIGKILL) and restarted
// a third of the way through; once NGINX tries the restarted replica
// again, it must answer too.
func TestReplicasBehindNginx(t *testing.T) {
	heavy(t)
	c := StartCluster(t, ClusterConfig{Replicas: 3, RedisLock: true, Nginx: true})
	st := c.Store(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()

	t.Run("all up", func(t *testing.T) {
		start := len(c.Nginx.AccessLog(t))
		load := RunConversations(ctx, plan(c, "up-"))
		sent := load.Wait()
		logSummary(t, load, sent, CheckConversations(t, st, sent))
		for _, msgs := range sent {
			for _, m := range msgs {
				if len(m.Failed) > 0 {
					t.Errorf("%s message %d got no answer with every replica up: %v",
						m.Conversation, m.Seq, m.Failed)
				}
			}
		}
		checkSpread(t, c, c.Nginx.AccessLog(t)[start:])
	})

	t.Run("one killed and restarted", func(t *testing.T) {
		start := len(c.Nginx.AccessLog(t))
		load := RunConversations(ctx, plan(c, "kill-"))
		victim := c.Replicas[1]
		waitCompleted(ctx, load, conversations*messages/3)
		victim.Kill()
		killed := time.Now()
		time.Sleep(500 * time.Millisecond)
		victim.Restart()
		sent := load.Wait()
		logSummary(t, load, sent, CheckConversations(t, st, sent))
		checkFailures(t, c.Nginx.AccessLog(t)[start:], victim.Addr)

		// NGINX sends to a failed server again after fail_timeout (10 s).
		time.Sleep(time.Until(killed.Add(nginxFailTimeout + time.Second)))
		start = len(c.Nginx.AccessLog(t))
		back := RunConversations(ctx, Plan{URL: c.URL(), Prefix: "back-", Conversations: 30,
			Messages: 2})
		CheckConversations(t, st, back.Wait())
		checkServed(t, c.Nginx.AccessLog(t)[start:], victim.Addr)
	})
}

// nginxFailTimeout is how long NGINX leaves out a server that failed
// (fail_timeout, which deploy/nginx.conf does not change).
const nginxFailTimeout = 10 * time.Second

// checkServed wants the replica at addr to have answered some requests.
func checkServed(t *testing.T, entries []AccessEntry, addr string) {
	t.Helper()
	n := 0
	for _, e := range entries {
		if e.Status == 200 && e.Upstreams[len(e.Upstreams)-1] == addr {
			n++
		}
	}
	if n == 0 {
		t.Errorf("the restarted replica %s answered none of %d requests", addr, len(entries))
	}
	t.Logf("the restarted replica answered %d of %d requests", n, len(entries))
}

// waitCompleted waits until n messages have been answered.
func waitCompleted(ctx context.Context, load *Load, n int64) {
	for load.Completed() < n && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
}

// logSummary prints the figures of a run.
func logSummary(t *testing.T, load *Load, sent map[string][]*Sent, sum Summary) {
	t.Helper()
	var slowest time.Duration
	for _, msgs := range sent {
		for _, m := range msgs {
			slowest = max(slowest, m.Latency)
		}
	}
	t.Logf("%d conversations, %d user events stored (%d turns without a bot message: %v), "+
		"%.1f s (%.0f turns/s); %d messages sent again after no answer, %d of them stored "+
		"twice; failed requests by status: %v; slowest answer %v", sum.Conversations,
		sum.Stored, sum.Silent, sum.SilentTexts, load.Elapsed().Seconds(),
		float64(sum.Stored)/load.Elapsed().Seconds(), sum.Resent, sum.Duplicates,
		sum.FailedAttempts, slowest.Round(time.Millisecond))
	// Every message of the script has an answer in the starter bot, and a
	// turn is stored whole or not at all, killed replica or not: a turn
	// without a bot message is a bot that stopped answering.
	if sum.Silent > 0 {
		t.Errorf("%d stored turns have no bot message: %v", sum.Silent, sum.SilentTexts)
	}
}

// checkSpread wants every replica to have served requests.
func checkSpread(t *testing.T, c *Cluster, entries []AccessEntry) {
	t.Helper()
	served := map[string]int{}
	for _, e := range entries {
		served[e.Upstreams[len(e.Upstreams)-1]]++
	}
	for _, r := range c.Replicas {
		if served[r.Addr] == 0 {
			t.Errorf("replica %s served no request; NGINX sent: %v", r.Addr, served)
		}
	}
	t.Logf("requests per replica: %v", served)
}

// checkFailures wants every 5xx answer to come from the killed replica,
// and prints how many there were.
func checkFailures(t *testing.T, entries []AccessEntry, killed string) {
	t.Helper()
	byStatus := map[int]int{}
	for _, e := range entries {
		last := e.Upstreams[len(e.Upstreams)-1]
		if e.Status < 500 {
			continue
		}
		byStatus[e.Status]++
		if last != killed {
			t.Errorf("NGINX answered %d from %v, not from the killed replica %s", e.Status,
				e.Upstreams, killed)
		}
	}
	t.Logf("NGINX answers of 500 and above, all from the killed replica: %v", byStatus)
}
