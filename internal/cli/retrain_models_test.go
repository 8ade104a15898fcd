package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDevelopmentRetrainWritesToModelsSetting: the background retrain of
// development writes its archive into PARLEY_MODELS, not <project>/models.
func TestDevelopmentRetrainWritesToModelsSetting(t *testing.T) {
	if testing.Short() {
		t.Skip("trains twice; not in -short")
	}
	dir := writeProject(t, tinyProject)
	models := t.TempDir()
	if r := run(t, dir, "", "train", "--out", models); r.code != 0 {
		t.Fatalf("train: %+v", r)
	}
	rs := startRun(t, dir, map[string]string{"PARLEY_MODELS": models})
	domain := strings.Replace(tinyProject["domain.yml"], "Hello! 👋", "Hi again", 1)
	if err := os.WriteFile(filepath.Join(dir, "domain.yml"), []byte(domain), 0o644); err != nil {
		t.Fatal(err)
	}
	msg := `{"sender": "dev", "message": "hello"}`
	var body string
	for i := 0; i < 600 && !strings.Contains(body, "Hi again"); i++ {
		time.Sleep(100 * time.Millisecond)
		_, body = call(t, "POST", rs.url+"/webhooks/rest/webhook", msg)
	}
	if !strings.Contains(body, "Hi again") {
		t.Fatalf("the changed domain was not picked up: %s\n%s", body, rs.stderr)
	}
	archives, err := filepath.Glob(filepath.Join(models, "*.tar.gz"))
	if err != nil || len(archives) != 2 {
		t.Errorf("PARLEY_MODELS holds %v (%v), want the first and the retrained archive",
			archives, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "models")); !os.IsNotExist(err) {
		t.Errorf("the retrain wrote into <project>/models (%v)", err)
	}
}
