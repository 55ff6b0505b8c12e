// Package stats holds the statistics that link party-group activity (党小组活动) to safety and
// production outcomes in mingdeng, and the concentration measures for awards and model posts.
//
// It provides:
//   - Pearson and Spearman correlation (相关分析) with Fisher-z confidence intervals;
//   - a two-way fixed-effects panel regression (双向固定效应面板回归) by within transformation,
//     with standard errors clustered by party group (CR1);
//   - two-group comparisons of model groups against the rest: Welch's t, Mann–Whitney U with the
//     rank-biserial correlation, Hedges' g;
//   - difference in differences (双重差分) by two-way fixed effects, with a pre-trend check and
//     plain-words warnings about selection;
//   - Benjamini–Hochberg adjusted p-values (多重比较校正) across a run;
//   - warnings for small n, few groups, one dominant group and zero variance;
//   - the Gini coefficient and top-10% share (集中度, the "Matthew effect").
//
// Every method returns Result values with one stable JSON form (see Result and docs/analysis.md).
// Degenerate data (too few observations, zero variance, a regressor without variation inside
// groups) is not an error: the Result carries NaN numbers (JSON null) and a Warning saying why.
// Errors are returned only for unusable input (mismatched lengths, bad parameters); they wrap
// ErrInput so a caller can branch with errors.Is.
//
// The package works on plain Go slices. It does not open the warehouse, run SQL, build the metric
// series or align periods (LagWithin is the one helper for lags), render anything, or import a
// database driver or cgo. It does not decide which tests form one family for the multiple
// comparison correction: the caller passes the families to AdjustBHFamilies. Distributions and linear
// algebra come from gonum; nothing here hand-writes a CDF.
package stats
