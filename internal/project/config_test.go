package project

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestConfigDefaults(t *testing.T) {
	for _, body := range []string{"", "recipe: default.v1\npipeline: []\npolicies:\n",
		"language: en\n"} {
		path := filepath.Join(writeProject(t, map[string]string{"config.yml": body}), "config.yml")
		c, diags, err := LoadConfigFile(path)
		if err != nil || len(diags) != 0 {
			t.Fatalf("%q: %v %v", body, err, diags)
		}
		if !c.PipelineDefaulted || !c.PoliciesDefaulted || c.Language != "en" ||
			c.Recipe != "default.v1" {
			t.Errorf("%q: %+v", body, c)
		}
		if diff := cmp.Diff(DefaultPipeline(), c.Pipeline); diff != "" {
			t.Errorf("pipeline (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(DefaultPolicies(), c.Policies); diff != "" {
			t.Errorf("policies (-want +got):\n%s", diff)
		}
	}
}

func TestConfigComponents(t *testing.T) {
	const body = `recipe: default.v1
assistant_id: shop_bot
language: de
pipeline:
- name: WhitespaceTokenizer
- name: CountVectorsFeaturizer
  analyzer: char_wb
  max_ngram: 4
policies:
- name: RulePolicy
  core_fallback_threshold: 0.4
- name: FormPolicy
- name: TwoStageFallbackPolicy
  nlu_threshold: 0.5
`
	path := filepath.Join(writeProject(t, map[string]string{"config.yml": body}), "config.yml")
	c, diags, err := LoadConfigFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.AssistantID != "shop_bot" || c.Language != "de" || c.PipelineDefaulted {
		t.Errorf("config: %+v", c)
	}
	cv := c.Pipeline[1]
	if cv.Options["analyzer"] != "char_wb" || cv.Options["max_ngram"] != 4 || cv.Pos.Line != 6 {
		t.Errorf("component: %+v", cv)
	}
	for _, words := range [][]string{{"FormPolicy", "RulePolicy"},
		{"TwoStageFallbackPolicy", "action_two_stage_fallback"}} {
		if _, ok := findDiag(diags, words...); !ok {
			t.Errorf("no migration warning with %q: %v", words, diags)
		}
	}
	if len(c.Policies) != 1 || c.Policies[0].Options["core_fallback_threshold"] != 0.4 {
		t.Errorf("policies after migration: %+v", c.Policies)
	}
	fc := c.Pipeline[len(c.Pipeline)-1]
	if fc.Name != "FallbackClassifier" || fc.Options["threshold"] != 0.5 {
		t.Errorf("FallbackClassifier not added with the policy's threshold: %+v", fc)
	}
}

func TestEndpointsAndCredentials(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"endpoints.yml": "action_endpoint:\n  url: \"http://${HOST}:5055/webhook\"\n" +
			"  token: ${TOKEN}\ntracker_store:\n  type: SQL\n  port: 5432\n",
		"credentials.yml": "rest:\nslack:\n  slack_token: \"${TOKEN}\"\n",
	})
	env := func(name string) (string, bool) {
		v, ok := map[string]string{"HOST": "actions", "TOKEN": "s3cret"}[name]
		return v, ok
	}
	e, diags, err := LoadEndpointsFile(filepath.Join(dir, "endpoints.yml"), env)
	if err != nil || len(diags) != 0 {
		t.Fatal(err, diags)
	}
	if e.Action["url"] != "http://actions:5055/webhook" || e.Action["token"] != "s3cret" ||
		e.TrackerStore["port"] != 5432 || e.Pos["tracker_store"].Line != 4 {
		t.Errorf("endpoints: %+v", e)
	}
	c, _, err := LoadCredentialsFile(filepath.Join(dir, "credentials.yml"), env)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]any{"rest": {}, "slack": {"slack_token": "s3cret"}}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
}
