package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/banban-gov/banban"
)

// cst is China Standard Time as a fixed zone: the suite writes times in it
// and wants them back in UTC.
var cst = time.FixedZone("CST", 8*3600)

// fullConversation is a conversation with every field set, its times of
// whole microseconds in loc.
func fullConversation(loc *time.Location) banban.Conversation {
	at := func(minutes int) time.Time {
		return deskAt(minutes).Add(123456 * time.Microsecond).In(loc)
	}
	cite := banban.Citation{DocID: "gd/id-card", Title: "居民身份证申领", Section: "办理材料", Updated: at(-1440),
		URL: "https://www.gdzwfw.gov.cn/item/1", Score: 0.875}
	return banban.Conversation{
		ID: "web-全字段", Channel: "web", Citizen: "o-citizen-1", Created: at(0), Updated: at(9),
		Focus: banban.Focus{DocIDs: []string{"gd/id-card", "gd/passport"}, Section: "办理材料", Options: []string{"gd/passport"}},
		Messages: []banban.Message{
			{Seq: 1, Role: banban.RoleStaff, Text: "请携带户口簿。", At: at(1), Author: "li", Private: true, Ref: "kfmsg-1",
				Answer: &banban.Answer{Action: banban.ActionClarify, Text: "您办理的是哪一项？", Citations: []banban.Citation{cite},
					Options: []string{"首次申领", "补领"}, Reason: "多个事项"}},
			{Seq: 2, Role: banban.RoleCitizen, Text: "要收费吗？", At: at(2)},
		},
		State: banban.StateWithStaff, Team: "tax", Assignee: "li",
		Handoff: &banban.Handoff{Ticket: "BB20250303-0001", Reason: banban.ReasonComplaint, RequestedAt: at(3),
			Team: "general", Summary: "市民询问身份证补领费用", Sources: []banban.Citation{cite}, Message: "请回电",
			Contact: "138****0000", DueAt: at(600), Status: banban.TicketAccepted, StatusNote: "已受理",
			ClaimedAt: at(4), ClosedAt: at(8)},
		Rating: &banban.Rating{Score: 4, Comment: "满意", At: at(9)},
		Draft: &banban.FormDraft{DocID: "gd/id-card", Title: "居民身份证申领",
			Fields: []banban.FormField{{Name: "id_no", Label: "身份证号", Type: banban.FieldIDCard, Required: true,
				Options: []string{"-"}}},
			Sealed: []byte{0x01, 0x02, 0xfe}, Asking: []string{"id_no"}, State: banban.DraftConfirmed,
			Created: at(5), Updated: at(6), ConfirmedAt: at(7)},
		Failures: 2,
		Events: []banban.Event{{At: at(3), From: banban.StateBot, To: banban.StateWaiting, Actor: "citizen",
			Reason: string(banban.ReasonComplaint), Detail: "tax"}},
	}
}

var timeType = reflect.TypeFor[time.Time]()

// fieldProblems lists the fields of v that are zero (checking the first
// element of slices) and the times that are not in UTC, so that a field
// added to a type later cannot go untested, nor a store return local times.
func fieldProblems(v any) []string {
	var out []string
	walkFields(reflect.ValueOf(v), reflect.TypeOf(v).Name(), &out)
	return out
}

func walkFields(v reflect.Value, path string, out *[]string) {
	switch {
	case v.Type() == timeType:
		t := v.Interface().(time.Time)
		if t.IsZero() {
			*out = append(*out, path+" is zero")
		} else if t.Location() != time.UTC {
			*out = append(*out, fmt.Sprintf("%s is %s, not in UTC", path, t.Format(time.RFC3339Nano)))
		}
	case v.IsZero():
		*out = append(*out, path+" is zero")
	case v.Kind() == reflect.Pointer:
		walkFields(v.Elem(), path, out)
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() != reflect.Uint8:
		walkFields(v.Index(0), path+"[0]", out)
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			// Fields that never reach JSON (a draft's clear values) are
			// not stored, by design: only their sealed form is.
			if f := v.Type().Field(i); f.IsExported() && f.Tag.Get("json") != "-" {
				walkFields(v.Field(i), path+"."+v.Type().Field(i).Name, out)
			}
		}
	}
}

// diffJSON compares the JSON encodings of got and want, which shows times
// as instants with their offset, and returns the first differing line, or
// "" when they match.
func diffJSON(got, want any) string {
	g, err := json.MarshalIndent(got, "", " ")
	if err != nil {
		return fmt.Sprintf("encode got: %v", err)
	}
	w, err := json.MarshalIndent(want, "", " ")
	if err != nil {
		return fmt.Sprintf("encode want: %v", err)
	}
	gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
	for i := range max(len(gl), len(wl)) {
		var a, b string
		if i < len(gl) {
			a = gl[i]
		}
		if i < len(wl) {
			b = wl[i]
		}
		if a != b {
			return fmt.Sprintf("line %d: got %s, want %s", i+1, strings.TrimSpace(a), strings.TrimSpace(b))
		}
	}
	return ""
}

// fullStaff is a staff account with every field set.
func fullStaff(username string, loc *time.Location) banban.Staff {
	return banban.Staff{Username: username, Name: "李" + username, Teams: []string{"tax", "general"},
		PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$ZGlnZXN0", Disabled: true,
		Created: deskAt(-60).Add(7 * time.Microsecond).In(loc)}
}

// fullTeam is a team with every field set.
func fullTeam(id string) banban.Team {
	return banban.Team{ID: id, Name: "税务窗口" + id, Departments: []string{"国家税务总局广州市税务局"}, General: true}
}

// fullOutboxItem is a delivered outbox item with every field set.
func fullOutboxItem(id string, loc *time.Location) banban.OutboxItem {
	it := outboxItem(id, 1, 2)
	it.Created, it.NextAt = it.Created.In(loc), it.NextAt.In(loc)
	it.Attempts, it.LastError, it.Delivered = 3, "接收方返回 503", deskAt(4).Add(time.Microsecond).In(loc)
	return it
}
