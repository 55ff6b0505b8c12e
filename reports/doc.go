// Package reports turns analysis results into the pages people hand to their leadership: the
// company evaluation (党建成效评估报告), the annual research write-up (年度调研课题报告) and the
// drill-down for one party group. A report is built from plain data (EvaluationData, AnnualData,
// GroupData) that the CLI fills from package queries, into a Report: sections of paragraphs,
// headline figures, charts and tables. A Report is written as one self-contained HTML file
// (ECharts inlined, no network needed), as Markdown, and its tables as an XLSX workbook.
//
// Charts are ECharts option objects built from go-echarts' typed option structs (echarts.go:
// package opts and charts.SingleSeries, a few extended with fields go-echarts lacks), but not
// rendered through go-echarts: its pages load ECharts from a host URL and carry JavaScript
// functions as raw strings, while these reports need the script inlined, one escaping tooltip
// formatter shared by every chart, and option JSON that is stable byte for byte for the golden
// tests. OptionJSON writes the option with encoding/json (which escapes <, > and &); the page and
// the DOCX pictures (reports/chartimage) both take that JSON, and
// every tooltip goes through a formatter that escapes HTML, so names from the data cannot inject
// markup.
//
// The package never opens the database and imports no cgo, so its tests are fast.
package reports
