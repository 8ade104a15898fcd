package broker

// ring is the queue's storage: a fixed-size circular buffer of messages,
// each with a sequence number so that a confirmed batch can be removed
// even after the oldest messages were dropped while it was in flight.
type ring struct {
	items []item
	head  int // index of the oldest message
	n     int
	seq   uint64 // sequence number of the next message
}

// item is a queued message.
type item struct {
	msg Message
	seq uint64
}

func newRing(size int) ring { return ring{items: make([]item, size)} }

func (r *ring) len() int { return r.n }

// push adds m at the end, dropping the oldest message when full; it
// reports whether one was dropped.
func (r *ring) push(m Message) (dropped bool) {
	if r.n == len(r.items) {
		r.drop(1)
		dropped = true
	}
	r.items[(r.head+r.n)%len(r.items)] = item{msg: m, seq: r.seq}
	r.seq++
	r.n++
	return dropped
}

// drop removes the k oldest messages.
func (r *ring) drop(k int) {
	for range min(k, r.n) {
		r.items[r.head] = item{}
		r.head = (r.head + 1) % len(r.items)
		r.n--
	}
}

// peek copies up to k of the oldest messages and returns the sequence
// number of the last one copied.
func (r *ring) peek(k int) ([]Message, uint64) {
	k = min(k, r.n)
	if k == 0 {
		return nil, 0
	}
	out := make([]Message, k)
	var last uint64
	for i := range k {
		it := r.items[(r.head+i)%len(r.items)]
		out[i], last = it.msg, it.seq
	}
	return out, last
}

// ack removes the oldest messages up to and including sequence number
// last.
func (r *ring) ack(last uint64) {
	for r.n > 0 && r.items[r.head].seq <= last {
		r.drop(1)
	}
}
