package model

import (
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// adjectives and nouns make the readable part of an archive's name.
var adjectives = []string{
	"amber", "brisk", "calm", "clever", "cosy", "crisp", "curious", "daring",
	"eager", "early", "fair", "fancy", "gentle", "glad", "golden", "grand",
	"humble", "jolly", "keen", "kind", "lively", "lucky", "mellow", "merry",
	"nimble", "noble", "patient", "plucky", "proud", "quick", "quiet", "rapid",
	"silver", "sincere", "steady", "sunny", "swift", "tidy", "vivid", "witty",
}

var nouns = []string{
	"badger", "beacon", "brook", "canyon", "cedar", "comet", "cove", "delta",
	"ember", "falcon", "fern", "fjord", "glacier", "harbor", "heron", "island",
	"lagoon", "lantern", "maple", "meadow", "mesa", "orchard", "otter", "pebble",
	"prairie", "quartz", "raven", "reef", "ridge", "river", "robin", "sparrow",
	"spruce", "summit", "thistle", "tundra", "valley", "walrus", "willow", "zephyr",
}

// randomName returns "adjective-noun", seeded from the fingerprint and the
// time so that names differ between trainings.
func randomName(fingerprint string, now time.Time) string {
	h := fnv.New64a()
	h.Write([]byte(fingerprint))
	r := rand.New(rand.NewPCG(h.Sum64(), uint64(now.UnixNano())))
	return adjectives[r.IntN(len(adjectives))] + "-" + nouns[r.IntN(len(nouns))]
}
