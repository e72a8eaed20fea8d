package wechat

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/banban-gov/banban"
	"github.com/banban-gov/banban/bot/desk"
	"github.com/banban-gov/banban/channels/chatview"
)

// sessionPrefix marks mini-program sessions among the desk's sessions, so
// a staff token is no mini-program token and a mini-program token signs
// no staff member in (no staff account has this name).
const sessionPrefix = "mp:"

// mpUser is the signed-in mini-program user a request acts for.
type mpUser struct {
	hash string // userHash of the openid
	conv string // their conversation id
}

func (c *Channel) mpRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/mp/login", c.login)
	mux.HandleFunc("POST /api/mp/chat", c.mpOnly(c.mpChat))
	mux.HandleFunc("GET /api/mp/conversation", c.mpOnly(c.mpConversation))
	mux.HandleFunc("POST /api/mp/handoff", c.mpOnly(c.mpHandoff))
	mux.HandleFunc("POST /api/mp/cancel", c.mpOnly(c.mpCancel))
	mux.HandleFunc("POST /api/mp/leave-message", c.mpOnly(c.mpLeave))
	mux.HandleFunc("POST /api/mp/rating", c.mpOnly(c.mpRate))
	mux.HandleFunc("/api/mp/", func(w http.ResponseWriter, r *http.Request) {
		c.fail(w, r, banban.Errorf(banban.ENOTFOUND, msgNoRoute))
	})
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// login exchanges a wx.login code for our own session token (POST
// /api/mp/login {code}). WeChat's session_key stays on the server side of
// code2session and is not kept: Banban decrypts no user data.
func (c *Channel) login(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Code string `json:"code"`
	}
	if err := decode(w, r, &req); err != nil {
		c.fail(w, r, err)
		return
	}
	if strings.TrimSpace(req.Code) == "" {
		c.fail(w, r, banban.Errorf(banban.EINVALID, msgNoCode))
		return
	}
	openID, err := c.api.code2Session(r.Context(), req.Code)
	if err != nil {
		c.fail(w, r, banban.WrapError(codeUnauthorized, err, msgLogin))
		return
	}
	hash := userHash(c.cfg.MP.AppID, openID)
	c.openIDs.Store(hash, openID)
	token, now := randomToken(), c.now()
	sess := banban.Session{ID: tokenHash(token), Username: sessionPrefix + hash, Created: now,
		Expires: now.Add(c.cfg.MP.SessionTTL)}
	if err := c.sessions.PutSession(r.Context(), sess); err != nil {
		c.fail(w, r, err)
		return
	}
	c.seenNow(prefixMP + hash)
	writeJSON(w, http.StatusOK, loginResponse{Token: token, ExpiresAt: sess.Expires})
}

// mpOnly lets through requests with a live mini-program session token in
// Authorization: Bearer, and counts them as the user being present.
func (c *Channel) mpOnly(h func(http.ResponseWriter, *http.Request, mpUser)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			c.fail(w, r, banban.Errorf(codeUnauthorized, msgSignIn))
			return
		}
		sess, err := c.sessions.Session(r.Context(), tokenHash(token), c.now())
		hash, isMP := strings.CutPrefix(sess.Username, sessionPrefix)
		if err != nil || !isMP {
			if err == nil || banban.ErrorCode(err) == banban.ENOTFOUND {
				err = banban.Errorf(codeUnauthorized, msgSignIn)
			}
			c.fail(w, r, err)
			return
		}
		u := mpUser{hash: hash, conv: prefixMP + hash}
		c.seenNow(u.conv)
		if r.Method == http.MethodPost && !c.limit(w, r, u) {
			return
		}
		h(w, r, u)
	}
}

// openID finds the user's openid: remembered since sign-in, or kept on
// their conversation. A user unknown to both (a restart before their first
// message) must sign in again, which the mini-program does silently.
func (c *Channel) openID(ctx context.Context, u mpUser) (string, error) {
	if v, ok := c.openIDs.Load(u.hash); ok {
		return v.(string), nil
	}
	conv, err := c.desk.Conversation(ctx, u.conv)
	if err == nil && conv.Citizen != "" {
		c.openIDs.Store(u.hash, conv.Citizen)
		return conv.Citizen, nil
	}
	if err != nil && banban.ErrorCode(err) != banban.ENOTFOUND {
		return "", err
	}
	return "", banban.Errorf(codeUnauthorized, msgSignIn)
}

