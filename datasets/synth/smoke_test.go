package synth

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestSmoke(t *testing.T) {
	out := os.Getenv("SYNTH_OUT")
	if out == "" {
		t.Skip()
	}
	start := time.Now()
	m, err := Generate(context.Background(), Options{Scale: Scale(os.Getenv("SYNTH_SCALE")), Seed: 1, Out: out, Messy: os.Getenv("SYNTH_MESSY") != "", Format: Format(os.Getenv("SYNTH_FORMAT"))}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range m.Datasets {
		t.Logf("%s %+v", k, *v)
	}
	t.Logf("clipped %d, %v", m.ClippedRates, time.Since(start))
}
