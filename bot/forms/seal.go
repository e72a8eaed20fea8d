package forms

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/banban-gov/banban"
)

// KeySize is the length of a sealing key: AES-256.
const KeySize = 32

// sealVersion starts every sealed blob, so that the format can change.
const sealVersion = 1

// Sealer encrypts a draft's values and warnings with AES-256-GCM, so that
// stores never hold them in clear. The item applied for is authenticated
// with them: a blob copied onto a draft for another item does not open.
type Sealer struct {
	// Key is 32 bytes (see ParseKey and NewKey).
	Key []byte
}

// NewKey returns a random key, for a process that has none configured:
// drafts it seals do not survive a restart.
func NewKey() []byte {
	k := make([]byte, KeySize)
	rand.Read(k) // never fails (crypto/rand)
	return k
}

// ParseKey reads a key written as 64 hex digits or as base64 (standard or
// URL alphabet, with or without padding) of 32 bytes.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if k, err := hex.DecodeString(s); err == nil && len(k) == KeySize {
		return k, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, banban.Errorf(banban.EINVALID, "数据加密密钥应为32字节（64位十六进制或base64）")
}

type sealed struct {
	Values   map[string]string `json:"v"`
	Warnings map[string]string `json:"w,omitempty"`
}

// Seal encrypts d's Values and Warnings into d.Sealed. It leaves them in
// memory: their json tags keep them out of what stores write.
func (s Sealer) Seal(d *banban.FormDraft) error {
	if d == nil {
		return nil
	}
	aead, err := s.aead()
	if err != nil {
		return err
	}
	plain, err := json.Marshal(sealed{Values: d.Values, Warnings: d.Warnings})
	if err != nil {
		return fmt.Errorf("encode draft values: %w", err)
	}
	nonce := make([]byte, aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	rand.Read(nonce)
	out := append([]byte{sealVersion}, nonce...)
	d.Sealed = aead.Seal(out, nonce, plain, aad(d))
	return nil
}

// Open decrypts d.Sealed into d.Values and d.Warnings. A draft with
// nothing sealed opens with no values. A wrong key or a damaged blob is an
// error, and d is left as it was.
func (s Sealer) Open(d *banban.FormDraft) error {
	if d == nil {
		return nil
	}
	if len(d.Sealed) == 0 {
		d.Values, d.Warnings = map[string]string{}, map[string]string{}
		return nil
	}
	aead, err := s.aead()
	if err != nil {
		return err
	}
	n := aead.NonceSize()
	if len(d.Sealed) < 1+n || d.Sealed[0] != sealVersion {
		return errors.New("open draft: unknown sealed format")
	}
	plain, err := aead.Open(nil, d.Sealed[1:1+n], d.Sealed[1+n:], aad(d))
	if err != nil {
		return fmt.Errorf("open draft: %w", err)
	}
	var v sealed
	if err := json.Unmarshal(plain, &v); err != nil {
		return fmt.Errorf("decode draft values: %w", err)
	}
	if v.Values == nil {
		v.Values = map[string]string{}
	}
	if v.Warnings == nil {
		v.Warnings = map[string]string{}
	}
	d.Values, d.Warnings = v.Values, v.Warnings
	return nil
}

func (s Sealer) aead() (cipher.AEAD, error) {
	if len(s.Key) != KeySize {
		return nil, fmt.Errorf("seal draft: key is %d bytes, want %d", len(s.Key), KeySize)
	}
	block, err := aes.NewCipher(s.Key)
	if err != nil {
		return nil, fmt.Errorf("seal draft: %w", err)
	}
	return cipher.NewGCM(block)
}

// aad binds a sealed blob to the item its draft applies for. (Not to the
// creation time: a store may keep times less precisely than Go does.)
func aad(d *banban.FormDraft) []byte {
	return []byte("banban-draft-v1\x00" + d.DocID)
}
