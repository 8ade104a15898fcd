// Package watch notices changes to a Rasa project's files so that
// development mode can retrain and swap the model while it keeps serving.
//
// It watches only what training reads: config.yml, the domain file or
// folder, everything under the data folders, endpoints.yml and
// credentials.yml. Models, the data directory, test results and editor
// swap files never trigger a reload. Changes are debounced: one callback
// follows a burst of saves, once the files have been quiet for a while.
//
// The watcher polls with os.Stat instead of using inotify: it is pure Go,
// needs no file descriptors per folder, and sees changes on bind mounts and
// network file systems where kernel notifications do not arrive.
package watch
