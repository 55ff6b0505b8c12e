package stats_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/queries/stats"
)

func TestResultJSONForm(t *testing.T) {
	r := stats.WelchT([]float64{1, 2, 3}, []float64{2, 4, 7}, stats.Meta{Activity: "a", Outcome: "o", Lag: 1})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	keys := []string{`"method":"welch_t"`, `"activity":"a"`, `"outcome":"o"`, `"lag":1`, `"n":6`,
		`"estimate":`, `"ci_low":`, `"ci_high":`, `"p":`, `"p_adj":null`, `"warnings":[{"code":"small_n","en":`}
	last := -1
	for _, k := range keys {
		i := strings.Index(s, k)
		if i < 0 || i < last {
			t.Fatalf("key %s missing or out of order in %s", k, s)
		}
		last = i
	}
	for _, k := range []string{`"se":`, `"df":`, `"statistic":`, `"effect_size":`} {
		if !strings.Contains(s, k) {
			t.Errorf("optional %s missing in %s", k, s)
		}
	}
	if strings.Contains(s, `"scope"`) || strings.Contains(s, `"dropped"`) || strings.Contains(s, `"groups"`) {
		t.Errorf("empty optional fields written: %s", s)
	}
	var back stats.Result
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Estimate != r.Estimate || back.DF != r.DF || !math.IsNaN(back.PAdj) || len(back.Warnings) != len(r.Warnings) {
		t.Errorf("round trip: %+v vs %+v", back, r)
	}

	// A degenerate result: core numbers null, warnings an array, never NaN in the output.
	z, _ := stats.Pearson(nil, nil, stats.Meta{})
	b, err = json.Marshal(z)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"method":"pearson","activity":"","outcome":"","lag":0,"n":0,"estimate":null,"ci_low":null,"ci_high":null,"p":null,"p_adj":null,"warnings":[{"code":"too_few",`
	if !strings.HasPrefix(string(b), want) {
		t.Errorf("got %s", b)
	}
	b, _ = json.Marshal(stats.Result{Estimate: 1})
	if !strings.Contains(string(b), `"warnings":[]`) {
		t.Errorf("nil warnings not written as []: %s", b)
	}
}

// FuzzRanks checks the mid-rank code: ranks of the non-NaN values sum to k(k+1)/2, follow the
// order of the values, tie equal values, and the rank methods never panic.
func FuzzRanks(f *testing.F) {
	f.Add([]byte{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5})
	f.Add([]byte{255, 0, 0, 255})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		x := make([]float64, len(data))
		for i, b := range data {
			x[i] = float64(b % 16)
			if b == 255 {
				x[i] = math.NaN()
			}
		}
		r := stats.Ranks(x)
		k, sum := 0, 0.0
		for i := range x {
			if math.IsNaN(x[i]) {
				if !math.IsNaN(r[i]) {
					t.Fatalf("NaN value ranked %v", r[i])
				}
				continue
			}
			k++
			sum += r[i]
			for j := range x {
				if math.IsNaN(x[j]) {
					continue
				}
				if x[i] < x[j] && !(r[i] < r[j]) || x[i] == x[j] && r[i] != r[j] {
					t.Fatalf("ranks %v of %v", r, x)
				}
			}
		}
		if sum != float64(k*(k+1))/2 {
			t.Fatalf("rank sum %v, want %v", sum, k*(k+1)/2)
		}
		h := len(x) / 2
		_ = stats.MannWhitneyU(x[:h], x[h:], stats.Meta{})
		if _, err := stats.Spearman(x[:h], x[h:2*h], stats.Meta{}); err != nil {
			t.Fatal(err)
		}
	})
}
