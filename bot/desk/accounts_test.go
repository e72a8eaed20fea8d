package desk_test

import (
	"testing"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
)

func TestSignIn(t *testing.T) {
	e := newEnv(t, desk.Config{})
	if _, err := e.desk.AddStaff(e.ctx, "chen", "陈", "short", nil); banban.ErrorCode(err) != banban.EINVALID {
		t.Errorf("short password: %v, want EINVALID", err)
	}
	if _, err := e.desk.AddStaff(e.ctx, "chen", "陈", "long enough", []string{"nosuchteam"}); banban.ErrorCode(err) != banban.ENOTFOUND {
		t.Errorf("unknown team: %v, want ENOTFOUND", err)
	}
	s := e.staff("chen")
	if s.PasswordHash == "" || contains(s.PasswordHash, "correct horse") {
		t.Fatalf("password hash = %q", s.PasswordHash)
	}
	tests := []struct {
		name, user, pass string
		ok               bool
	}{
		{"right", "chen", "correct horse", true},
		{"wrong password", "chen", "correct horsE", false},
		{"unknown user", "nobody", "correct horse", false},
	}
	for _, tt := range tests {
		token, sess, err := e.desk.SignIn(e.ctx, tt.user, tt.pass)
		if (err == nil) != tt.ok {
			t.Errorf("%s: SignIn error %v, want ok=%v", tt.name, err, tt.ok)
			continue
		}
		if !tt.ok {
			continue
		}
		if sess.ID == token || sess.CSRF == "" {
			t.Errorf("%s: session %+v stores the token or lacks a CSRF token", tt.name, sess)
		}
		if _, st, err := e.desk.SessionStaff(e.ctx, token); err != nil || st.Username != "chen" {
			t.Errorf("%s: SessionStaff = %v, %v", tt.name, st.Username, err)
		}
		if _, _, err := e.desk.SessionStaff(e.ctx, token+"x"); banban.ErrorCode(err) != banban.ENOTFOUND {
			t.Errorf("forged token: %v, want ENOTFOUND", err)
		}
		e.desk.SetStaffDisabled(e.ctx, "chen", true)
		if _, _, err := e.desk.SessionStaff(e.ctx, token); banban.ErrorCode(err) != banban.ENOTFOUND {
			t.Errorf("disabled account's session: %v, want ENOTFOUND", err)
		}
		if _, _, err := e.desk.SignIn(e.ctx, "chen", "correct horse"); err == nil {
			t.Errorf("disabled account signed in")
		}
		e.desk.SetStaffDisabled(e.ctx, "chen", false)
		e.now = e.now.Add(13 * time.Hour)
		if _, _, err := e.desk.SessionStaff(e.ctx, token); banban.ErrorCode(err) != banban.ENOTFOUND {
			t.Errorf("expired session: %v, want ENOTFOUND", err)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	hash, err := desk.HashPassword("秘密密码123")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, hash, pass string
		want             bool
	}{
		{"right", hash, "秘密密码123", true},
		{"wrong", hash, "秘密密码124", false},
		{"garbage hash", "pbkdf2-sha256$x$y$z", "秘密密码123", false},
		{"other scheme", "md5$1$a$b", "秘密密码123", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		if got := desk.CheckPassword(tt.hash, tt.pass); got != tt.want {
			t.Errorf("%s: CheckPassword = %v, want %v", tt.name, got, tt.want)
		}
	}
}
