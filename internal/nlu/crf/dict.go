package crf

import (
	"slices"

	"github.com/parley-chat/parley/internal/nlu/feature"
)

// Positions within a dictionary match, for the dictionary features.
const (
	dictB = iota + 1
	dictI
	dictL
	dictU
)

// maxDictTokens bounds the length of a dictionary phrase.
const maxDictTokens = 8

// phraseHash extends the hash of a token phrase by one word.
func phraseHash(h, word uint64) uint64 { return mix(h, word) }

// dictEntry is one (phrase, label) pair of the dictionary while training,
// with the number of training messages that annotate it.
type dictEntry struct {
	phrase uint64
	label  int32
	count  int32
}

// buildDictionary collects the annotated phrases of the training messages
// into the model's dictionary. It returns the number of messages behind
// each (phrase, label) pair, aligned with DictLabel.
func (m *Model) buildDictionary(sents []encoded) []int32 {
	var all []dictEntry
	for _, s := range sents {
		for _, mt := range s.mentions {
			all = append(all, dictEntry{phrase: mt.phrase, label: mt.label, count: 1})
		}
	}
	slices.SortFunc(all, func(a, b dictEntry) int {
		if a.phrase != b.phrase {
			if a.phrase < b.phrase {
				return -1
			}
			return 1
		}
		return int(a.label - b.label)
	})
	m.DictKeys, m.DictStart, m.DictLabel = nil, nil, nil
	var counts []int32
	for i, e := range all {
		if i > 0 && all[i-1].phrase == e.phrase && all[i-1].label == e.label {
			counts[len(counts)-1]++
			continue
		}
		if len(m.DictKeys) == 0 || m.DictKeys[len(m.DictKeys)-1] != e.phrase {
			m.DictKeys = append(m.DictKeys, e.phrase)
			m.DictStart = append(m.DictStart, int32(len(m.DictLabel)))
		}
		m.DictLabel = append(m.DictLabel, e.label)
		counts = append(counts, 1)
	}
	m.DictStart = append(m.DictStart, int32(len(m.DictLabel)))
	m.dictIndex = feature.NewIndex(m.DictKeys)
	return counts
}

// mention is an annotated entity of a training message: tokens [start,
// end) with an entity label, and the hash of its phrase.
type mention struct {
	start, end int
	label      int32
	phrase     uint64
}

// dictFeatures returns, per token, the features of the dictionary phrases
// found in the message. While training, counts holds the messages behind
// each entry and own the message's own mentions, which do not count: a
// phrase must be annotated in another message to fire.
func (m *Model) dictFeatures(info []tokenInfo, counts []int32, own []mention) [][]uint64 {
	if len(m.DictKeys) == 0 {
		return nil
	}
	out := make([][]uint64, len(info))
	for i := range info {
		h := uint64(fnvOffset)
		for j := i; j < len(info) && j < i+maxDictTokens; j++ {
			h = phraseHash(h, info[j].word)
			id, ok := m.dictIndex.Get(h)
			if !ok {
				continue
			}
			k := int(id)
			for p := m.DictStart[k]; p < m.DictStart[k+1]; p++ {
				label := m.DictLabel[p]
				if counts != nil && counts[p]-ownCount(own, i, j+1, label) <= 0 {
					continue
				}
				m.addMatch(out, i, j+1, uint64(label))
			}
		}
	}
	return out
}

// ownCount is 1 when the message itself annotates [start,end) as label.
func ownCount(own []mention, start, end int, label int32) int32 {
	for _, mt := range own {
		if mt.start == start && mt.end == end && mt.label == label {
			return 1
		}
	}
	return 0
}

// addMatch adds the features of one match of tokens [i,j) to out.
func (m *Model) addMatch(out [][]uint64, i, j int, label uint64) {
	for k := i; k < j; k++ {
		pos := dictI
		switch {
		case j-i == 1:
			pos = dictU
		case k == i:
			pos = dictB
		case k == j-1:
			pos = dictL
		}
		out[k] = append(out[k], feat(fDict, label, uint64(pos)))
	}
	if i > 0 {
		out[i-1] = append(out[i-1], feat(fNextDict, label))
	}
	if j < len(out) {
		out[j] = append(out[j], feat(fPrevDict, label))
	}
}
