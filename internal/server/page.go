package server

import "github.com/parley-chat/parley/internal/model"

// Parley's versions as the API and the web app report them.
const (
	parleyVersion            = model.Version
	minimumCompatibleVersion = model.MinimumCompatibleVersion
)
