package main

import (
	"context"
	"strings"
	"testing"

	"github.com/banban-gov/banban/bot/desk"
)

// TestStaffCommand creates a team and the first account from the command
// line, then signs in with it.
func TestStaffCommand(t *testing.T) {
	desk.Iterations = 1000
	dir := t.TempDir()
	t.Setenv("BANBAN_DATA_DIR", dir)
	t.Setenv("DATABASE_URL", "") // the embedded store in dir
	ctx := context.Background()
	steps := []struct {
		name    string
		args    []string
		input   string
		wantErr string
	}{
		{"team", []string{"staff", "team", "general", "--name", "综合窗口", "--general"}, "", ""},
		{"add", []string{"staff", "add", "zhang", "--name", "张三", "--team", "general"}, "password123\n", ""},
		{"short password", []string{"staff", "add", "li"}, "short\n", "密码至少"},
		{"unknown team", []string{"staff", "add", "li", "--team", "nosuch"}, "password123\n", "工作组不存在"},
		{"disable", []string{"staff", "disable", "zhang"}, "", ""},
		{"enable", []string{"staff", "enable", "zhang"}, "", ""},
		{"list", []string{"staff", "list"}, "", ""},
		{"usage", []string{"staff", "frobnicate"}, "", "用法"},
	}
	for _, st := range steps {
		stdin = strings.NewReader(st.input)
		err := run(ctx, st.args)
		if st.wantErr == "" && err != nil || st.wantErr != "" && (err == nil || !strings.Contains(err.Error(), st.wantErr)) {
			t.Fatalf("%s: err = %v, want %q", st.name, err, st.wantErr)
		}
	}
	cfg := testConfig(t, "bolt")
	cfg.DataDir = dir
	app, err := Open(ctx, cfg, newLogger(0))
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if _, s, err := app.Desk.SignIn(ctx, "zhang", "password123"); err != nil || s.Username != "zhang" {
		t.Fatalf("SignIn after staff add = %+v, %v", s, err)
	}
	teams, _ := app.Desk.Teams(ctx)
	if len(teams) != 1 || !teams[0].General || teams[0].Name != "综合窗口" {
		t.Errorf("teams = %+v, want the general team 综合窗口", teams)
	}
}
