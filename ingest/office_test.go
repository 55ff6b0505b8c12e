package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mingdeng/mingdeng/datasets/warehouse"
	"github.com/mingdeng/mingdeng/datasets/warehouse/warehousetest"
	"github.com/mingdeng/mingdeng/ingest"
)

// Files as offices make them: headers written before reading the contracts, units in headers,
// periods and 政治面貌 as people write them, totals and sign-off lines under the table,
// personal data where no column asks for it. LibreOffice-made workbooks are committed under
// testdata/office.

// rosterCSV is a small roster loaded before files that name people.
const rosterCSV = "工号,姓名,是否党员,党小组,班组\nE001,杨洋,是,G01,T01\nE002,李四,否,,T02\n"

// meetingsCSV are two meetings attendance files can name.
const meetingsCSV = "会议编号,党小组,会议类型,会议日期\nM1,G01,党小组会,2024-03-05\nM2,G02,党小组会,2024-03-06\n"

const surveyItemsCSV = "问卷编号,题目编码,维度,调查对象,量表满分\nS24,Q1,服务,职工,5\nS24,Q2,服务,职工,10\n"

// rejectText is every text _rejects holds for a batch: values, reasons and row data.
func rejectText(t *testing.T, w *warehouse.Warehouse, batch int64) string {
	t.Helper()
	return one(t, w.DB(), "SELECT coalesce(string_agg(CAST(r AS VARCHAR), ' '), '') FROM _rejects r WHERE batch_id = ?", batch)
}

func containsAll(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s lacks %q: %.600s", what, p, text)
		}
	}
}

func containsNone(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(text, p) {
			t.Errorf("%s holds %q: %.600s", what, p, text)
		}
	}
}

