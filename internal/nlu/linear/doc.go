// Package linear is a multinomial logistic regression over sparse vectors:
// the intent classifier behind DIETClassifier, LogisticRegressionClassifier
// and SklearnIntentClassifier in Parley. It is trained by L-BFGS on the
// L2-regularised mean log loss, which gives probabilities that behave like
// probabilities, so a fallback threshold means what it says. Training is
// deterministic: work is split in a fixed way and summed in a fixed order.
package linear
