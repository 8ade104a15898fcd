// Package crf is a linear-chain conditional random field over BILOU (or
// BIO) tags: the entity tagger behind CRFEntityExtractor and the entity
// part of DIETClassifier in Parley.
//
// Token features (the word, its shape, prefixes and suffixes, its
// neighbours, regex and lookup hits, sentence-level context such as the
// intent, phrases annotated elsewhere in the training data) are hashed to
// 64 bits without building strings; like CRFsuite, only (feature, label)
// pairs seen in training get a weight. Transitions are factored so that
// one step costs time linear in the number of labels: an entity's inside
// tags (B→I, I→I, B→L, I→L) have their own weights per entity type, and a
// label that starts something (O, B-x, U-x) has one weight per kind of tag
// before it (begin of sentence, O, L or U). Words training always saw
// outside entities are tagged O without scoring.
//
// Training minimises the negative log-likelihood plus an L2 penalty, by
// L-BFGS on small data and by averaged stochastic gradient descent on
// large data. Decoding is Viterbi, optionally over the entities seen with
// the message's likely intents only; each entity's confidence is the mean
// probability of its tags given their neighbours' tags.
package crf