func officeCases() []badCase {
	return []badCase{
		// Recognition with evidence.
		{name: "payroll sheet is not the roster", make: file("2024年3月工资表.csv", "序号,工号,姓名,部门,工资\n1,E001,杨洋,线路工区,8000\n2,E002,李四,线路工区,7000\n"),
			want: outcome{status: ingest.StatusFailed, kind: ingest.ErrUnknownDataset, message: "--dataset people", check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				containsAll(t, "message", f.Message, "工号、姓名", "工资表")
			}}},
		// Headers as offices write them.
		{name: "所在党小组 and 所在班组 in a roster", org: true, make: file("人员花名册.csv", "工号,姓名,政治面貌,所在党小组,所在班组\nE001,杨洋,中共党员,G01,T01\nE002,李四,共青团员,,T02\nE003,王五,中共预备党员,检修党小组,检修一班\nE004,赵六,群众,,T01\nE005,孙七,民革党员,,T01\n"),
			want: outcome{status: ingest.StatusLoaded, loaded: 5, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				if got := one(t, w.DB(), "SELECT string_agg(v, ',' ORDER BY v) FROM (SELECT coalesce(group_id, '-') || ':' || team_id || ':' || is_member AS v FROM people)"); got != "-:T01:false,-:T01:false,-:T02:false,G01:T01:true,G02:T02:true" {
					t.Errorf("group:team:member %s", got)
				}
			}}},
		{name: "model-post sheet with 所在班组", org: true, make: file("党员示范岗台账.csv", "示范岗编号,示范岗类型,所在班组,所属党小组,授予日期\nMP1,零违章示范岗,T01,G01,2024-01-05\n"),
			want: outcome{status: ingest.StatusLoaded, loaded: 1, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				if got := one(t, w.DB(), "SELECT team_id || group_id FROM model_posts"); got != "T01G01" {
					t.Errorf("team and group %s", got)
				}
			}}},
		{name: "会议时间 is the meeting date", org: true, make: file("会议记录.csv", "会议编号,党小组,会议类型,会议时间\nM1,G01,党小组会,2024-03-05 14:30\n"),
			want: outcome{status: ingest.StatusLoaded, loaded: 1, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				if got := one(t, w.DB(), "SELECT strftime(held_on, '%Y-%m-%d') FROM meetings"); got != "2024-03-05" {
					t.Errorf("held_on %s", got)
				}
			}}},
		{name: "hours in a minutes column, 责任性质", org: true, make: file("安全事件.csv", "事件编号,班组,发生日期,事件类型,责任性质,停电时长（小时）\nS1,T01,2024-03-05,障碍,责任,2\nS2,T01,2024-03-06,障碍,非责任,1.5\nS3,T01,2024-03-07,障碍,非责任,0.01\n"),
			want: outcome{status: ingest.StatusLoaded, loaded: 2, rejected: map[string]int{"bad_integer": 1}, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				if got := one(t, w.DB(), "SELECT string_agg(event_id || '=' || outage_min || ':' || responsible, ',' ORDER BY event_id) FROM safety_events"); got != "S1=120:true,S2=90:false" {
					t.Errorf("outage minutes %s", got)
				}
				containsAll(t, "batch conversions", one(t, w.DB(), "SELECT CAST(conversions AS VARCHAR) FROM _batches WHERE batch_id = ?", f.BatchID), "停电时长（小时）", "60 分钟")
				containsAll(t, "reason", rejectText(t, w, f.BatchID), "0.01", "换算后为 0.6 分钟", "停电时长（小时）")
				if len(f.Conversions) != 1 || f.Conversions[0].Factor != 60 {
					t.Errorf("conversions %+v", f.Conversions)
				}
			}}},
		{name: "metres in a km column", org: true, make: file("巡视记录.csv", "巡视编号,班组,巡视日期,巡视类型,巡视里程（米）\nP1,T01,2024-03-05,正常巡视,1500\n"),
			want: outcome{status: ingest.StatusLoaded, loaded: 1, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				if got := one(t, w.DB(), "SELECT km FROM patrols"); got != "1.5" {
					t.Errorf("km %s", got)
				}
			}}},
		{name: "a unit that cannot be converted", org: true, make: file("巡视记录.csv", "巡视编号,班组,巡视日期,巡视类型,巡视里程（小时）\nP1,T01,2024-03-05,正常巡视,2\n"),
			want: outcome{status: ingest.StatusFailed, kind: ingest.ErrUnit, message: "巡视里程（小时）"}},
		{name: "half years as written", org: true, make: file("考评.csv", "党小组,考评期间,考评项目,考评维度,得分\nG01,2024年上半年,A1,思想建设,8\nG01,2024上半年,A2,思想建设,8\nG01,2024年7-12月,A1,思想建设,9\nG01,2024年第三季度,A3,思想建设,9\n"),
			want: outcome{status: ingest.StatusLoaded, loaded: 3, rejected: map[string]int{"bad_pattern": 1}, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				if got := one(t, w.DB(), "SELECT string_agg(half || item_code, ',' ORDER BY half, item_code) FROM assessments"); got != "2024H1A1,2024H1A2,2024H2A1" {
					t.Errorf("halves %s", got)
				}
				text := rejectText(t, w, f.BatchID)
				containsAll(t, "reason", text, "2024年第三季度", "2024年上半年")
				containsNone(t, "reason", text, "[0-9]", "^", "H[12]")
			}}},
		{name: "survey answers against their item's scale", org: true, pre: map[string]string{"问卷题目.csv": surveyItemsCSV},
			make: file("满意度答卷.csv", "问卷编号,答卷编号,题目编码,得分,单位\nS24,R1,Q1,5,U01\nS24,R1,Q2,9,U01\nS24,R2,Q1,6,U01\nS24,R2,Q9,3,U01\nS99,R3,Q1,3,U01\n"),
			want: outcome{status: ingest.StatusLoaded, loaded: 2, rejected: map[string]int{"check:score_within_scale": 1, "unknown_reference_part": 1, "unknown_reference": 1}, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				got := query(t, w.DB(), "SELECT source_row, column_name, reason_zh FROM _rejects WHERE batch_id = ? ORDER BY source_row", f.BatchID)
				if len(got) != 3 || got[0][1] != "得分" || got[1][1] != "题目编码" || got[2][1] != "问卷编号" {
					t.Fatalf("rejects %q", got)
				}
				containsAll(t, "scale reason", got[0][2], "“6”", "满分 5 分")
				containsAll(t, "item reason", got[1][2], "“Q9”", "“S24”")
			}}},
		{name: "group filed under another branch", org: true, make: file("会议记录.csv", "会议编号,党小组,党支部,会议类型,会议日期\nM1,检修党小组,B02,党小组会,2024-03-05\nM2,检修党小组,B01,党小组会,2024-03-05\nM3,安全党小组,B01,党小组会,2024-03-05\n"),
			want: outcome{status: ingest.StatusLoaded, loaded: 1, rejected: map[string]int{"out_of_scope": 1, "unknown_reference": 1}, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				containsAll(t, "reason", one(t, w.DB(), "SELECT reason_zh FROM _rejects WHERE batch_id = ? AND reason_code = 'out_of_scope'", f.BatchID), "检修党小组", "G02（B01）")
			}}},
		// Summary rows under a table.
		{name: "totals and sign-off lines", org: true, make: file("巡视记录.csv", "巡视编号,班组,巡视日期,巡视类型,巡视里程\nP1,T01,2024-03-05,正常巡视,10\nP2,T02,2024-03-06,正常巡视,5\n小计,,,,15\n合计,,,,15\n\n备注：P2 为补录\n制表人：杨洋,,,,\n填报日期：2024-07-01,,,,\n"),
			want: outcome{status: ingest.StatusLoaded, loaded: 2, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				if f.Skipped != 5 || f.Blank != 1 || f.RowsRead != 8 {
					t.Errorf("skipped %d blank %d read %d", f.Skipped, f.Blank, f.RowsRead)
				}
				if got := one(t, w.DB(), "SELECT skipped FROM _batches WHERE batch_id = ?", f.BatchID); got != "5" {
					t.Errorf("batch skipped %s", got)
				}
			}}},
		// Privacy in rejects and free text.
		{name: "names on an attendance sheet stay masked in rejects", org: true, pre: map[string]string{"人员.csv": rosterCSV, "会议.csv": meetingsCSV},
			make: file("参会签到表.csv", "会议编号,工号,姓名,出席情况\nM1,E001,杨洋,出席\nM1,E002,李四,迟到\nM9,E001,杨洋,出席\n"),
			want: outcome{status: ingest.StatusLoaded, loaded: 1, rejected: map[string]int{"bad_enum": 1, "unknown_reference": 1}, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				text := rejectText(t, w, f.BatchID)
				containsNone(t, "_rejects", text, "杨洋", "李四", "E001", "E002", "p_")
				containsAll(t, "_rejects", text, "杨*", "李*", "E**1")
			}}},
		{name: "personal values in rejects shown masked", org: true, make: file("人员.csv", "工号,姓名,身份证号,手机号,出生年份\nE010,欧阳丰年,32010219900101293X,13912345678,1890\nE011,张三,320102199001012938,13912345679,1990\nE**2,李四,,,1990\n"),
			want: outcome{status: ingest.StatusLoaded, rejected: map[string]int{"out_of_range": 1, "bad_id_number": 1, "masked_value": 1}, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				text := rejectText(t, w, f.BatchID)
				containsNone(t, "_rejects", text, "欧阳丰年", "32010219900101293X", "13912345678", "320102199001012938", "张三", "E010", "p_")
				containsAll(t, "_rejects", text, "欧***", "3201**********293X", "139****5678", "3201**********2938", "E**0")
			}}},
		{name: "ID and phone numbers in free text masked on ingest", org: true, make: file("安全事件.csv", "事件编号,班组,发生日期,事件类型,事件描述\nS1,T01,2024-03-05,违章,联系人杨洋 139-1234-5678 已到场\nS2,T01,2024-03-06,违章,身份证320102199001012938已核对\nS3,T01,2024-03-07,违章,110kV 线路，工单 20240307\n"),
			want: outcome{status: ingest.StatusLoaded, loaded: 3, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				got := one(t, w.DB(), "SELECT string_agg(description, '|' ORDER BY event_id) FROM safety_events")
				if got != "联系人杨洋 139-****-5678 已到场|身份证3201**********2938已核对|110kV 线路，工单 20240307" {
					t.Errorf("descriptions %s", got)
				}
				if f.Masked != 2 || one(t, w.DB(), "SELECT masked FROM _batches WHERE batch_id = ?", f.BatchID) != "2" {
					t.Errorf("masked %d", f.Masked)
				}
			}}},
		// Files that must not load as if whole.
		{name: "a line longer than the reader takes", make: file("单位.csv", unitsHeader+"U01,线路工区,工区\nU02,"+strings.Repeat("长", 17<<20/3)+",工区\n"),
			want: outcome{status: ingest.StatusFailed, kind: ingest.ErrLongLine, message: "row 3"}},
		{name: "csv cut inside quotes", make: func(t *testing.T, dir string) string {
			body := unitsHeader + "U01,线路工区,工区\nU02,\"城东供电所\n附近的" + "供"
			return writeBytes(t, dir, "单位.csv", []byte(body)[:len(body)-1])
		}, want: outcome{status: ingest.StatusFailed, kind: ingest.ErrFormat, message: "不完整", check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
			containsNone(t, "message", f.Message, "utf-8", "UTF-8", "Invalid", "Error")
		}}},
		// Other spreadsheet formats, made by LibreOffice.
		{name: "ods from LibreOffice", make: committed("../office/单位名册.ods"), want: outcome{status: ingest.StatusFailed, kind: ingest.ErrFormat, message: "另存为 .xlsx"}},
		{name: "xls from LibreOffice", make: committed("../office/单位名册.xls"), want: outcome{status: ingest.StatusFailed, kind: ingest.ErrFormat, message: "另存为 .xlsx"}},
		{name: "LibreOffice roster with 政治面貌", org: true, make: committed("../office/人员花名册.xlsx"),
			want: outcome{status: ingest.StatusLoaded, loaded: 5, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				if got := one(t, w.DB(), "SELECT count(*) FILTER (is_member) || '/' || count(group_id) || '/' || count(team_id) || '/' || count(role) FROM people"); got != "2/2/5/5" {
					t.Errorf("members/groups/teams/roles %s", got)
				}
			}}},
		{name: "LibreOffice safety sheet with units, totals and numbers in text", org: true, make: committed("../office/安全事件台账.xlsx"),
			want: outcome{status: ingest.StatusLoaded, loaded: 2, rejected: map[string]int{"bad_integer": 1}, check: func(t *testing.T, w *warehouse.Warehouse, f ingest.FileResult) {
				if got := one(t, w.DB(), "SELECT string_agg(event_id || '=' || outage_min || ':' || responsible, ',' ORDER BY event_id) FROM safety_events"); got != "S1=120:true,S2=90:false" {
					t.Errorf("events %s", got)
				}
				if f.Skipped != 3 || f.Masked != 2 {
					t.Errorf("skipped %d masked %d", f.Skipped, f.Masked)
				}
				containsNone(t, "descriptions", one(t, w.DB(), "SELECT string_agg(description, '|') FROM safety_events"), "13912345678", "320102199001012938")
				containsNone(t, "rejects", fmt.Sprint(rejectText(t, w, f.BatchID)), "张三")
			}}},
	}
}