// mpChat answers one message (POST /api/mp/chat {text}) with the web
// chat's reply JSON.
func (c *Channel) mpChat(w http.ResponseWriter, r *http.Request, u mpUser) {
	var req struct {
		Text string `json:"text"`
	}
	if err := decode(w, r, &req); err != nil {
		c.fail(w, r, err)
		return
	}
	c.respond(w, r, func(ctx context.Context) (any, error) {
		openID, err := c.openID(ctx, u)
		if err != nil {
			return nil, err
		}
		out, err := c.desk.Send(ctx, desk.Incoming{ConversationID: u.conv, Channel: ChannelMP, Citizen: openID,
			Text: req.Text}, nil)
		if err != nil {
			return nil, err
		}
		return c.chatResponse(ctx, out)
	})
}

// mpConversation returns what the citizen sees (GET
// /api/mp/conversation?after=N): polling it is how the mini-program gets
// staff replies, and counts as being present.
func (c *Channel) mpConversation(w http.ResponseWriter, r *http.Request, u mpUser) {
	after, _ := strconv.Atoi(r.URL.Query().Get("after"))
	c.respond(w, r, func(ctx context.Context) (any, error) {
		conv, err := c.desk.Conversation(ctx, u.conv)
		if banban.ErrorCode(err) == banban.ENOTFOUND {
			conv, err = banban.Conversation{ID: u.conv, State: banban.StateBot}, nil
		}
		if err != nil {
			return nil, err
		}
		v := chatview.Conversation{ConversationID: conv.ID, Availability: chatview.AvailabilityOf(c.desk.Availability()),
			Messages: c.publicMessages(ctx, conv.Messages, after), Rating: chatview.RatingOf(conv),
			Draft: chatview.DraftOf(conv, "")}
		v.State, err = c.stateOf(ctx, conv, 0)
		return v, err
	})
}

// mpHandoff asks for a human (转人工, POST /api/mp/handoff).
func (c *Channel) mpHandoff(w http.ResponseWriter, r *http.Request, u mpUser) {
	c.respond(w, r, func(ctx context.Context) (any, error) {
		out, err := c.desk.RequestHuman(ctx, u.conv)
		if err != nil {
			return nil, err
		}
		resp := chatview.Handoff{OfferMessage: out.OfferMessage, Notices: c.publicMessages(ctx, out.Notices, 0)}
		resp.State, err = c.stateOf(ctx, out.Conversation, out.Position)
		return resp, err
	})
}

// mpCancel takes back an unclaimed handoff (POST /api/mp/cancel).
func (c *Channel) mpCancel(w http.ResponseWriter, r *http.Request, u mpUser) {
	c.respond(w, r, func(ctx context.Context) (any, error) {
		conv, err := c.desk.CancelWait(ctx, u.conv)
		if err != nil {
			return nil, err
		}
		return c.stateOf(ctx, conv, 0)
	})
}

// mpLeave leaves a message for staff when nobody can answer now (POST
// /api/mp/leave-message {text, contact}).
func (c *Channel) mpLeave(w http.ResponseWriter, r *http.Request, u mpUser) {
	var req struct {
		Text    string `json:"text"`
		Contact string `json:"contact"`
	}
	if err := decode(w, r, &req); err != nil {
		c.fail(w, r, err)
		return
	}
	c.respond(w, r, func(ctx context.Context) (any, error) {
		conv, err := c.desk.LeaveMessage(ctx, u.conv, req.Text, req.Contact)
		if err != nil {
			return nil, err
		}
		return c.stateOf(ctx, conv, 0)
	})
}

// mpRate stores the 好差评 (POST /api/mp/rating {score, comment}).
func (c *Channel) mpRate(w http.ResponseWriter, r *http.Request, u mpUser) {
	var req struct {
		Score   int    `json:"score"`
		Comment string `json:"comment"`
	}
	if err := decode(w, r, &req); err != nil {
		c.fail(w, r, err)
		return
	}
	c.respond(w, r, func(ctx context.Context) (any, error) {
		if _, err := c.desk.Rate(ctx, u.conv, req.Score, req.Comment); err != nil {
			return nil, err
		}
		return map[string]bool{"ok": true}, nil
	})
}

// respond runs act and writes its result or its error.
func (c *Channel) respond(w http.ResponseWriter, r *http.Request, act func(ctx context.Context) (any, error)) {
	v, err := act(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is how sessions are stored: the hex SHA-256 of the token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
