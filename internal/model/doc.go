// Package model writes, finds and reads Parley's model archive, and trains
// the models that go into it.
//
// An archive is models/<YYYYMMDD-HHMMSS>-<adjective>-<noun>.tar.gz holding:
//
//	metadata.json  versions, training time, ids, fingerprint, training type
//	domain.json    the domain the model was trained with
//	nlu.bin        the NLU pipeline (absent in a core-only model)
//	core.bin       the policy ensemble (absent in an NLU-only model)
//
// It is written under a temporary name in the same folder and renamed, so a
// reader never sees half an archive. The fingerprint covers the project's
// config, domain and data files and Parley's version: training with an
// unchanged fingerprint reuses the newest archive.
package model
