package auth

import (
	"crypto/rand"
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
)

// Password errors.
var (
	// ErrWeakPassword: shorter than MinPasswordLen, or longer than bcrypt
	// can hash (72 bytes) — refusing is better than silently ignoring the
	// rest.
	ErrWeakPassword = errors.New("password not accepted")
	// ErrWrongPassword: the password does not match.
	ErrWrongPassword = errors.New("wrong password")
)

// MinPasswordLen is the shortest password HashPassword accepts.
const MinPasswordLen = 12

// HashPassword returns the bcrypt hash of pw (default cost).
func HashPassword(pw string) (string, error) {
	if len(pw) < MinPasswordLen {
		return "", fmt.Errorf("%w: use at least %d characters", ErrWeakPassword, MinPasswordLen)
	}
	if len(pw) > 72 {
		return "", fmt.Errorf("%w: use at most 72 bytes", ErrWeakPassword)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hashing the password: %w", err)
	}
	return string(h), nil
}

// CheckPassword returns nil when pw matches hash, ErrWrongPassword when
// it does not (or when there is no hash: a user without a password
// cannot sign in with one).
func CheckPassword(hash, pw string) error {
	if hash == "" {
		return ErrWrongPassword
	}
	err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw))
	if errors.Is(err, bcrypt.ErrMismatchedHashAndPassword) {
		return ErrWrongPassword
	}
	if err != nil {
		return fmt.Errorf("checking the password: %w", err)
	}
	return nil
}

// GeneratePassword returns a random password of 20 letters and digits
// (about 119 bits), for `tower users password --generate` and the demo's
// admin: long enough that nobody has to invent one.
func GeneratePassword() (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating a password: %w", err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b), nil
}
