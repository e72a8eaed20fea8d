package forms

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/banban-gov/banban"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// confirmedDraft is a confirmed 食品经营许可 draft with a soft warning and
// a value that must be escaped in HTML.
func confirmedDraft() *banban.FormDraft {
	at := time.Date(2026, 11, 23, 10, 30, 0, 0, CST)
	return &banban.FormDraft{DocID: "qy-food-license", Title: "食品经营许可", State: banban.DraftConfirmed,
		Fields: []banban.FormField{
			{Name: "operator", Label: "经营者名称", Type: banban.FieldText, Required: true},
			{Name: "uscc", Label: "统一社会信用代码", Type: banban.FieldUSCC, Required: true},
			{Name: "phone", Label: "联系电话", Type: banban.FieldPhone, Required: true},
			{Name: "area", Label: "经营场所面积（平方米）", Type: banban.FieldNumber},
		},
		Values:   map[string]string{"operator": "示例市<好味道>餐饮店", "uscc": "91350100M000100Y44", "phone": "13800138000", "area": ""},
		Warnings: map[string]string{"uscc": warnUSCC},
		Created:  at.Add(-10 * time.Minute), Updated: at, ConfirmedAt: at}
}

func TestJSON(t *testing.T) {
	got, err := JSON(confirmedDraft())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "draft.json", got)
}

func TestHTML(t *testing.T) {
	var buf bytes.Buffer
	if err := HTML(&buf, confirmedDraft()); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{"食品经营许可申请表", "申请人已确认", "示例市&lt;好味道&gt;餐饮店", "提示：校验位", "@media print", "未填写"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	golden(t, "draft.html", buf.Bytes())
}

func TestMaskedExport(t *testing.T) {
	got, err := JSON(Masked(confirmedDraft()))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(got, []byte("13800138000")) || !bytes.Contains(got, []byte("138****8000")) {
		t.Errorf("masked export = %s, want the phone masked", got)
	}
}

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n%s", name, got)
	}
}
