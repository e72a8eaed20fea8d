package desk

import (
	"context"
	"fmt"
	"strings"

	"github.com/banban-gov/banban"
)

// PutTeam creates or updates a team.
func (d *Desk) PutTeam(ctx context.Context, t banban.Team) error {
	t.ID, t.Name = strings.TrimSpace(t.ID), strings.TrimSpace(t.Name)
	if !validID(t.ID) || len(t.ID) > 64 {
		return banban.Errorf(banban.EINVALID, "工作组编号只能包含字母、数字、- 和 _，且不超过64个字符")
	}
	if t.Name == "" {
		t.Name = t.ID
	}
	if err := d.store.PutTeam(ctx, t); err != nil {
		return fmt.Errorf("save team: %w", err)
	}
	return nil
}

// Teams returns every team.
func (d *Desk) Teams(ctx context.Context) ([]banban.Team, error) {
	return d.store.Teams(ctx)
}

// StaffList returns every staff account.
func (d *Desk) StaffList(ctx context.Context) ([]banban.Staff, error) {
	return d.store.StaffList(ctx)
}
