package banban

import "time"

// Field types of an application form (FORMATS.md section 1, `form`).
const (
	FieldText    = "text"
	FieldNumber  = "number"
	FieldDate    = "date"
	FieldPhone   = "phone"
	FieldIDCard  = "id_card" // 居民身份证号
	FieldUSCC    = "uscc"    // 统一社会信用代码
	FieldAddress = "address"
	FieldEnum    = "enum"
)

// Draft states.
const (
	DraftCollecting = "collecting" // asking for fields
	DraftConfirming = "confirming" // the citizen is shown a masked summary to confirm
	DraftConfirmed  = "confirmed"  // confirmed by the citizen; staff may use it
	DraftCancelled  = "cancelled"
)

// FormDraft is an application form pre-filled from a conversation (一表申请):
// the form of an item, or the union of a bundle's items' forms.
type FormDraft struct {
	// DocID is the item or bundle applied for.
	DocID  string      `json:"doc"`
	Title  string      `json:"title"`
	Fields []FormField `json:"fields"`
	// Values are the checked values by field name. They are personal data:
	// stores keep them only sealed (see Sealed).
	Values map[string]string `json:"-"`
	// Warnings are checks that failed softly by field name (a credit code
	// whose check character does not match, which some early codes do).
	Warnings map[string]string `json:"-"`
	// Sealed is Values and Warnings encrypted for storage (AES-GCM); the
	// help desk seals before saving and opens after loading.
	Sealed []byte `json:"sealed,omitempty"`
	// Asking are the fields asked for in the last question.
	Asking      []string  `json:"asking,omitempty"`
	State       string    `json:"state"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	ConfirmedAt time.Time `json:"confirmed_at,omitzero"`
}
