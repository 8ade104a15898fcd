// Package crf is a linear-chain conditional random field over BILOU (or
// BIO) tags: the entity tagger behind CRFEntityExtractor and the entity
// part of DIETClassifier in Parley.
//
// Token features are strings (the word, its shape, prefixes and suffixes,
// its neighbours, regex and lookup hits) hashed to 64 bits; like CRFsuite,
// only (feature, label) pairs seen in training get a weight. Transitions
// are factored so that one step costs time linear in the number of labels:
// an entity's inside tags (B→I, I→I, B→L, I→L) have their own weights per
// entity type, and a label that starts something (O, B-x, U-x) has one
// weight per kind of tag before it (begin of sentence, O, L or U). Training
// minimises the negative log-likelihood plus an L2 penalty with L-BFGS;
// decoding is Viterbi, and each entity's confidence is the mean marginal
// probability of its tags.
package crf
