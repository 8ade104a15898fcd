package model

import "errors"

// Errors returned by this package; test them with errors.Is.
var (
	// ErrNoModel is returned when a folder holds no usable archive.
	ErrNoModel = errors.New("no trained model found")
	// ErrBrokenArchive is returned for a file that is not a readable
	// Parley model archive.
	ErrBrokenArchive = errors.New("broken model archive")
	// ErrIncompatible is returned for an archive written by a Parley whose
	// format this one cannot read.
	ErrIncompatible = errors.New("model archive is not compatible with this Parley")
	// ErrNoTrainingData is returned by Train when the project holds
	// nothing to learn from for the parts asked for.
	ErrNoTrainingData = errors.New("no training data")
)