// A file updates only the columns it carries; the summary says which columns of how many rows
// changed. A payroll sheet is refused, and loads only its names when named as the roster.
func TestFilesUpdateOnlyTheColumnsTheyCarry(t *testing.T) {
	w := loadOrg(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"人员花名册.csv": "工号,姓名,身份证号,手机号,岗位角色,是否党员,党小组,班组\n" +
		"E001,杨洋,32010219900101293X,13912345678,党小组长,是,G01,T01\nE002,李四,,13912345679,职工,是,G02,T02\nE003,王五,,13912345670,职工,否,,T01\n"})
	if err := ingestOK(t, w, ingest.Options{}, dir).Err(); err != nil {
		t.Fatal(err)
	}
	before := query(t, w.DB(), "SELECT person_id, id_number, role, is_member, group_id, team_id FROM people ORDER BY person_id")
	// A contact update: 工号, 姓名 and a new phone for two people.
	contacts := filepath.Join(t.TempDir(), "通讯录.csv")
	os.WriteFile(contacts, []byte("工号,姓名,手机号\nE001,杨洋,13800000001\nE002,李四,13800000002\nE003,王五,13912345670\n"), 0o644)
	f := ingestOK(t, w, ingest.Options{}, contacts).Files[0]
	if f.Status != ingest.StatusLoaded || f.Dataset != "people" || f.Updated != 2 || f.Unchanged != 1 || f.Loaded != 0 {
		t.Fatalf("%+v", f)
	}
	if fmt.Sprint(f.ChangedColumns) != "map[手机号:2]" {
		t.Errorf("changed columns %v", f.ChangedColumns)
	}
	if got := one(t, w.DB(), "SELECT CAST(changed_columns AS VARCHAR) FROM _batches WHERE batch_id = ?", f.BatchID); got != `{"手机号":2}` {
		t.Errorf("batch changed_columns %s", got)
	}
	after := query(t, w.DB(), "SELECT person_id, id_number, role, is_member, group_id, team_id FROM people ORDER BY person_id")
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("columns the file lacks changed:\nbefore %v\nafter  %v", before, after)
	}
	if got := one(t, w.DB(), "SELECT phone FROM people WHERE person_id = ?", ingest.Pseudonym(testKey, "employee", "E001")); got != ingest.Pseudonym(testKey, "phone", "13800000001") {
		t.Errorf("phone not updated: %s", got)
	}
	// A payroll sheet: refused, naming the candidate; with --dataset people only names load.
	payroll := filepath.Join(t.TempDir(), "工资表.csv")
	os.WriteFile(payroll, []byte("序号,工号,姓名,部门,工资\n1,E001,杨洋,线路工区,8000\n2,E002,李四,线路工区,7000\n3,E009,钱八,线路工区,6000\n"), 0o644)
	f = ingestOK(t, w, ingest.Options{}, payroll).Files[0]
	if f.Status != ingest.StatusFailed || !errors.Is(f.Err, ingest.ErrUnknownDataset) || !strings.Contains(f.Message, "--dataset people") {
		t.Fatalf("payroll: %+v", f)
	}
	f = ingestOK(t, w, ingest.Options{Dataset: "people"}, payroll).Files[0]
	if f.Status != ingest.StatusLoaded || f.Loaded != 1 || f.Unchanged != 2 || len(f.UnknownColumns) != 3 {
		t.Fatalf("payroll as people: %+v", f)
	}
	if after2 := query(t, w.DB(), "SELECT person_id, id_number, role, is_member, group_id, team_id FROM people WHERE person_id <> ? ORDER BY person_id",
		ingest.Pseudonym(testKey, "employee", "E009")); fmt.Sprint(after2) != fmt.Sprint(before) {
		t.Errorf("payroll as people blanked columns:\nbefore %v\nafter  %v", before, after2)
	}
}

