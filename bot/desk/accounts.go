package desk

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/banban-gov/banban"
)

// Passwords are hashed with PBKDF2-HMAC-SHA256 from the standard library
// at OWASP's recommended 600,000 iterations; the hash names its parameters,
// so the count can rise later without breaking old hashes.
const (
	hashScheme        = "pbkdf2-sha256"
	defaultIterations = 600_000
	minPasswordRunes  = 8
	sessionTTL        = 12 * time.Hour
)

// Iterations is the PBKDF2 iteration count for new password hashes (tests
// lower it).
var Iterations = defaultIterations

// HashPassword returns a self-describing salted hash of password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	key, err := pbkdf2.Key(sha256.New, password, salt, Iterations, 32)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("%s$%d$%s$%s", hashScheme, Iterations, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 4 || parts[0] != hashScheme {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[2])
	want, err2 := enc.DecodeString(parts[3])
	if err != nil || err1 != nil || err2 != nil || iter < 1 {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// AddStaff creates or updates a staff account with a new password.
func (d *Desk) AddStaff(ctx context.Context, username, name, password string, teams []string) (banban.Staff, error) {
	if !validID(username) || len(username) > 64 {
		return banban.Staff{}, banban.Errorf(banban.EINVALID, "用户名只能包含字母、数字、- 和 _，且不超过64个字符")
	}
	if utf8.RuneCountInString(password) < minPasswordRunes {
		return banban.Staff{}, banban.Errorf(banban.EINVALID, "密码至少需要%d个字符", minPasswordRunes)
	}
	if err := d.checkTeams(ctx, teams); err != nil {
		return banban.Staff{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return banban.Staff{}, err
	}
	s := banban.Staff{Username: username, Name: strings.TrimSpace(name), Teams: teams, PasswordHash: hash, Created: d.Now()}
	if old, err := d.store.StaffMember(ctx, username); err == nil {
		s.Created = old.Created
	}
	if err := d.store.PutStaff(ctx, s); err != nil {
		return s, fmt.Errorf("save staff: %w", err)
	}
	return s, nil
}

func (d *Desk) checkTeams(ctx context.Context, teams []string) error {
	known, err := d.store.Teams(ctx)
	if err != nil {
		return fmt.Errorf("read teams: %w", err)
	}
	for _, id := range teams {
		found := false
		for _, t := range known {
			found = found || t.ID == id
		}
		if !found {
			return banban.Errorf(banban.ENOTFOUND, errNoTeam, id)
		}
	}
	return nil
}

// SetStaffDisabled disables or re-enables an account; disabling ends its
// sessions at their next use.
func (d *Desk) SetStaffDisabled(ctx context.Context, username string, disabled bool) error {
	s, err := d.store.StaffMember(ctx, username)
	if err != nil {
		return err
	}
	s.Disabled = disabled
	if err := d.store.PutStaff(ctx, s); err != nil {
		return fmt.Errorf("save staff: %w", err)
	}
	return nil
}

// errSignIn is the one answer to every failed sign-in, so it does not tell
// which accounts exist.
const errSignIn = "用户名或密码错误，或账号已停用。"

// SignIn checks a staff member's password and starts a session. It returns
// the token the browser keeps (the store keeps only its hash).
func (d *Desk) SignIn(ctx context.Context, username, password string) (string, banban.Session, error) {
	s, err := d.store.StaffMember(ctx, username)
	if err != nil && banban.ErrorCode(err) != banban.ENOTFOUND {
		return "", banban.Session{}, fmt.Errorf("read staff: %w", err)
	}
	if err != nil || s.Disabled || !CheckPassword(s.PasswordHash, password) {
		return "", banban.Session{}, banban.Errorf(banban.EINVALID, errSignIn)
	}
	token := randomToken()
	now := d.Now()
	sess := banban.Session{ID: tokenHash(token), Username: s.Username, CSRF: randomToken(), Created: now, Expires: now.Add(sessionTTL)}
	if err := d.store.PutSession(ctx, sess); err != nil {
		return "", sess, fmt.Errorf("save session: %w", err)
	}
	return token, sess, nil
}

// SessionStaff returns the session and account a token belongs to. A
// forged, expired or signed-out token, or a disabled account, is ENOTFOUND.
func (d *Desk) SessionStaff(ctx context.Context, token string) (banban.Session, banban.Staff, error) {
	if token == "" {
		return banban.Session{}, banban.Staff{}, banban.Errorf(banban.ENOTFOUND, "请先登录")
	}
	sess, err := d.store.Session(ctx, tokenHash(token), d.Now())
	if err != nil {
		return sess, banban.Staff{}, err
	}
	s, err := d.store.StaffMember(ctx, sess.Username)
	if err != nil || s.Disabled {
		return sess, s, banban.Errorf(banban.ENOTFOUND, "账号不存在或已停用")
	}
	return sess, s, nil
}

// SignOut ends a session.
func (d *Desk) SignOut(ctx context.Context, token string) error {
	return d.store.DeleteSession(ctx, tokenHash(token))
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
