// Package feature turns a tokenized message into a sparse, L2-normalised
// TF-IDF vector for the intent classifier: word n-grams, character n-grams
// within word bounds and regex or lookup matches. The vocabulary is built on
// the training data; n-grams are keyed by a 64-bit hash so that featurizing
// a message allocates little.
package feature
