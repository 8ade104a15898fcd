package store

import "github.com/parley-chat/parley/internal/store/sqlstore"

// ErrUnavailable is wrapped by the errors of a store whose database or
// server cannot be reached (connection refused or lost, server shutting
// down). The request that met it can be answered with 503; the store
// reconnects by itself when the server is back.
var ErrUnavailable = sqlstore.ErrUnavailable
