package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"sync"

	"github.com/banban-gov/banban"
)

// cookieName is the staff session cookie. It holds a random token; the
// store keeps only its hash.
const cookieName = "banban_staff"

// signedIn is the staff member a request acts for.
type signedIn struct {
	token   string
	session banban.Session
	staff   banban.Staff
}

type staffKey struct{}

func staffOf(r *http.Request) signedIn {
	v, _ := r.Context().Value(staffKey{}).(signedIn)
	return v
}

// staffOnly lets through requests with a live session; every request that
// may change something must also echo the session's CSRF token in
// X-CSRF-Token (cross-site requests were already refused by guard).
func (s *Server) staffOnly(h http.HandlerFunc) http.Handler {
	return s.staffGate(h, s.fail)
}

// staffGate is staffOnly with the refusal written by fail, so pages can
// answer with a page rather than JSON.
func (s *Server) staffGate(h http.HandlerFunc, fail func(http.ResponseWriter, *http.Request, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var token string
		if c, err := r.Cookie(cookieName); err == nil {
			token = c.Value
		}
		sess, st, err := s.desk.SessionStaff(r.Context(), token)
		if err != nil {
			if banban.ErrorCode(err) == banban.ENOTFOUND {
				err = banban.WrapError(codeUnauthorized, err, msgSignInFirst)
			}
			fail(w, r, err)
			return
		}
		noteStaff(r, st.Username)
		if !safeMethod(r.Method) && !sameToken(r.Header.Get("X-CSRF-Token"), sess.CSRF) {
			fail(w, r, banban.Errorf(codeForbidden, msgCSRF))
			return
		}
		ctx := context.WithValue(r.Context(), staffKey{}, signedIn{token: token, session: sess, staff: st})
		h(w, r.WithContext(ctx))
	})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// sameToken compares in constant time, so the time taken does not tell how
// much of a guessed token was right.
func sameToken(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type staffView struct {
	Username string   `json:"username"`
	Name     string   `json:"name"`
	Teams    []string `json:"teams"`
	Disabled bool     `json:"disabled,omitempty"`
}

func viewStaff(st banban.Staff) staffView {
	v := staffView{Username: st.Username, Name: displayName(st), Teams: st.Teams, Disabled: st.Disabled}
	if v.Teams == nil {
		v.Teams = []string{}
	}
	return v
}

// login signs a staff member in (POST /api/staff/login). Failed tries are
// limited per address; every failure gets the same answer.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ip := s.clientIP(r)
	if ok, wait := s.loginLimit.ready(ip); !ok {
		s.tooMany(w, r, wait)
		return
	}
	var req loginRequest
	if err := s.decode(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	noteStaff(r, req.Username)
	token, sess, err := s.desk.SignIn(r.Context(), req.Username, req.Password)
	if err == nil {
		_, st, err2 := s.desk.SessionStaff(r.Context(), token)
		if err = err2; err == nil {
			s.setCookie(w, r, token, sess)
			writeJSON(w, http.StatusOK, map[string]any{"csrf": sess.CSRF, "staff": viewStaff(st)})
			return
		}
	}
	if banban.ErrorCode(err) == banban.EINVALID {
		s.loginLimit.take(ip)
		err = banban.WrapError(codeUnauthorized, err, "%s", banban.ErrorMessage(err))
	}
	s.fail(w, r, err)
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, token string, sess banban.Session) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, Path: "/", Expires: sess.Expires,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.cfg.SecureCookie || r.TLS != nil})
}

// logout ends the session (POST /api/staff/logout).
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	me := staffOf(r)
	if err := s.desk.SignOut(r.Context(), me.token); err != nil {
		s.fail(w, r, err)
		return
	}
	s.desk.Leave(me.staff.Username)
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.cfg.SecureCookie || r.TLS != nil})
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

// presence counts each staff member's open consoles, so closing one of two
// tabs does not report them gone.
type presence struct {
	mu    sync.Mutex
	count map[string]int
}

// enter records an open console.
func (s *Server) enter(username string) {
	s.online.mu.Lock()
	defer s.online.mu.Unlock()
	if s.online.count == nil {
		s.online.count = map[string]int{}
	}
	s.online.count[username]++
	s.desk.Touch(username)
}

// exit records a closed console; the last one closing reports them gone.
func (s *Server) exit(username string) {
	s.online.mu.Lock()
	defer s.online.mu.Unlock()
	if s.online.count[username]--; s.online.count[username] <= 0 {
		delete(s.online.count, username)
		s.desk.Leave(username)
	}
}
