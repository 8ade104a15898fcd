package server

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// access says who may call a route.
type access int

const (
	// public routes need no authentication (/, /version, the channels).
	public access = iota
	// admin routes need the token, or a JWT with the admin role.
	admin
	// conversation routes also let a JWT with the user role in when its
	// username is the conversation id.
	conversation
)

// jwtCheck verifies Bearer tokens; nil when --jwt-secret is not set.
type jwtCheck struct {
	method string
	key    any
	err    error // set when the secret does not suit the method
}

// DefaultJWTMethod is the JWT signing method when none is given.
const DefaultJWTMethod = "HS256"

// CheckJWT reports whether a JWT secret and method can be used: a known
// method, and for the RS, PS and ES methods a public key in PEM.
func CheckJWT(secret, method string) error {
	if secret == "" {
		return nil
	}
	return newJWTCheck(secret, method).err
}

func newJWTCheck(secret, method string) *jwtCheck {
	if secret == "" {
		return nil
	}
	if method == "" {
		method = DefaultJWTMethod
	}
	c := &jwtCheck{method: method}
	var err error
	switch {
	case strings.HasPrefix(method, "HS"):
		c.key = []byte(secret)
	case strings.HasPrefix(method, "RS"), strings.HasPrefix(method, "PS"):
		c.key, err = jwt.ParseRSAPublicKeyFromPEM([]byte(secret))
	case strings.HasPrefix(method, "ES"):
		c.key, err = jwt.ParseECPublicKeyFromPEM([]byte(secret))
	case method == "EdDSA":
		c.key, err = jwt.ParseEdPublicKeyFromPEM([]byte(secret))
	}
	if jwt.GetSigningMethod(method) == nil {
		err = fmt.Errorf("unknown --jwt-method %q (use HS256, HS384, HS512, RS256, ES256, ...)",
			method)
	}
	if err != nil {
		c.err = fmt.Errorf("%w: %w", ErrJWT, err)
	}
	return c
}

// jwtUser is the "user" claim Rasa's JWTs carry.
type jwtUser struct {
	Username string `json:"username"`
	Role     string `json:"role"`
}

type jwtClaims struct {
	User jwtUser `json:"user"`
	jwt.RegisteredClaims
}

// user returns the JWT's user, or ok false when the request has no valid
// Bearer token.
func (c *jwtCheck) user(r *http.Request) (jwtUser, bool) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if c == nil || c.err != nil || !ok {
		return jwtUser{}, false
	}
	var claims jwtClaims
	_, err := jwt.ParseWithClaims(strings.TrimSpace(raw), &claims,
		func(*jwt.Token) (any, error) { return c.key, nil },
		jwt.WithValidMethods([]string{c.method}))
	return claims.User, err == nil
}

// authorize guards h as level says: the token, or a JWT whose role allows
// the call. Without token and JWT settings the API is open in development
// (a warning was logged at start) and closed in production.
func (s *Server) authorize(level access, h handlerFunc) handlerFunc {
	if level == public {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.checkAuth(level, r); err != nil {
			return err
		}
		return h(w, r)
	}
}

// checkAuth returns nil when the request may call a route of level.
func (s *Server) checkAuth(level access, r *http.Request) error {
	token := s.opts.AuthToken
	if token != "" && subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("token")),
		[]byte(token)) == 1 {
		return nil
	}
	if user, ok := s.jwt.user(r); ok {
		if user.Role == "admin" || level == conversation && user.Role == "user" &&
			user.Username != "" && user.Username == r.PathValue("conversation_id") {
			return nil
		}
		return &Error{Status: http.StatusForbidden, Reason: ReasonNotAuthorized,
			Message: "User has insufficient permissions: the JWT's role must be admin, or " +
				"user with the conversation id as its username."}
	}
	if token == "" && s.jwt == nil {
		if !s.opts.Production {
			return nil
		}
		return &Error{Status: http.StatusUnauthorized, Reason: ReasonNotAuthenticated,
			Message: "The HTTP API is closed in production until the server runs with " +
				"--auth-token or --jwt-secret."}
	}
	return &Error{Status: http.StatusUnauthorized, Reason: ReasonNotAuthenticated,
		Message: "User is not authenticated: add ?token=<the server's auth token> or an " +
			"Authorization: Bearer <JWT> header."}
}

// warnOpenAPI logs once at start when the API is open to anyone.
func (s *Server) warnOpenAPI() {
	if !s.opts.EnableAPI || s.opts.AuthToken != "" || s.jwt != nil {
		return
	}
	if s.opts.Production {
		s.log.Warn("the HTTP API is on without --auth-token or --jwt-secret: " +
			"it refuses every request in production")
		return
	}
	s.log.Warn("the HTTP API is on without --auth-token or --jwt-secret: anyone who can " +
		"reach this port can read and change conversations and models")
}
