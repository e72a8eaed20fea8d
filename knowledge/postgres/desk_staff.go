package postgres

import (
	"context"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/deskrec"
)

// PutStaff creates or replaces a staff account.
func (s *Store) PutStaff(ctx context.Context, st banban.Staff) error {
	return s.putDoc(ctx, "put_staff", st.Username, "用户名", &st)
}

// StaffMember returns one account by username.
func (s *Store) StaffMember(ctx context.Context, username string) (banban.Staff, error) {
	var st banban.Staff
	err := s.readDoc(ctx, "read staff member", &st, banban.Errorf(banban.ENOTFOUND, "找不到工作人员 %s", username),
		deskQuery("staff_member"), username)
	deskrec.UTCTimes(&st.Created)
	return st, err
}

// StaffList returns every account by username.
func (s *Store) StaffList(ctx context.Context) ([]banban.Staff, error) {
	list, err := readDocs[banban.Staff](ctx, s, "list staff", deskQuery("staff_list"))
	for i := range list {
		deskrec.UTCTimes(&list[i].Created)
	}
	return list, err
}

// PutTeam creates or replaces a team.
func (s *Store) PutTeam(ctx context.Context, t banban.Team) error {
	return s.putDoc(ctx, "put_team", t.ID, "团队编号", &t)
}

// Teams returns every team by id.
func (s *Store) Teams(ctx context.Context) ([]banban.Team, error) {
	return readDocs[banban.Team](ctx, s, "list teams", deskQuery("teams"))
}

// putDoc stores v as JSON with the named upsert, under key, which what
// names for the error of an empty key.
func (s *Store) putDoc(ctx context.Context, query, key, what string, v any) error {
	if err := s.start(ctx); err != nil {
		return err
	}
	if err := checkKey(key, what); err != nil {
		return err
	}
	doc, err := encodeDoc(v, what+" "+key+" ")
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, query, deskQuery(query), key, doc)
	return err
}

// PutSession stores a session.
func (s *Store) PutSession(ctx context.Context, se banban.Session) error {
	if err := s.start(ctx); err != nil {
		return err
	}
	if err := checkKey(se.ID, "登录会话编号"); err != nil {
		return err
	}
	doc, err := encodeDoc(&se, "登录会话")
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, "put session", deskQuery("put_session"), se.ID, se.Username, se.Expires, doc)
	return err
}

// Session returns an unexpired session by id: one whose Expires is after
// now.
func (s *Store) Session(ctx context.Context, id string, now time.Time) (banban.Session, error) {
	var se banban.Session
	expired := banban.Errorf(banban.ENOTFOUND, "登录已失效，请重新登录")
	if err := s.readDoc(ctx, "read session", &se, expired, deskQuery("session"), id); err != nil {
		return banban.Session{}, err
	}
	if !now.Before(se.Expires) {
		return banban.Session{}, expired
	}
	deskrec.UTCTimes(&se.Created, &se.Expires)
	return se, nil
}

// DeleteSession removes a session; an unknown id is ignored.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	_, err := s.exec(ctx, "delete session", deskQuery("delete_session"), id)
	return err
}