// Rows refused because what they refer to was not loaded yet load when the file is ingested
// again after it, without --force; status then counts only the latest batch's rejects.
func TestRowsRefusedForAMissingReferenceAreRetried(t *testing.T) {
	w := loadOrg(t)
	pre := t.TempDir()
	writeFiles(t, pre, map[string]string{"人员.csv": rosterCSV})
	ingestOK(t, w, ingest.Options{}, pre)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"参会记录.csv": "会议编号,工号,出席情况\nM1,E001,出席\nM2,E002,缺席\nM1,E002,请假\n"})
	f := ingestOK(t, w, ingest.Options{}, dir).Files[0]
	if f.Rejected != 3 || !strings.Contains(rejectText(t, w, f.BatchID), "无需 --force") {
		t.Fatalf("first: %+v", f)
	}
	// Nothing new to refer to: skipped as before.
	if f := ingestOK(t, w, ingest.Options{}, dir).Files[0]; f.Status != ingest.StatusSkipped || !strings.Contains(f.Message, "--force") {
		t.Fatalf("second: %+v", f)
	}
	mdir := t.TempDir()
	writeFiles(t, mdir, map[string]string{"会议.csv": meetingsCSV})
	ingestOK(t, w, ingest.Options{}, mdir)
	f = ingestOK(t, w, ingest.Options{}, dir).Files[0]
	if f.Status != ingest.StatusLoaded || f.Loaded != 3 || f.Rejected != 0 || !strings.Contains(f.Message, "已重新读取") {
		t.Fatalf("after the meetings: %+v", f)
	}
	s, err := w.Summary(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if s.Rejects != 0 {
		t.Errorf("status counts %d rejects of stale batches", s.Rejects)
	}
	// And once loaded whole, the same file is skipped again.
	if f := ingestOK(t, w, ingest.Options{}, dir).Files[0]; f.Status != ingest.StatusSkipped {
		t.Fatalf("fourth: %+v", f)
	}
}

