package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"

	"github.com/parley-chat/parley/internal/model"
)

// train answers POST /model/train: the YAML body (config, domain and data
// in one document) is trained with the same code as `parley train`, and the
// archive is the answer. The new model is not loaded, as in Rasa (PUT
// /model loads it), and the models-folder watcher of `parley run` leaves it
// alone too (TrainedByAPI).
func (s *Server) train(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	save, err := boolParam(r, "save_to_default_model_directory", true)
	if err != nil {
		return err
	}
	force, err := boolParam(r, "force_training", false)
	if err != nil {
		return err
	}
	return s.maybeLater(w, r, func(ctx context.Context, w http.ResponseWriter) error {
		return s.trainPayload(ctx, w, body, save, force)
	})
}

// trainPayload trains the payload and writes the archive to w.
func (s *Server) trainPayload(ctx context.Context, w http.ResponseWriter, body []byte,
	save, force bool) error {
	tmp, err := os.MkdirTemp("", "parley-train-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	p, err := loadPayload(body, filepath.Join(tmp, "project"))
	if err != nil {
		return err
	}
	out := filepath.Join(tmp, "models")
	if save {
		out = s.opts.ModelsDir
		if out == "" {
			out = "models"
		}
	}
	s.training.Add(1)
	defer s.training.Add(-1)
	res, err := model.Train(ctx, p, model.TrainOptions{Out: out, Force: force, Logger: s.log})
	if errors.Is(err, model.ErrNoTrainingData) {
		return &Error{Status: http.StatusBadRequest, Reason: ReasonBadRequest,
			Message: "The request body holds nothing to train: no NLU examples, stories or " +
				"rules. Send them under nlu:, stories: or rules: in the one YAML document, " +
				"with the config and the domain.", Err: err}
	}
	if err != nil {
		return &Error{Status: http.StatusInternalServerError, Reason: ReasonTrainingError,
			Message: "Training failed: " + err.Error(), Err: err}
	}
	if save {
		s.apiArchives.Store(absPath(res.Model.Path), true)
	}
	return writeArchive(w, res.Model.Path)
}

// writeArchive answers with a model archive and its name in the
// "filename" header, as Rasa.
func writeArchive(w http.ResponseWriter, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	name := filepath.Base(path)
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("filename", name)
	w.WriteHeader(http.StatusOK)
	w.Write(data)
	return nil
}

// maybeLater runs work now, or with ?callback_url answers 204 at once and
// POSTs work's answer (or its error body) to that URL when it is done.
func (s *Server) maybeLater(w http.ResponseWriter, r *http.Request,
	work func(ctx context.Context, w http.ResponseWriter) error) error {
	target := r.URL.Query().Get("callback_url")
	if target == "" {
		return work(r.Context(), w)
	}
	id := requestID(r)
	go func() {
		ctx := context.WithoutCancel(r.Context())
		rec := &bufferedResponse{header: http.Header{}}
		if err := work(ctx, rec); err != nil {
			rec = &bufferedResponse{header: http.Header{}}
			writeError(rec, id, err, s.opts.ErrorDetail)
		}
		client := &http.Client{Timeout: callbackTimeout}
		ct := rec.header.Get("Content-Type")
		if err := postBody(ctx, client, target, ct, rec.body.Bytes()); err != nil {
			s.log.Error("could not POST the result to callback_url", "request_id", id,
				"url", target, "error", err.Error())
		}
	}()
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// bufferedResponse keeps an answer in memory, to be sent elsewhere.
type bufferedResponse struct {
	header http.Header
	body   bytes.Buffer
	status int
}

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bufferedResponse) WriteHeader(status int)      { b.status = status }

// absPath is path made absolute, for comparing paths; path itself when
// that fails.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}
