package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDevelopmentRetrainWritesToModelsSetting: the background retrain of
// development writes its archive into PARLEY_MODELS, not <project>/models.
func TestDevelopmentRetrainWritesToModelsSetting(t *testing.T) {
	if testing.Short() {
		t.Skip("trains twice; not in -short")
	}
	models := t.TempDir()
	dir := trainedProject(t, tinyProject, "--out", models)
	rs := startRun(t, dir, map[string]string{"PARLEY_MODELS": models})
	wantRetrainedGreeting(t, rs, dir)
	archives, err := filepath.Glob(filepath.Join(models, "*.tar.gz"))
	if err != nil || len(archives) != 2 {
		t.Errorf("PARLEY_MODELS holds %v (%v), want the first and the retrained archive",
			archives, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "models")); !os.IsNotExist(err) {
		t.Errorf("the retrain wrote into <project>/models (%v)", err)
	}
}
