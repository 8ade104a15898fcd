package preflight

import "fmt"

// ServerLockFile is the file in the data directory that a serving process
// holds locked for as long as it uses the SQLite database there. A second
// server that finds it locked warns (sqliteWarning); commands that open
// the database briefly (`parley db backup`) never take it.
const ServerLockFile = "parley-server.lock"

// sqliteWarning is what a second server on one SQLite database logs.
func sqliteWarning(dataDir, holder string) string {
	return fmt.Sprintf("another Parley server (%s) already uses the SQLite database in %s: "+
		"SQLite is for one process, so two servers on one file wait on each other's writes "+
		"and each keeps its own conversation locks; run one server per data directory, "+
		"or use PostgreSQL (tracker_store type: SQL, dialect: postgresql in endpoints.yml, "+
		"see docs/scaling.md) for several replicas", holder, dataDir)
}
