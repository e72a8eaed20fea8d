package forms

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/banban-gov/banban"
)

func TestSealRoundTrip(t *testing.T) {
	s := Sealer{Key: NewKey()}
	d := newDraft(filled)
	d.Warnings["uscc"] = "校验位不符"
	if err := s.Seal(d); err != nil {
		t.Fatalf("Seal: %v", err)
	}
	stored, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(stored, []byte("11010519491231002X")) || bytes.Contains(stored, []byte("王秀英")) {
		t.Fatalf("stored draft holds values in clear: %s", stored)
	}
	var back banban.FormDraft
	if err := json.Unmarshal(stored, &back); err != nil {
		t.Fatal(err)
	}
	if back.Values != nil {
		t.Fatalf("values came back without opening: %v", back.Values)
	}
	if err := s.Open(&back); err != nil {
		t.Fatalf("Open: %v", err)
	}
	if back.Values["applicant_id"] != "11010519491231002X" || back.Warnings["uscc"] != "校验位不符" {
		t.Errorf("opened values %v warnings %v, want the sealed ones", back.Values, back.Warnings)
	}
}

func TestOpenRefuses(t *testing.T) {
	key := NewKey()
	sealedDraft := func() *banban.FormDraft {
		d := newDraft(filled)
		if err := (Sealer{Key: key}).Seal(d); err != nil {
			t.Fatal(err)
		}
		d.Values = nil
		return d
	}
	tests := []struct {
		name   string
		key    []byte
		change func(d *banban.FormDraft)
	}{
		{"other key", NewKey(), func(*banban.FormDraft) {}},
		{"short key", key[:16], func(*banban.FormDraft) {}},
		{"flipped bit", key, func(d *banban.FormDraft) { d.Sealed[len(d.Sealed)-1] ^= 1 }},
		{"moved to another item", key, func(d *banban.FormDraft) { d.DocID = "cr-passport" }},
		{"unknown version", key, func(d *banban.FormDraft) { d.Sealed[0] = 9 }},
		{"truncated", key, func(d *banban.FormDraft) { d.Sealed = d.Sealed[:5] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sealedDraft()
			tt.change(d)
			if err := (Sealer{Key: tt.key}).Open(d); err == nil {
				t.Fatalf("Open succeeded with values %v, want an error", d.Values)
			}
			if d.Values != nil {
				t.Errorf("failed Open set values %v", d.Values)
			}
		})
	}
}

func TestParseKey(t *testing.T) {
	key := NewKey()
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"hex", hex.EncodeToString(key), true},
		{"base64", base64.StdEncoding.EncodeToString(key), true},
		{"base64 url raw", base64.RawURLEncoding.EncodeToString(key), true},
		{"with newline", hex.EncodeToString(key) + "\n", true},
		{"too short", hex.EncodeToString(key[:16]), false},
		{"passphrase", "correct horse battery staple", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseKey(tt.in)
			if (err == nil) != tt.ok || tt.ok && !bytes.Equal(got, key) {
				t.Errorf("ParseKey(%q) = %x, %v; want ok %v", tt.in, got, err, tt.ok)
			}
			if err != nil && !strings.Contains(banban.ErrorMessage(err), "32") {
				t.Errorf("error %v does not say the key length", err)
			}
		})
	}
}
