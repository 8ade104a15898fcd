package web

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode"

	"golang.org/x/crypto/bcrypt"
)

// Password rules for inspector logins. bcrypt reads at most 72 bytes.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 72
	maxUserName       = 64
)

// DefaultPasswordCost is the bcrypt cost of new passwords.
const DefaultPasswordCost = bcrypt.DefaultCost

// dummyHash is compared against when the user does not exist, so that a
// wrong name takes as long as a wrong password.
var dummyHash = []byte("$2a$10$CAzkPUEfzfjgW/4YT1tnlOcyYzIhy0k6VH94rNgLzCPeDO.yoYrdO")

// CheckUserName reports whether name can be a login: 1 to 64 letters,
// digits or ._@- characters.
func CheckUserName(name string) error {
	if name == "" || len(name) > maxUserName {
		return fmt.Errorf("%w: %q: use 1 to %d characters", ErrBadUserName, name, maxUserName)
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '_' &&
			r != '@' && r != '-' {
			return fmt.Errorf("%w: %q: use letters, digits and . _ @ - only",
				ErrBadUserName, name)
		}
	}
	return nil
}

// CheckPassword reports whether password is long enough, and short enough
// for bcrypt.
func CheckPassword(password string) error {
	switch {
	case len(password) < MinPasswordLength:
		return fmt.Errorf("%w: use at least %d characters", ErrWeakPassword, MinPasswordLength)
	case len(password) > MaxPasswordLength:
		return fmt.Errorf("%w: use at most %d bytes (bcrypt ignores the rest)",
			ErrWeakPassword, MaxPasswordLength)
	}
	return nil
}

// AddUser creates the inspector login name (stored in lower case) with
// password hashed by bcrypt at cost (0 means DefaultPasswordCost). With
// replace an existing login gets the new password; without, it is
// ErrUserExists.
func AddUser(ctx context.Context, st Store, name, password string, cost int,
	replace bool) error {
	if err := CheckUserName(name); err != nil {
		return err
	}
	if err := CheckPassword(password); err != nil {
		return err
	}
	if cost == 0 {
		cost = DefaultPasswordCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return fmt.Errorf("web: hashing the password: %w", err)
	}
	return st.AddUser(ctx, normalUser(name), hash, time.Now(), replace)
}

// verifyUser reports whether password is name's, in about the same time
// whether or not the user exists.
func verifyUser(ctx context.Context, st Store, name, password string) (bool, error) {
	hash, err := st.PasswordHash(ctx, normalUser(name))
	missing := errors.Is(err, ErrNoUser)
	if err != nil && !missing {
		return false, err
	}
	if missing || len(password) > MaxPasswordLength {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return false, nil
	}
	return bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil, nil
}
