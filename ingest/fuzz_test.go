package ingest_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mingdeng/mingdeng/datasets"
	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/ingest"
)

func TestNormalizerReadsEveryMessyForm(t *testing.T) {
	w := warehousetest.New(t)
	n, err := ingest.NewNormalizer(context.Background(), w.DB())
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	day := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		typ  datasets.Type
		raw  string
		want any
	}{
		{datasets.TypeDate, "2024-03-05", day}, {datasets.TypeDate, "2024/3/5", day}, {datasets.TypeDate, "2024年3月5日", day},
		{datasets.TypeDate, "20240305", day}, {datasets.TypeDate, "45356", day}, {datasets.TypeDate, "２０２４－０３－０５", day},
		{datasets.TypeDate, " 2024.3.5 ", day}, {datasets.TypeDate, "2024-03-05 08:30:00", day}, {datasets.TypeDate, "2024/3/5 8:30", day},
		{datasets.TypeDate, "5-Mar-2024", day}, {datasets.TypeDate, "2024-02-30", nil}, {datasets.TypeDate, "3月5日", nil}, {datasets.TypeDate, "待定", nil},
		{datasets.TypeNumber, "1,234.5", 1234.5}, {datasets.TypeNumber, "１２３", 123.0}, {datasets.TypeNumber, "85%", 0.85},
		{datasets.TypeNumber, "1.5万", 15000.0}, {datasets.TypeNumber, " 12 ", 12.0}, {datasets.TypeNumber, "12,34", nil}, {datasets.TypeNumber, "abc", nil},
		{datasets.TypeInteger, "22", int64(22)}, {datasets.TypeInteger, "22.0", int64(22)}, {datasets.TypeInteger, "22.5", nil}, {datasets.TypeInteger, "1,200", int64(1200)},
		{datasets.TypeInteger, "1.2万", int64(12000)}, {datasets.TypeInteger, "-3.0", int64(-3)}, {datasets.TypeInteger, "1e3", int64(1000)},
		{datasets.TypeInteger, "10000000000000000", nil}, {datasets.TypeInteger, "50%", nil}, {datasets.TypeInteger, "abc", nil},
		{datasets.TypeBool, "是", true}, {datasets.TypeBool, "否", false}, {datasets.TypeBool, "Y", true}, {datasets.TypeBool, "群众", false}, {datasets.TypeBool, "也许", nil},
	}
	for _, tt := range tests {
		got, err := n.Value(context.Background(), tt.typ, tt.raw)
		if err != nil {
			t.Fatalf("%s %q: %v", tt.typ, tt.raw, err)
		}
		if tm, ok := got.(time.Time); ok {
			got = tm.UTC()
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s %q = %v, want %v", tt.typ, tt.raw, got, tt.want)
		}
	}
}

func FuzzNormalizeHeader(f *testing.F) {
	for _, s := range []string{"巡视里程(km)", "  会议日期 ", "Patrol ID", "ＫＭ（千米）", "*班组", "", "(", "（）"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		n := ingest.NormalizeHeader(h)
		if utf8.ValidString(h) && !utf8.ValidString(n) {
			t.Fatalf("invalid UTF-8 from %q", h)
		}
		if strings.ContainsAny(n, " _\t") {
			t.Fatalf("%q normalised to %q", h, n)
		}
		// Recognising a row of such headers never panics.
		_, _ = ingest.Recognize([]string{h, n, "班组", h + "编码"}, h+".csv", "")
	})
}

func FuzzDetectEncoding(f *testing.F) {
	for _, s := range []string{"单位编码,单位名称\n", "\xb5\xa5\xce\xbb", "\ufeffa,b", "\xff\xfea\x00", "abc\xe4\xb8"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		enc := ingest.DetectEncoding(b)
		if utf8.Valid(b) && !(len(b) >= 2 && (b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF)) && enc != ingest.EncodingUTF8 {
			t.Fatalf("valid UTF-8 detected as %s", enc)
		}
	})
}

// FuzzDateAndNumber runs arbitrary text through the SQL that types dates and numbers: it never
// fails, a date is within 1900–2100 or rejected later, and a date written in any supported
// form reads back as itself.
func FuzzDateAndNumber(f *testing.F) {
	for _, s := range []string{"2024-03-05", "45356", "1,234.5", "50%", "1.5万", "２０２４年３月５日", "-0", "1e308", "nan", "9999999999999999999"} {
		f.Add(s, int32(19787))
	}
	w := warehousetest.New(f)
	n, err := ingest.NewNormalizer(context.Background(), w.DB())
	if err != nil {
		f.Fatal(err)
	}
	defer n.Close()
	f.Fuzz(func(t *testing.T, raw string, days int32) {
		ctx := context.Background()
		for _, typ := range []datasets.Type{datasets.TypeDate, datasets.TypeNumber, datasets.TypeInteger, datasets.TypeBool} {
			if _, err := n.Value(ctx, typ, raw); err != nil && utf8.ValidString(raw) && !strings.ContainsRune(raw, 0) {
				t.Fatalf("%s %q: %v", typ, raw, err)
			}
		}
		d := time.Unix(0, 0).UTC().AddDate(0, 0, int(days%40000))
		if d.Year() < 1930 || d.Year() > 2090 {
			return
		}
		for _, form := range []string{"2006-01-02", "2006/1/2", "2006年1月2日", "20060102"} {
			got, err := n.Value(ctx, datasets.TypeDate, d.Format(form))
			if err != nil {
				t.Fatal(err)
			}
			if tm, ok := got.(time.Time); !ok || !tm.UTC().Equal(d) {
				t.Fatalf("%q read as %v", d.Format(form), got)
			}
		}
		serial := fmt.Sprint(int(math.Round(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)))
		if len(serial) == 5 {
			if got, _ := n.Value(ctx, datasets.TypeDate, serial); got == nil || !got.(time.Time).UTC().Equal(d) {
				t.Fatalf("serial %s read as %v, want %v", serial, got, d)
			}
		}
	})
}
