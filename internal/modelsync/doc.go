// Package modelsync keeps several Parley replicas serving the same model.
//
// A Puller fetches the model archive from the model server that the
// `models:` section of endpoints.yml names: at start and then every
// wait_time_between_pulls seconds it sends a GET with If-None-Match set to
// the ETag of the model in use, keeps that model on 304, and on 200 checks
// the new archive completely before swapping it in. A broken archive or a
// model server that cannot be reached is logged and the current model
// keeps answering.
//
// A Fleet records, in the database the replicas share (PostgreSQL, MySQL
// or Redis), which model each replica serves, with a heartbeat. A replica
// that sees another live replica serve a different model logs a warning,
// and /status lists the replicas seen.
package modelsync
