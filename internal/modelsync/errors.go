package modelsync

import (
	"errors"
	"strings"

	"github.com/parley-chat/parley/internal/actionclient"
)

// Errors returned by this package; test them with errors.Is.
var (
	// ErrConfig is returned for a models: section that cannot be used.
	ErrConfig = errors.New("invalid models: section")
	// ErrPull is returned when a pull from the model server failed: the
	// server cannot be reached or gave an answer other than a model.
	ErrPull = errors.New("pulling the model failed")
	// ErrBadArchive is returned when the model server sent an archive that
	// does not load; the model in use stays.
	ErrBadArchive = errors.New("the model server sent an archive that cannot be used")
)

// configError is an ErrConfig that says where the section is.
type configError struct {
	where  string
	detail string
}

func (e *configError) Error() string {
	if e.where == "" {
		return "endpoints.yml: " + ErrConfig.Error() + ": " + e.detail
	}
	return e.where + ": " + ErrConfig.Error() + ": " + e.detail
}

func (e *configError) Unwrap() error { return ErrConfig }

// endpointError is an actionclient.ErrConfig error about the endpoint keys
// of the section as an ErrConfig of this package, at where.
func endpointError(where string, err error) error {
	return &configError{where, strings.TrimPrefix(err.Error(), actionclient.ErrConfig.Error()+": ")}
}
