package model

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/parley-chat/parley/internal/domain"
	"github.com/parley-chat/parley/internal/nlu/pipeline"
	"github.com/parley-chat/parley/internal/policy"
)

// TrainingType says which parts a model holds.
type TrainingType string

// The training types, as `parley train`, `train nlu` and `train core` make.
const (
	TrainBoth TrainingType = "both"
	TrainNLU  TrainingType = "nlu"
	TrainCore TrainingType = "core"
)

// Names of the archive's members.
const (
	metadataFile = "metadata.json"
	domainFile   = "domain.json"
	nluFile      = "nlu.bin"
	coreFile     = "core.bin"
)

// maxMember bounds the size of one archive member read into memory.
const maxMember = 1 << 30

// Metadata is metadata.json.
type Metadata struct {
	FormatVersion int          `json:"format_version"`
	ParleyVersion string       `json:"parley_version"`
	TrainedAt     float64      `json:"trained_at"`
	ModelID       string       `json:"model_id"`
	AssistantID   string       `json:"assistant_id"`
	Language      string       `json:"language"`
	Fingerprint   string       `json:"fingerprint"`
	TrainingType  TrainingType `json:"training_type"`
}

// Model is a loaded (or freshly trained) model.
type Model struct {
	Metadata Metadata
	Domain   *domain.Domain
	// NLU is nil in a core-only model.
	NLU *pipeline.Model
	// Policies is nil in an NLU-only model.
	Policies *policy.Ensemble
	// Path is the archive the model was read from or written to.
	Path string
}

// Save writes m into dir as a new archive and returns its path. The name
// is <time>-<adjective>-<noun>.tar.gz, or fixedName(.tar.gz) when given.
func Save(dir string, m *Model, fixedName string, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating the models folder: %w", err)
	}
	name := fixedName
	if name == "" {
		name = now.Format("20060102-150405") + "-" + randomName(m.Metadata.Fingerprint, now)
	}
	if filepath.Ext(name) != ".gz" {
		name += ".tar.gz"
	}
	final := filepath.Join(dir, name)
	tmp, err := os.CreateTemp(dir, ".parley-model-*.tmp")
	if err != nil {
		return "", fmt.Errorf("writing the model: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	// CreateTemp makes the file private; an archive is read by other
	// users too, such as a web server that serves it to replicas.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return "", fmt.Errorf("writing the model: %w", err)
	}
	if err := writeArchive(tmp, m); err != nil {
		tmp.Close()
		return "", fmt.Errorf("writing the model: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("writing the model: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("writing the model: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", fmt.Errorf("moving the model into place: %w", err)
	}
	m.Path = final
	return final, nil
}

// member is one file of the archive and how to produce its bytes.
type member struct {
	name string
	data func() ([]byte, error)
}

// writeArchive writes the members of m as a gzipped tar to w.
func writeArchive(w io.Writer, m *Model) error {
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	meta, err := json.MarshalIndent(m.Metadata, "", "  ")
	if err != nil {
		return err
	}
	members := []member{
		{metadataFile, func() ([]byte, error) { return meta, nil }},
		{domainFile, func() ([]byte, error) { return json.Marshal(m.Domain) }},
	}
	if m.NLU != nil {
		members = append(members, member{nluFile,
			func() ([]byte, error) { return writerBytes(m.NLU) }})
	}
	if m.Policies != nil {
		members = append(members, member{coreFile,
			func() ([]byte, error) { return writerBytes(m.Policies) }})
	}
	mtime := time.Unix(int64(m.Metadata.TrainedAt), 0)
	for _, mem := range members {
		data, err := mem.data()
		if err != nil {
			return fmt.Errorf("encoding %s: %w", mem.name, err)
		}
		hdr := &tar.Header{Name: mem.name, Mode: 0o644, Size: int64(len(data)), ModTime: mtime}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	return errors.Join(tw.Close(), zw.Close())
}

func writerBytes(w io.WriterTo) ([]byte, error) {
	var buf bytes.Buffer
	_, err := w.WriteTo(&buf)
	return buf.Bytes(), err
}

// readMembers reads every member of the archive at path, checking the
// gzip checksum on the way.
func readMembers(path string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrBrokenArchive, path, err)
	}
	tr := tar.NewReader(zr)
	members := map[string][]byte{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w %s: %w", ErrBrokenArchive, path, err)
		}
		if hdr.Size > maxMember {
			return nil, fmt.Errorf("%w %s: member %s is too large",
				ErrBrokenArchive, path, hdr.Name)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%w %s: %w", ErrBrokenArchive, path, err)
		}
		members[hdr.Name] = data
	}
	// Reaching the end of the gzip stream verifies its checksum.
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrBrokenArchive, path, err)
	}
	return members, nil
}

// ReadMetadata reads and checks the metadata of the archive at path; it
// reads the whole archive, so a truncated or corrupt file is reported.
func ReadMetadata(path string) (Metadata, error) {
	members, err := readMembers(path)
	if err != nil {
		return Metadata{}, err
	}
	return parseMetadata(path, members)
}

func parseMetadata(path string, members map[string][]byte) (Metadata, error) {
	var meta Metadata
	data, ok := members[metadataFile]
	if !ok {
		return meta, fmt.Errorf("%w %s: no %s inside", ErrBrokenArchive, path, metadataFile)
	}
	if err := json.Unmarshal(data, &meta); err != nil {
		return meta, fmt.Errorf("%w %s: %s: %w", ErrBrokenArchive, path, metadataFile, err)
	}
	if meta.FormatVersion > FormatVersion {
		return meta, fmt.Errorf("%w: %s was written by Parley %s in format %d; this Parley "+
			"(%s) reads up to format %d: upgrade Parley or retrain with `parley train --force`",
			ErrIncompatible, path, meta.ParleyVersion, meta.FormatVersion, Version, FormatVersion)
	}
	c, err := compareVersions(meta.ParleyVersion, MinimumCompatibleVersion)
	if err != nil || c < 0 {
		return meta, fmt.Errorf("%w: %s was trained with Parley %q, older than %s: "+
			"retrain with `parley train --force`",
			ErrIncompatible, path, meta.ParleyVersion, MinimumCompatibleVersion)
	}
	return meta, nil
}

// Load reads the archive at path.
func Load(path string) (*Model, error) {
	members, err := readMembers(path)
	if err != nil {
		return nil, err
	}
	meta, err := parseMetadata(path, members)
	if err != nil {
		return nil, err
	}
	m := &Model{Metadata: meta, Path: path, Domain: &domain.Domain{}}
	if err := json.Unmarshal(members[domainFile], m.Domain); err != nil {
		return nil, fmt.Errorf("%w %s: %s: %w", ErrBrokenArchive, path, domainFile, err)
	}
	if data, ok := members[nluFile]; ok {
		if m.NLU, err = pipeline.Read(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("%w %s: reading the NLU model: %w", ErrBrokenArchive, path, err)
		}
	}
	if data, ok := members[coreFile]; ok {
		if m.Policies, err = policy.Read(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("%w %s: reading the policies: %w", ErrBrokenArchive, path, err)
		}
	}
	return m, nil
}