// Within one run, a file whose content an earlier file of the run loaded is skipped naming that
// batch, and rows refused for a missing reference are read again when the run has just loaded
// what they refer to.
func TestSameContentTwiceInOneRun(t *testing.T) {
	w := loadOrg(t)
	pre := t.TempDir()
	writeFiles(t, pre, map[string]string{"人员.csv": rosterCSV})
	ingestOK(t, w, ingest.Options{}, pre)
	const attendance = "会议编号,工号,出席情况\nM1,E001,出席\nM2,E002,缺席\nM1,E002,请假\n"
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"参会记录.csv": attendance, "参会记录-副本.csv": attendance})
	files := ingestOK(t, w, ingest.Options{}, dir).Files
	if len(files) != 2 || files[0].Status != ingest.StatusLoaded || files[0].Rejected != 3 ||
		files[1].Status != ingest.StatusSkipped || files[1].BatchID != files[0].BatchID {
		t.Fatalf("two copies: %+v", files)
	}
	again := t.TempDir()
	writeFiles(t, again, map[string]string{"参会记录.csv": attendance, "会议.csv": meetingsCSV})
	files = ingestOK(t, w, ingest.Options{}, again).Files
	if len(files) != 2 || files[1].Status != ingest.StatusLoaded || files[1].Loaded != 3 || !strings.Contains(files[1].Message, "已重新读取") {
		t.Fatalf("with the meetings in the same run: %+v", files)
	}
	files = ingestOK(t, w, ingest.Options{}, dir).Files
	if len(files) != 2 || files[0].Status != ingest.StatusSkipped || files[1].Status != ingest.StatusSkipped {
		t.Fatalf("loaded whole, then both copies: %+v", files)
	}
}

