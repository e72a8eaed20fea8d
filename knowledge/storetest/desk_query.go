package storetest

import (
	"fmt"
	"testing"

	"github.com/banban-gov/banban"
)

// convSpec describes a queue fixture: requested < 0 means no handoff;
// times are minutes after deskT0.
type convSpec struct {
	id                               string
	state                            banban.ConvState
	team, assignee, channel, citizen string
	requested, updated               int
}

func (s convSpec) conv() banban.Conversation {
	c := textConv(s.id, "fixture "+s.id, deskAt(s.updated))
	c.State, c.Team, c.Assignee, c.Channel, c.Citizen = s.state, s.team, s.assignee, s.channel, s.citizen
	if s.requested >= 0 {
		c.Handoff = &banban.Handoff{Ticket: "T-" + s.id, RequestedAt: deskAt(s.requested), Team: s.team}
	}
	return c
}

// queueSpecs is a help desk's conversations. In the order the store
// returns them: the waiting ones by request, oldest first (w2 and w3 asked
// at the same minute: by id), then the others by last update, newest first
// (b1 and b2 at the same minute: by id): w2 w3 w1 s1 s2 b1 b2 r1.
var queueSpecs = []convSpec{
	{"b2", banban.StateBot, "", "", "wechat", "o-1", -1, 30},
	{"w1", banban.StateWaiting, "tax", "", "web", "", 20, 21},
	{"r1", banban.StateResolved, "tax", "li", "web", "", 1, 5},
	{"w3", banban.StateWaiting, "social", "", "web", "", 10, 11},
	{"s1", banban.StateWithStaff, "tax", "li", "web", "", 5, 50},
	{"b1", "", "", "", "web", "", -1, 30}, // the zero state is the bot's
	{"w2", banban.StateWaiting, "tax", "", "wechat", "o-1", 10, 40},
	{"s2", banban.StateWithStaff, "social", "wang", "wechat", "o-2", 6, 35},
}

func testQueryFilters(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	for _, s := range queueSpecs {
		c := s.conv()
		h.save(&c)
	}
	waiting, withStaff := banban.StateWaiting, banban.StateWithStaff
	states := func(s ...banban.ConvState) []banban.ConvState { return s }
	cases := []struct {
		name string
		q    banban.ConversationQuery
		want []string
	}{
		{"All", banban.ConversationQuery{}, []string{"w2", "w3", "w1", "s1", "s2", "b1", "b2", "r1"}},
		{"Waiting", banban.ConversationQuery{States: states(waiting)}, []string{"w2", "w3", "w1"}},
		{"WaitingForTeam", banban.ConversationQuery{States: states(waiting), Team: "tax"}, []string{"w2", "w1"}},
		{"Assigned", banban.ConversationQuery{States: states(withStaff), Assignee: "li"}, []string{"s1"}},
		{"AssigneeAnyState", banban.ConversationQuery{Assignee: "li"}, []string{"s1", "r1"}},
		{"BotIncludesZeroState", banban.ConversationQuery{States: states(banban.StateBot)}, []string{"b1", "b2"}},
		{"SeveralStates", banban.ConversationQuery{States: states(banban.StateResolved, waiting)}, []string{"w2", "w3", "w1", "r1"}},
		{"Channel", banban.ConversationQuery{Channel: "wechat"}, []string{"w2", "s2", "b2"}},
		{"Citizen", banban.ConversationQuery{Citizen: "o-1"}, []string{"w2", "b2"}},
		{"UpdatedBeforeIsStrict", banban.ConversationQuery{UpdatedBefore: deskAt(30)}, []string{"w3", "w1", "r1"}},
		{"UpdatedBefore", banban.ConversationQuery{UpdatedBefore: deskAt(31)}, []string{"w3", "w1", "b1", "b2", "r1"}},
		{"Combined", banban.ConversationQuery{Team: "tax", Channel: "web"}, []string{"w1", "s1", "r1"}},
		{"Limit", banban.ConversationQuery{Limit: 2}, []string{"w2", "w3"}},
		{"LimitAcrossStates", banban.ConversationQuery{States: states(withStaff, banban.StateBot), Limit: 3}, []string{"s1", "s2", "b1"}},
		{"NoMatch", banban.ConversationQuery{Team: "nobody"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantIDs(t, fmt.Sprintf("Conversations(%+v)", tc.q), h.queryIDs(tc.q), tc.want)
		})
	}
}

// testQueryDefaultLimit stores more conversations than the default limit:
// a query without a limit returns the 200 most recently updated.
func testQueryDefaultLimit(t *testing.T, open DeskOpener) {
	h := newDesk(t, open)
	const n = 205
	convs := make([]banban.Conversation, n)
	for i := range convs {
		convs[i] = textConv(fmt.Sprintf("web-%03d", i), "你好", deskAt(i))
	}
	h.saveAll(convs)
	got := h.queryIDs(banban.ConversationQuery{})
	if len(got) != 200 {
		t.Fatalf("Conversations without a limit: got %d, want 200", len(got))
	}
	if got[0] != "web-204" || got[199] != "web-005" {
		t.Errorf("Conversations without a limit: got %s ... %s, want web-204 ... web-005", got[0], got[199])
	}
	if got := h.queryIDs(banban.ConversationQuery{Limit: n + 10}); len(got) != n {
		t.Errorf("Conversations with a limit of %d: got %d, want %d", n+10, len(got), n)
	}
}
