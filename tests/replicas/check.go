package replicas

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/parley-chat/parley/internal/event"
	"github.com/parley-chat/parley/internal/store"
)

// listenAction is the action that ends every turn.
const listenAction = "action_listen"

// Summary counts what CheckConversations saw.
type Summary struct {
	Conversations int
	// Stored is the number of user events in the store; Silent how many
	// of their turns have no bot message (the bot listened at once), and
	// SilentTexts the messages of those turns.
	Stored, Silent int
	SilentTexts    map[string]int
	// Resent is the number of messages sent more than once (their first
	// request got no answer); Duplicates how many of those the store holds
	// twice, because the lost request had been handled before its replica
	// died.
	Resent, Duplicates int
	// FailedAttempts counts the requests without an answer, by status (0:
	// the connection failed).
	FailedAttempts map[int]int
}

// storedTurn is one user event and the events after it, up to the next
// user event.
type storedTurn struct {
	seq    int
	text   string
	events []event.Event
}

// CheckConversations loads every conversation of sent from st and checks
// it against what was sent: every message answered with 200 is
// stored (once when its first request was answered, at most once per
// request otherwise), in the order sent (messages of one burst in any
// order among themselves), each followed by its own bot actions up to
// action_listen and never by another message's; and each HTTP answer
// holds exactly the bot messages of its own turn.
func CheckConversations(t testing.TB, st store.TrackerStore, sent map[string][]*Sent) Summary {
	t.Helper()
	sum := Summary{FailedAttempts: map[int]int{}, SilentTexts: map[string]int{}}
	ids := make([]string, 0, len(sent))
	for id := range sent {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		events, err := st.Load(t.Context(), id)
		if err != nil {
			t.Fatalf("loading conversation %s: %v", id, err)
		}
		turns, err := splitTurns(events)
		if err != nil {
			t.Errorf("conversation %s: %v", id, err)
			continue
		}
		sum.Conversations++
		sum.Stored += len(turns)
		for _, tn := range turns {
			if len(botTokens(tn.events)) == 0 {
				sum.Silent++
				sum.SilentTexts[tn.text]++
			}
		}
		if err := checkOne(sent[id], turns, &sum); err != nil {
			t.Errorf("conversation %s: %v\nstored seqs: %v", id, err, seqs(turns))
		}
	}
	return sum
}

// splitTurns cuts a conversation's events into turns, each starting at a
// user event and ending with action_listen. Turns that ran at the same
// time show as events stamped earlier than the event stored before them.
func splitTurns(events []event.Event) ([]storedTurn, error) {
	var turns []storedTurn
	for i, e := range events {
		if i > 0 && e.Timestamp < events[i-1].Timestamp {
			return nil, fmt.Errorf("event %d (%s) is stamped %.6f, before the event stored "+
				"before it (%.6f): two turns ran at once", i, e.Type, e.Timestamp,
				events[i-1].Timestamp)
		}
		if e.Type != event.User {
			if len(turns) > 0 {
				last := &turns[len(turns)-1]
				last.events = append(last.events, e)
			}
			continue
		}
		seq, err := metaSeq(e.Metadata)
		if err != nil {
			return nil, fmt.Errorf("user event %d (%q): %w", i, e.Text, err)
		}
		turns = append(turns, storedTurn{seq: seq, text: e.Text})
	}
	for _, tn := range turns {
		if !endsWithListen(tn.events) {
			return nil, fmt.Errorf("the turn of message %d (%q) does not end with "+
				"action_listen before the next user event (turns interleaved or cut): %s",
				tn.seq, tn.text, describe(tn.events))
		}
	}
	return turns, nil
}

// metaSeq reads the "seq" the client put in the message's metadata.
func metaSeq(meta map[string]any) (int, error) {
	v, ok := meta["seq"]
	if !ok {
		return 0, fmt.Errorf("no seq in the metadata %v", meta)
	}
	n, err := strconv.Atoi(fmt.Sprint(v))
	if err != nil {
		return 0, fmt.Errorf("seq %v in the metadata is not a number", v)
	}
	return n, nil
}

// endsWithListen reports whether the last action of events is
// action_listen (the bot may also listen at once, without a response).
func endsWithListen(events []event.Event) bool {
	last := ""
	for _, e := range events {
		if e.Type == event.Action {
			last = e.Name
		}
	}
	return last == listenAction
}

// describe lists events briefly for a failure message.
func describe(events []event.Event) string {
	out := ""
	for _, e := range events {
		out += " " + e.Type
		if e.Name != "" {
			out += "(" + e.Name + ")"
		}
	}
	return "[" + out + " ]"
}

// checkOne checks one conversation's stored turns against its messages.
func checkOne(msgs []*Sent, turns []storedTurn, sum *Summary) error {
	count := map[int]int{}
	lastTurn := map[int]storedTurn{}
	prev := -1
	for _, tn := range turns {
		count[tn.seq]++
		lastTurn[tn.seq] = tn
		if tn.seq < 0 || tn.seq >= len(msgs) {
			return fmt.Errorf("a user event has seq %d, which was never sent", tn.seq)
		}
		g := msgs[tn.seq].Group
		if g < prev {
			return fmt.Errorf("message %d is stored after a later message", tn.seq)
		}
		prev = g
	}
	for _, m := range msgs {
		for _, a := range m.Failed {
			sum.FailedAttempts[a.Status]++
		}
		if err := checkMessage(m, count[m.Seq], lastTurn[m.Seq], sum); err != nil {
			return err
		}
	}
	return nil
}

// checkMessage checks one message: answered, stored as often as allowed,
// and answered with its own turn's bot messages.
func checkMessage(m *Sent, stored int, tn storedTurn, sum *Summary) error {
	if m.Status != 200 {
		return fmt.Errorf("message %d (%q) got status %d (%s) after %d tries: %v", m.Seq,
			m.Text, m.Status, m.Err, len(m.Failed)+1, m.Failed)
	}
	tries := 1 + len(m.Failed)
	if tries > 1 {
		sum.Resent++
		sum.Duplicates += max(0, stored-1)
	}
	if stored < 1 || stored > tries {
		return fmt.Errorf("message %d (%q) is stored %d times, sent %d times",
			m.Seq, m.Text, stored, tries)
	}
	want := botTokens(tn.events)
	if !slices.Equal(m.Reply, want) {
		return fmt.Errorf("message %d (%q): the HTTP answer %q is not its turn's bot messages %q",
			m.Seq, m.Text, m.Reply, want)
	}
	return nil
}

// botTokens turns a turn's bot events into the tokens SendTurn makes of
// an answer.
func botTokens(events []event.Event) []string {
	out := []string{}
	for _, e := range events {
		if e.Type != event.Bot {
			continue
		}
		if e.Text != "" {
			out = append(out, "text:"+e.Text)
		}
		if e.Data != nil && e.Data.Image != nil && e.Data.Image != "" {
			out = append(out, fmt.Sprintf("image:%v", e.Data.Image))
		}
	}
	return out
}

// seqs lists the turns' message numbers.
func seqs(turns []storedTurn) []int {
	out := make([]int, len(turns))
	for i, tn := range turns {
		out[i] = tn.seq
	}
	return out
}
