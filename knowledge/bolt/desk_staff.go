package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/knowledge/deskrec"
	bbolt "go.etcd.io/bbolt"
)

// PutStaff creates or replaces a staff account.
func (s *Store) PutStaff(ctx context.Context, st banban.Staff) error {
	return s.putDoc(ctx, bucketStaff, st.Username, "用户名", &st)
}

// StaffMember returns one account by username.
func (s *Store) StaffMember(ctx context.Context, username string) (banban.Staff, error) {
	var st banban.Staff
	err := s.getDoc(ctx, bucketStaff, username, &st, banban.Errorf(banban.ENOTFOUND, "找不到工作人员 %s", username))
	deskrec.UTCTimes(&st.Created)
	return st, err
}

// StaffList returns every account by username.
func (s *Store) StaffList(ctx context.Context) ([]banban.Staff, error) {
	list, err := listDocs[banban.Staff](ctx, s, bucketStaff)
	for i := range list {
		deskrec.UTCTimes(&list[i].Created)
	}
	return list, err
}

// PutTeam creates or replaces a team.
func (s *Store) PutTeam(ctx context.Context, t banban.Team) error {
	return s.putDoc(ctx, bucketTeams, t.ID, "团队编号", &t)
}

// Teams returns every team by id.
func (s *Store) Teams(ctx context.Context) ([]banban.Team, error) {
	return listDocs[banban.Team](ctx, s, bucketTeams)
}

// PutSession stores a session.
func (s *Store) PutSession(ctx context.Context, se banban.Session) error {
	return s.putDoc(ctx, bucketSessions, se.ID, "登录会话编号", &se)
}

// Session returns an unexpired session by id: one whose Expires is after
// now.
func (s *Store) Session(ctx context.Context, id string, now time.Time) (banban.Session, error) {
	var se banban.Session
	expired := banban.Errorf(banban.ENOTFOUND, "登录已失效，请重新登录")
	if err := s.getDoc(ctx, bucketSessions, id, &se, expired); err != nil {
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
	if err := s.deskStart(ctx); err != nil {
		return err
	}
	if id == "" {
		return nil
	}
	return s.deskBatch(func(tx *bbolt.Tx) error {
		return deleteAll(entry{b: tx.Bucket(bucketSessions), k: []byte(id)})
	})
}

// putDoc stores v as JSON under key, which what names for the error of an
// empty key.
func (s *Store) putDoc(ctx context.Context, bucket []byte, key, what string, v any) error {
	if err := s.deskStart(ctx); err != nil {
		return err
	}
	if err := checkKey(key, what); err != nil {
		return err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return banban.WrapError(banban.EINVALID, err, "%s 无法保存", key)
	}
	return s.deskBatch(func(tx *bbolt.Tx) error {
		return putAll(entry{tx.Bucket(bucket), []byte(key), raw})
	})
}

// getDoc decodes the JSON under key into v; it returns notFound for a
// missing key.
func (s *Store) getDoc(ctx context.Context, bucket []byte, key string, v any, notFound error) error {
	if err := s.deskStart(ctx); err != nil {
		return err
	}
	return s.deskView(func(tx *bbolt.Tx) error {
		raw := tx.Bucket(bucket).Get([]byte(key))
		if raw == nil {
			return notFound
		}
		if err := json.Unmarshal(raw, v); err != nil {
			return fmt.Errorf("bolt: decode %s %q: %w", bucket, key, err)
		}
		return nil
	})
}

// listDocs decodes every value of a bucket, in key order.
func listDocs[T any](ctx context.Context, s *Store, bucket []byte) ([]T, error) {
	if err := s.deskStart(ctx); err != nil {
		return nil, err
	}
	var out []T
	err := s.deskView(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, raw []byte) error {
			var v T
			if err := json.Unmarshal(raw, &v); err != nil {
				return fmt.Errorf("bolt: decode %s %q: %w", bucket, k, err)
			}
			out = append(out, v)
			return nil
		})
	})
	return out, err
}
