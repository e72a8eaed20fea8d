package storetest

import (
	"testing"
	"time"

	"github.com/banban-gov/banban"
)

func testStaff(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	ctx := t.Context()
	if got, err := h.st.StaffList(ctx); err != nil || len(got) != 0 {
		t.Errorf("StaffList of an empty store: got %d accounts, %v; want none", len(got), err)
	}
	for _, u := range []string{"zhang", "li", "wang"} {
		if err := h.st.PutStaff(ctx, fullStaff(u, cst)); err != nil {
			t.Fatalf("PutStaff(%q): %v", u, err)
		}
	}
	replaced := fullStaff("li", cst)
	replaced.Name, replaced.Teams, replaced.Disabled = "李四", []string{"social"}, false
	if err := h.st.PutStaff(ctx, replaced); err != nil {
		t.Fatalf("PutStaff(li) again: %v", err)
	}
	wantLi := replaced
	wantLi.Created = replaced.Created.UTC()
	got, err := h.st.StaffMember(ctx, "li")
	if err != nil {
		t.Fatalf("StaffMember(li): %v", err)
	}
	if d := diffJSON(got, wantLi); d != "" {
		t.Errorf("StaffMember(li) after replacing: %s", d)
	}
	list, err := h.st.StaffList(ctx)
	if err != nil {
		t.Fatalf("StaffList: %v", err)
	}
	want := []banban.Staff{wantLi, fullStaff("wang", time.UTC), fullStaff("zhang", time.UTC)}
	if d := diffJSON(list, want); d != "" {
		t.Errorf("StaffList: %s", d)
	}
	for _, p := range fieldProblems(list[2]) {
		t.Errorf("StaffList: %s", p)
	}
	wantCode(t, "PutStaff without a username", h.st.PutStaff(ctx, banban.Staff{Name: "无名"}), banban.EINVALID)
}

func testTeams(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	ctx := t.Context()
	if got, err := h.st.Teams(ctx); err != nil || len(got) != 0 {
		t.Errorf("Teams of an empty store: got %d teams, %v; want none", len(got), err)
	}
	for _, id := range []string{"tax", "general", "social"} {
		if err := h.st.PutTeam(ctx, fullTeam(id)); err != nil {
			t.Fatalf("PutTeam(%q): %v", id, err)
		}
	}
	social := banban.Team{ID: "social", Name: "社保窗口"}
	if err := h.st.PutTeam(ctx, social); err != nil {
		t.Fatalf("PutTeam(social) again: %v", err)
	}
	got, err := h.st.Teams(ctx)
	if err != nil {
		t.Fatalf("Teams: %v", err)
	}
	if d := diffJSON(got, []banban.Team{fullTeam("general"), social, fullTeam("tax")}); d != "" {
		t.Errorf("Teams: %s", d)
	}
	for _, p := range fieldProblems(got[0]) {
		t.Errorf("Teams: %s", p)
	}
	wantCode(t, "PutTeam without an id", h.st.PutTeam(ctx, banban.Team{Name: "无编号"}), banban.EINVALID)
}

// testSessions checks that a session is found while now is before its
// expiry, and not from its expiry on.
func testSessions(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	ctx := t.Context()
	s := banban.Session{ID: "5e55", Username: "li", CSRF: "csrf-token", Created: deskAt(0).In(cst), Expires: deskAt(60).In(cst)}
	if err := h.st.PutSession(ctx, s); err != nil {
		t.Fatalf("PutSession: %v", err)
	}
	want := s
	want.Created, want.Expires = s.Created.UTC(), s.Expires.UTC()
	cases := []struct {
		name     string
		now      time.Time
		wantCode string
	}{
		{"Fresh", deskAt(1), ""},
		{"LastMicrosecond", deskAt(60).Add(-time.Microsecond), ""},
		{"AtExpiry", deskAt(60), banban.ENOTFOUND},
		{"Expired", deskAt(61), banban.ENOTFOUND},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := h.st.Session(ctx, s.ID, tc.now)
			wantCode(t, "Session", err, tc.wantCode)
			if err != nil {
				return
			}
			if d := diffJSON(got, want); d != "" {
				t.Errorf("Session: %s", d)
			}
			for _, p := range fieldProblems(got) {
				t.Errorf("Session: %s", p)
			}
		})
	}
	extendAndDelete(t, h, s)
	wantCode(t, "PutSession without an id", h.st.PutSession(ctx, banban.Session{Username: "li"}), banban.EINVALID)
}

// extendAndDelete replaces a session with a later expiry, then deletes it
// (twice, and an unknown one).
func extendAndDelete(t *testing.T, h *deskHarness, s banban.Session) {
	t.Helper()
	ctx := t.Context()
	s.Expires = deskAt(120)
	if err := h.st.PutSession(ctx, s); err != nil {
		t.Fatalf("PutSession to extend: %v", err)
	}
	if _, err := h.st.Session(ctx, s.ID, deskAt(61)); err != nil {
		t.Errorf("Session after extending: %v", err)
	}
	for _, id := range []string{s.ID, s.ID, "unknown"} {
		if err := h.st.DeleteSession(ctx, id); err != nil {
			t.Errorf("DeleteSession(%q): %v", id, err)
		}
	}
	_, err := h.st.Session(ctx, s.ID, deskAt(1))
	wantCode(t, "Session after DeleteSession", err, banban.ENOTFOUND)
}
