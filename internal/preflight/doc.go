// Package preflight checks, before Parley serves anything, that each
// folder it must write to can be written by the user it runs as.
//
// The classic failure is a container running as a non-root user over a
// volume or bind mount owned by root: the process starts, then fails on its
// first write. Check finds it at start and returns an error that names the
// folder, the user and groups Parley runs as, the folder's owner and mode,
// and the commands that fix it; the caller prints it and exits non-zero.
package preflight
