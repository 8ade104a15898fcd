package pipeline

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"fmt"
	"io"

	"github.com/parley-chat/parley/internal/project"
)

// magic starts every saved NLU model.
const magic = "parley-nlu\n"

// WriteTo serialises the model. The same training data, config and seed
// give the same bytes.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	buf.WriteString(magic)
	if err := gob.NewEncoder(&buf).Encode(&m.st); err != nil {
		return 0, fmt.Errorf("encoding the NLU model: %w", err)
	}
	n, err := w.Write(buf.Bytes())
	if err != nil {
		return int64(n), fmt.Errorf("writing the NLU model: %w", err)
	}
	return int64(n), nil
}

// Read loads a model written by WriteTo.
func Read(r io.Reader) (*Model, error) {
	br := bufio.NewReader(r)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, fmt.Errorf("%w: not a Parley NLU model", ErrModel)
	}
	m := &Model{}
	if err := gob.NewDecoder(br).Decode(&m.st); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrModel, err)
	}
	if m.st.Format != formatVersion {
		return nil, fmt.Errorf("%w: format %d, this Parley reads format %d; retrain the model",
			ErrModel, m.st.Format, formatVersion)
	}
	if err := m.restore(func(project.Pos, string) {}); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrModel, err)
	}
	return m, nil
}
