package project

import "errors"

// ErrNotFound is wrapped when a file or folder that the caller named
// explicitly (an Options path or a single-file loader's argument) does not
// exist.
var ErrNotFound = errors.New("project file not found")

// ErrNotProject is wrapped when Load is given a root that is not a folder.
var ErrNotProject = errors.New("not a project folder")
