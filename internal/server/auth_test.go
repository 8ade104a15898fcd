package server

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// signed returns a JWT with Rasa's user claim signed with key.
func signed(t *testing.T, method jwt.SigningMethod, key any, username, role string,
	exp time.Time) string {
	t.Helper()
	claims := jwt.MapClaims{"user": map[string]any{"username": username, "role": role},
		"exp": exp.Unix()}
	tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestJWTRoles(t *testing.T) {
	s, _ := newTestServer(t, Options{EnableAPI: true, JWTSecret: "jwt-secret"}, true)
	later := time.Now().Add(time.Hour)
	hs := func(user, role string) string {
		return signed(t, jwt.SigningMethodHS256, []byte("jwt-secret"), user, role, later)
	}
	cases := []struct {
		name, path, bearer string
		want               int
	}{
		{"no token", "/status", "", 401},
		{"admin status", "/status", hs("ann", "admin"), 200},
		{"user status", "/status", hs("ann", "user"), 403},
		{"user own tracker", "/conversations/ann/tracker", hs("ann", "user"), 409},
		{"user other tracker", "/conversations/bob/tracker", hs("ann", "user"), 403},
		{"guest role", "/conversations/ann/tracker", hs("ann", "guest"), 403},
		{"wrong secret", "/status", signed(t, jwt.SigningMethodHS256, []byte("other"), "ann",
			"admin", later), 401},
		{"expired", "/status", signed(t, jwt.SigningMethodHS256, []byte("jwt-secret"), "ann",
			"admin", time.Now().Add(-time.Hour)), 401},
		{"other method", "/status", signed(t, jwt.SigningMethodHS512, []byte("jwt-secret"),
			"ann", "admin", later), 401},
		{"garbage", "/status", "not.a.jwt", 401},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", c.path, nil)
		if c.bearer != "" {
			r.Header.Set("Authorization", "Bearer "+c.bearer)
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, r)
		// The fake agent has no conversation API, so an authorized
		// tracker request ends in 409, after the auth check.
		if rec.Code != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, rec.Code, c.want, rec.Body)
		}
	}
}

func TestJWTPublicKey(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pub := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	s, _ := newTestServer(t, Options{EnableAPI: true, JWTSecret: pub, JWTMethod: "ES256"}, true)
	r := httptest.NewRequest("GET", "/status", nil)
	r.Header.Set("Authorization", "Bearer "+signed(t, jwt.SigningMethodES256, key, "a", "admin",
		time.Now().Add(time.Minute)))
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, r)
	if rec.Code != 200 {
		t.Errorf("ES256 JWT: %d %s", rec.Code, rec.Body)
	}
	for _, c := range []struct{ secret, method string }{
		{"x", "RS256"}, {"x", "XX999"}, {pub, "ES256"}, {"x", ""},
	} {
		err := CheckJWT(c.secret, c.method)
		if wantOK := c.method != "RS256" && c.method != "XX999"; (err == nil) != wantOK {
			t.Errorf("CheckJWT(%q): %v", c.method, err)
		}
		if err != nil && !errors.Is(err, ErrJWT) {
			t.Errorf("CheckJWT error is not ErrJWT: %v", err)
		}
	}
}

func TestProductionClosesOpenAPI(t *testing.T) {
	s, logs := newTestServer(t, Options{EnableAPI: true, Production: true}, true)
	if rec := call(s.Handler(), "GET", "/status", ""); rec.Code != 401 {
		t.Errorf("production without auth: %d", rec.Code)
	}
	dev, devLogs := newTestServer(t, Options{EnableAPI: true}, true)
	if rec := call(dev.Handler(), "GET", "/status", ""); rec.Code != 200 {
		t.Errorf("development without auth: %d", rec.Code)
	}
	for _, l := range []string{logs.String(), devLogs.String()} {
		if !strings.Contains(l, "without --auth-token or --jwt-secret") {
			t.Errorf("no warning about the open API:\n%s", l)
		}
	}
}

func TestCheckCORS(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"config.yml", "data"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		values []string
		ok     bool
		hint   string
	}{
		{[]string{"*"}, true, ""},
		{[]string{"https://shop.example", "http://localhost:8080"}, true, ""},
		{[]string{"https://shop.example/"}, true, ""},
		{[]string{"config.yml", "data"}, false, `"*" (with quotes)`},
		{[]string{"shop.example"}, false, "scheme://host"},
		{[]string{"https://shop.example/path"}, false, "only scheme://host"},
		{[]string{""}, false, "empty"},
	}
	for _, c := range cases {
		err := CheckCORS(c.values, dir)
		if (err == nil) != c.ok || err != nil && !strings.Contains(err.Error(), c.hint) {
			t.Errorf("CheckCORS(%q) = %v", c.values, err)
		}
		if err != nil && !errors.Is(err, ErrCORS) {
			t.Errorf("not ErrCORS: %v", err)
		}
	}
}

func TestCORSOneHeader(t *testing.T) {
	creds := map[string]map[string]any{"socketio": {}}
	for _, allowed := range [][]string{{"*"}, {"https://shop.example"}} {
		s, _ := newTestServer(t, Options{CORS: allowed, Credentials: creds, EnableAPI: true}, true)
		targets := []string{"/webhooks/rest/", "/status", "/socket.io/?EIO=4&transport=polling"}
		for _, target := range targets {
			for _, method := range []string{"GET", "OPTIONS"} {
				r := httptest.NewRequest(method, target, nil)
				r.Header.Set("Origin", "https://shop.example")
				r.Header.Set("Access-Control-Request-Method", "GET")
				rec := httptest.NewRecorder()
				s.Handler().ServeHTTP(rec, r)
				got := rec.Header().Values("Access-Control-Allow-Origin")
				if len(got) != 1 || got[0] != "https://shop.example" {
					t.Errorf("%v %s %s: Access-Control-Allow-Origin %q", allowed, method, target, got)
				}
				if method == "OPTIONS" && rec.Code != 204 {
					t.Errorf("%v preflight %s: %d", allowed, target, rec.Code)
				}
			}
		}
	}
}