// The warehouse remembers its key's fingerprint: another key is refused before it makes other
// pseudonyms for the same people.
func TestAnotherKeyIsRefused(t *testing.T) {
	w := warehousetest.New(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"人员.csv": "工号,姓名,手机号\nE001,杨洋,13912345678\n"})
	if err := ingestOK(t, w, ingest.Options{}, dir).Err(); err != nil {
		t.Fatal(err)
	}
	if fp, _ := w.StoredKeyFingerprint(context.Background()); fp != warehouse.KeyFingerprint(testKey) {
		t.Fatalf("fingerprint %q", fp)
	}
	other := []byte("another key of 32 characters....")
	f := ingestOK(t, w, ingest.Options{Key: other, Force: true}, dir).Files[0]
	if f.Status != ingest.StatusFailed || !errors.Is(f.Err, warehouse.ErrWrongKey) || !strings.Contains(f.Message, "密钥") {
		t.Fatalf("%+v", f)
	}
	if n := one(t, w.DB(), "SELECT count(*) FROM people"); n != "1" {
		t.Errorf("people %s", n)
	}
	// A file without personal columns does not need the key.
	units := filepath.Join(t.TempDir(), "单位.csv")
	os.WriteFile(units, []byte(unitsHeader+"U01,线路工区,工区\n"), 0o644)
	if f := ingestOK(t, w, ingest.Options{Key: other}, units).Files[0]; f.Status != ingest.StatusLoaded {
		t.Errorf("units with another key: %+v", f)
	}
	t.Setenv(warehouse.KeyEnv, "a")
	if _, err := warehouse.LoadKey(filepath.Join(t.TempDir(), "x.duckdb")); !errors.Is(err, warehouse.ErrKeyTooShort) {
		t.Errorf("MINGDENG_KEY=a: %v", err)
	}
}

