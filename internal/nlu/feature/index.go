package feature

// Index maps 64-bit feature hashes to dense ids. The keys are hashes
// already, so the table probes with the key's own bits: open addressing,
// linear probing, a power-of-two size at most half full. It is several
// times faster than a Go map for lookups and is read-only after Build.
type Index struct {
	slots []slot
	mask  uint64
	shift uint
}

// slot holds a key and its id together, so a probe reads one cache line.
type slot struct {
	key uint64
	id  int32 // -1 marks an empty slot
}

// NewIndex builds the index of keys: keys[i] gets id i. Repeated keys keep
// their first id.
func NewIndex(keys []uint64) *Index {
	size, bits := 16, uint(4)
	for size < 2*len(keys) {
		size, bits = size*2, bits+1
	}
	x := &Index{slots: make([]slot, size), mask: uint64(size - 1), shift: 64 - bits}
	for i := range x.slots {
		x.slots[i].id = -1
	}
	for i, k := range keys {
		s := &x.slots[x.find(k)]
		if s.id < 0 {
			s.key, s.id = k, int32(i)
		}
	}
	return x
}

// find returns the slot holding k, or the empty slot where k would go.
func (x *Index) find(k uint64) uint64 {
	i := (k * 0x9e3779b97f4a7c15) >> x.shift
	for x.slots[i].id >= 0 && x.slots[i].key != k {
		i = (i + 1) & x.mask
	}
	return i
}

// Get returns the id of k and whether k is indexed.
func (x *Index) Get(k uint64) (int32, bool) {
	if x == nil {
		return 0, false
	}
	id := x.slots[x.find(k)].id
	return id, id >= 0
}

// Len returns the number of indexed keys.
func (x *Index) Len() int {
	if x == nil {
		return 0
	}
	n := 0
	for _, s := range x.slots {
		if s.id >= 0 {
			n++
		}
	}
	return n
}
