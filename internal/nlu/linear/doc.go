// Package linear is a multinomial logistic regression over sparse vectors:
// the intent classifier behind DIETClassifier, LogisticRegressionClassifier
// and SklearnIntentClassifier in Parley, and the response selector. It is
// trained on the L2-regularised mean log loss by averaged stochastic
// gradient descent (or, on request, L-BFGS), which gives scores that
// become probabilities once a temperature is fitted on held-out data.
// Training is deterministic: the example order is seeded, and the L-BFGS
// gradient is split in a fixed way and summed in a fixed order.
package linear