// A file rewritten while it is read is refused, and its real content loads later (it is not
// skipped as already loaded).
func TestFileChangedWhileReadIsRefused(t *testing.T) {
	ndjson := func(ids ...string) string {
		var b strings.Builder
		for _, id := range ids {
			fmt.Fprintf(&b, `{"单位编码":%q,"单位名称":"单位%s","单位类型":"工区"}`+"\n", id, id)
		}
		return b.String()
	}
	for _, tc := range []struct{ name, before, after string }{
		{"单位.csv", unitsHeader + "U01,线路工区,工区\nU02,城东供电所,供电所\n", unitsHeader + "U01,线路工区,工区\nU02,城东供电所,供电所\nU03,城西供电所,供电所\n"},
		{"单位.ndjson", ndjson("U01", "U02"), ndjson("U01", "U02", "U03")},
	} {
		w := warehousetest.New(t)
		p := filepath.Join(t.TempDir(), tc.name)
		os.WriteFile(p, []byte(tc.before), 0o644)
		changed := false
		opts := ingest.Options{Progress: func(pr ingest.Progress) {
			if pr.Phase == "read" && !changed {
				changed = true
				os.WriteFile(p+".new", []byte(tc.after), 0o644)
				os.Rename(p+".new", p)
			}
		}}
		f := ingestOK(t, w, opts, p).Files[0]
		if f.Status != ingest.StatusFailed || !errors.Is(f.Err, ingest.ErrChanged) {
			t.Fatalf("%s: %+v", tc.name, f)
		}
		if n := one(t, w.DB(), "SELECT count(*) FROM units"); n != "0" {
			t.Errorf("%s: units %s", tc.name, n)
		}
		f = ingestOK(t, w, ingest.Options{}, p).Files[0]
		if f.Status != ingest.StatusLoaded || f.Loaded != 3 {
			t.Fatalf("%s again: %+v", tc.name, f)
		}
	}
}

// Every file in a folder is loaded or reported with its reason.
func TestEveryFileInAFolderIsReported(t *testing.T) {
	w := warehousetest.New(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"单位.csv": unitsHeader + "U01,线路工区,工区\n", "~$单位.xlsx": "lock", ".~lock.单位.xlsx#": "lock", "说明.docx": "x", ".DS_Store": "x",
	})
	for _, name := range []string{"单位名册.ods", "单位名册.xls"} {
		b, err := os.ReadFile(filepath.Join("testdata", "office", name))
		if err != nil {
			t.Fatal(err)
		}
		writeBytes(t, dir, name, b)
	}
	sum := ingestOK(t, w, ingest.Options{}, dir)
	got := map[string]string{}
	for _, f := range sum.Files {
		got[filepath.Base(f.Path)] = f.Status
		if f.Status != ingest.StatusLoaded && f.Message == "" {
			t.Errorf("%s: %s without a reason", f.Path, f.Status)
		}
	}
	want := map[string]string{"单位.csv": "loaded", "~$单位.xlsx": "ignored", ".~lock.单位.xlsx#": "ignored", "说明.docx": "ignored", ".DS_Store": "ignored",
		"单位名册.ods": "failed", "单位名册.xls": "failed"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("results %v, want %v", got, want)
	}
}
