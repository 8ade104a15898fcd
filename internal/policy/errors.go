package policy

import "errors"

var (
	// ErrTrain is wrapped by errors about what training was given.
	ErrTrain = errors.New("policy: cannot train")
	// ErrContradiction is wrapped by the error Train returns when rules
	// contradict stories or other rules.
	ErrContradiction = errors.New("contradicting rules or stories found")
	// ErrModel is wrapped by errors reading a saved ensemble.
	ErrModel = errors.New("policy: invalid saved ensemble")
	// ErrConfig is wrapped by errors in the policies of config.yml.
	ErrConfig = errors.New("policy: invalid config")
)
