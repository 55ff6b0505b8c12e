package stats_test

import (
	"math"
	"testing"

	"github.com/mingdeng/mingdeng/queries/stats"
)

// Every method against R to full precision on one data set with ties (floor, not round: R's
// round and Go's differ at halves). R 4.2 (printed with
// sprintf("%.17g")):
//
//	i <- 1:50; x <- ((i * 37) %% 101) / 10; y <- floor((x * 0.3 + ((i * 53) %% 97) / 20) * 10) / 10
//	a <- y[1:20]; b <- y[21:50]
//	cor.test(x, y); cor.test(x, y, method = "spearman", exact = FALSE)
//	t.test(a, b); t.test(a, b, var.equal = TRUE); wilcox.test(a, b, exact = FALSE)
//	p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.5, 0.001, 0.04), "BH")
//
// The relative tolerance 1e-12 leaves room for summation order only.
func TestAgainstRFullPrecision(t *testing.T) {
	var x, y []float64
	for i := 1; i <= 50; i++ {
		xi := float64((i*37)%101) / 10
		x = append(x, xi)
		y = append(y, math.Floor((xi*0.3+float64((i*53)%97)/20)*10)/10)
	}
	a, b := y[:20], y[20:]
	rel := func(name string, got, want float64) {
		t.Helper()
		if math.IsNaN(got) || math.Abs(got-want) > 1e-12*math.Abs(want) {
			t.Errorf("%s = %.17g, R %.17g", name, got, want)
		}
	}
	p, err := stats.Pearson(x, y, stats.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	rel("pearson r", p.Estimate, 0.59418106889690281)
	rel("pearson t", p.Statistic, 5.11804917471434)
	rel("pearson p", p.P, 5.3864572749170722e-06)
	rel("pearson ci_low", p.CILow, 0.37841980218942145)
	rel("pearson ci_high", p.CIHigh, 0.74870178855619052)
	s, err := stats.Spearman(x, y, stats.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	rel("spearman rho", s.Estimate, 0.60629638490754478)
	rel("spearman p", s.P, 3.0646412686518834e-06)
	w := stats.WelchT(a, b, stats.Meta{})
	rel("welch t", w.Statistic, 0.19314566626322835)
	rel("welch df", w.DF, 42.789335881768856)
	rel("welch p", w.P, 0.84775878067766741)
	rel("welch ci_low", w.CILow, -0.89706491942865141)
	rel("welch ci_high", w.CIHigh, 1.0870649194286519)
	g := stats.HedgesG(a, b, stats.Meta{})
	rel("student t", g.Statistic, 0.19044987400979249)
	rel("student p", g.P, 0.84975982325355037)
	m := stats.MannWhitneyU(a, b, stats.Meta{})
	rel("wilcox W", m.Statistic, 301)
	rel("wilcox p", m.P, 0.99209856667212237)
	want := []float64{0.035000000000000003, 0.055999999999999994, 0.055999999999999994, 0.23333333333333336, 0.5, 0.0070000000000000001, 0.055999999999999994}
	for i, v := range stats.BH([]float64{0.01, 0.04, 0.03, 0.2, 0.5, 0.001, 0.04}) {
		rel("BH", v, want[i])
	}
}
