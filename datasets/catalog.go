package datasets

import (
	"fmt"
	"sort"
)

// Shared reference columns: files name the unit, branch, group, team or person by code or name.
var (
	unitRef   = text("unit_id", "单位", "Unit", "单位编码", "单位代码", "所属单位", "单位名称", "工区", "供电所", "部门", "unit", "unit code", "unit_id", "unit name")
	branchRef = text("branch_id", "党支部", "Branch", "支部", "支部编码", "党支部编码", "所属支部", "所属党支部", "党支部名称", "branch", "branch code", "branch_id")
	groupRef  = text("group_id", "党小组", "Party group", "党小组编码", "小组编码", "所属党小组", "党小组名称", "小组", "group", "group code", "group_id", "party group")
	teamRef   = text("team_id", "班组", "Team", "班组编码", "所属班组", "班组名称", "生产班组", "班组代码", "team", "team code", "team_id")
	personRef = text("person_id", "人员", "Person", "工号", "员工编号", "人员编号", "职工编号", "person", "person_id", "employee no", "employee id").
			Pseudonymised(EmployeeNo).
			Describe("人员的化名编号：入库时由工号经加密哈希生成，仓库中不保存工号或姓名。", "A person's pseudonym: a keyed hash of the employee number made on ingest; the warehouse holds no employee number or name.")
	yearCol = integer("year", "年度", "Year", "年份", "考核年度", "评议年度", "year").Within(between(2000, 2100))
)

var halfCol = text("half", "半年度", "Half", "考评期间", "考核期间", "半年", "期间", "半年度", "half", "period").
	Matching(HalfPattern).
	Describe("考评所属半年，如 2024H1（上半年）、2024H2（下半年）；也可写 2024年上半年、2024上半年、2024年1-6月。", "Assessment half, e.g. 2024H1 (first half) or 2024H2 (second half); 2024年上半年, 2024上半年 and 2024年1-6月 are read too.")

// HalfPattern is the stored form of a half year (2024H1); ingest also reads the written forms
// offices use (2024年上半年, 2024上半年, 2024年1-6月) for a column with this pattern.
const HalfPattern = `^[0-9]{4}H[12]$`

func unitsContract() Contract {
	return Contract{
		Name: "units", Group: Organisation, Label: T("单位", "Units"),
		Description: T("工区、供电所、部门等基层单位。", "Units of the company: maintenance areas, supply stations, departments."),
		Columns: []Column{
			text("unit_id", "单位编码", "Unit code", "单位代码", "编码", "unit code", "code").Req(),
			text("name", "单位名称", "Unit name", "名称", "单位", "name", "unit name").Req(),
			enum("kind", "单位类型", "Unit kind", []Value{
				value("work_area", "工区", "Maintenance area"),
				value("station", "供电所", "Supply station"),
				value("department", "部门", "Department"),
			}, "类型", "单位类别", "kind", "type"),
			text("company", "供电公司", "Company", "公司", "所属公司", "company"),
		},
		Key:       []string{"unit_id"},
		FileHints: []string{"单位", "unit"},
	}
}

func branchesContract() Contract {
	return Contract{
		Name: "branches", Group: Organisation, Label: T("党支部", "Branches"),
		Description: T("党支部，每个单位一个或多个。", "Party branches; one or more per unit."),
		Columns: []Column{
			text("branch_id", "支部编码", "Branch code", "党支部编码", "编码", "branch code", "code").Req(),
			text("name", "支部名称", "Branch name", "党支部名称", "党支部", "名称", "name", "branch name").Req(),
			unitRef.Req(),
			integer("committee_size", "支委人数", "Committee size", "支委会人数", "支委数", "committee size").Within(atLeast(0)),
		},
		Key:       []string{"branch_id"},
		Refs:      []Ref{ref([]string{"unit_id"}, "units", []string{"unit_id"}, "name")},
		FileHints: []string{"支部", "branch"},
	}
}

func partyGroupsContract() Contract {
	return Contract{
		Name: "party_groups", Group: Organisation, Label: T("党小组", "Party groups"),
		Description: T("党支部下的党小组，含成立与撤销日期、组长和联系支委。", "Party groups under a branch, with formation and dissolution dates, leader and liaison committee member."),
		Columns: []Column{
			text("group_id", "党小组编码", "Group code", "小组编码", "编码", "group code", "code").Req(),
			text("name", "党小组名称", "Group name", "党小组", "名称", "name", "group name").Req(),
			branchRef.Req(),
			date("formed_on", "成立日期", "Formed on", "成立时间", "组建日期", "formed on", "formed"),
			date("dissolved_on", "撤销日期", "Dissolved on", "撤销时间", "解散日期", "dissolved on", "dissolved"),
			personRef.withName("leader_id", "党小组长", "Group leader", "组长", "组长工号", "党小组长工号", "leader", "leader id"),
			personRef.withName("liaison_id", "联系支委", "Liaison committee member", "支委联系人", "挂钩支委", "联系支委工号", "liaison", "liaison id"),
		},
		Key:       []string{"group_id"},
		Refs:      []Ref{ref([]string{"branch_id"}, "branches", []string{"branch_id"}, "name")},
		Checks:    []Check{check("dissolved_after_formed", "dissolved_on IS NULL OR formed_on IS NULL OR dissolved_on >= formed_on", "撤销日期早于成立日期", "dissolved before it was formed")},
		FileHints: []string{"党小组名册", "党小组信息", "党小组设置", "party_groups", "groups"},
	}
}

func teamsContract() Contract {
	return Contract{
		Name: "teams", Group: Organisation, Label: T("班组", "Teams"),
		Description: T("生产班组，生产成效记在班组名下。", "Production teams; outcomes are recorded against teams."),
		Columns: []Column{
			text("team_id", "班组编码", "Team code", "编码", "team code", "code").Req(),
			text("name", "班组名称", "Team name", "班组", "名称", "name", "team name").Req(),
			unitRef.Req(),
			enum("kind", "班组类型", "Team kind", []Value{
				value("operation", "运行", "Operation", "运行班"),
				value("maintenance", "检修", "Maintenance", "检修班"),
				value("line", "线路", "Line", "线路班", "输电线路"),
				value("substation", "变电", "Substation", "变电站"),
				value("marketing", "营销", "Marketing", "营业", "客户服务"),
				value("dispatch", "调度", "Dispatch"),
				value("other", "其他", "Other"),
			}, "类型", "专业", "kind", "type"),
			integer("headcount", "班组人数", "Headcount", "人数", "定员", "在岗人数", "headcount", "staff").In("人", "people").Within(atLeast(0)).
				Describe("班组在册人数，用于按百人计算的指标。", "Staff on the team's roll; the denominator of per-100-staff rates."),
		},
		Key:       []string{"team_id"},
		Refs:      []Ref{ref([]string{"unit_id"}, "units", []string{"unit_id"}, "name")},
		FileHints: []string{"班组", "team"},
	}
}

func groupTeamsContract() Contract {
	return Contract{
		Name: "group_teams", Group: Organisation, Label: T("党小组与班组对应", "Group–team mapping"),
		Description: T("党小组与其所在班组的对应关系（结合点），带起止日期；党小组的生产成效经此表归集。", "Which teams a party group works in (its 结合点), with dates; every outcome reaches a group through this table."),
		Columns: []Column{
			groupRef.Req(),
			teamRef.Req(),
			date("valid_from", "起始日期", "Valid from", "开始日期", "生效日期", "起始时间", "valid from", "from").Req(),
			date("valid_to", "截止日期", "Valid to", "结束日期", "失效日期", "终止日期", "valid to", "to").
				Describe("空表示至今有效。", "Empty while the mapping is still in force."),
		},
		Key: []string{"group_id", "team_id", "valid_from"},
		Refs: []Ref{
			ref([]string{"group_id"}, "party_groups", []string{"group_id"}, "name"),
			ref([]string{"team_id"}, "teams", []string{"team_id"}, "name"),
		},
		Checks:    []Check{check("valid_range", "valid_to IS NULL OR valid_to >= valid_from", "截止日期早于起始日期", "valid_to is before valid_from")},
		FileHints: []string{"对应", "结合点", "group_teams", "mapping"},
	}
}

func peopleContract() Contract {
	return Contract{
		Name: "people", Group: Organisation, Label: T("人员", "People"),
		Description: T("党员与群众；工号、姓名、身份证号、手机号入库时均化名处理。", "Party members and non-members; employee number, name, ID number and phone are pseudonymised on ingest."),
		Columns: []Column{
			personRef.Req(),
			text("name", "姓名", "Name", "名字", "员工姓名", "name", "full name").Pseudonymised(PersonName),
			text("id_number", "身份证号", "ID number", "身份证", "身份证号码", "证件号码", "id number", "id card").Pseudonymised(IDNumber),
			text("phone", "手机号", "Phone", "手机", "联系电话", "电话", "手机号码", "phone", "mobile").Pseudonymised(PhoneNumber),
			enum("role", "岗位角色", "Role", []Value{
				value("secretary", "党支部书记", "Branch secretary", "书记", "支部书记"),
				value("committee", "支委", "Committee member", "支委委员", "支部委员"),
				value("group_leader", "党小组长", "Group leader", "组长"),
				value("team_leader", "班组长", "Team leader", "班长"),
				value("staff", "职工", "Staff", "员工", "一般员工"),
			}, "角色", "职务", "党内职务", "role"),
			boolean("is_member", "是否党员", "Party member", "党员", "政治面貌", "is member", "member"),
			groupRef.Describe("党员所在党小组；群众为空。", "The member's party group; empty for non-members."),
			teamRef,
			integer("birth_year", "出生年份", "Birth year", "出生年", "birth year").Within(between(1930, 2015)),
			date("joined_on", "入党日期", "Joined the party", "入党时间", "joined on"),
		},
		Key: []string{"person_id"},
		Refs: []Ref{
			ref([]string{"group_id"}, "party_groups", []string{"group_id"}, "name"),
			ref([]string{"team_id"}, "teams", []string{"team_id"}, "name"),
		},
		PersonLevel: true,
		FileHints:   []string{"人员", "花名册", "党员", "people", "roster"},
	}
}

var meetingKinds = []Value{
	value("group_meeting", "党小组会", "Group meeting", "党小组会议", "小组会"),
	value("committee_meeting", "支委会", "Committee meeting", "支部委员会", "支委会议"),
	value("theme_day", "主题党日", "Theme party day", "主题党日活动"),
	value("general_meeting", "支部党员大会", "Branch general meeting", "党员大会"),
	value("party_lecture", "党课", "Party lecture"),
	value("life_meeting", "组织生活会", "Organisational life meeting", "专题组织生活会"),
	value("member_review", "民主评议党员", "Democratic review of members", "民主评议"),
	value("heart_talk", "谈心谈话", "Heart-to-heart talk", "谈心"),
	value("demo_day", "示范日", "Demonstration day", "党员示范日", "示范日活动"),
}

func meetingsContract() Contract {
	return Contract{
		Name: "meetings", Group: Activity, Label: T("组织生活记录", "Meetings"),
		Description: T("三会一课、主题党日、示范日等组织生活的记录，含会议质量指标（批评条数、提出与解决问题数、是否结合中心工作）。",
			"Records of organisational life (三会一课, theme days, demonstration days) with quality measures: critique items, problems raised and resolved, link to production work."),
		Columns: []Column{
			text("meeting_id", "会议编号", "Meeting ID", "编号", "记录编号", "meeting id", "id").Req(),
			groupRef.Describe("党小组层面的会议填写；支部层面的会议可为空。", "Set for group-level meetings; may be empty for branch-level ones."),
			branchRef,
			enum("kind", "会议类型", "Meeting kind", meetingKinds, "类型", "会议类别", "活动类型", "kind", "type").Req(),
			date("held_on", "会议日期", "Held on", "日期", "召开时间", "召开日期", "开会日期", "时间", "活动日期", "会议时间", "活动时间", "date", "held on", "meeting date").Req(),
			text("topic", "会议主题", "Topic", "主题", "议题", "内容", "topic", "subject"),
			integer("duration_min", "时长", "Duration", "会议时长", "持续时间", "duration").In("分钟", "min").Within(between(0, 1440)),
			integer("expected", "应到人数", "Expected", "应到", "应参加人数", "expected").In("人", "people").Within(atLeast(0)),
			integer("attended", "实到人数", "Attended", "实到", "参会人数", "出席人数", "attended").In("人", "people").Within(atLeast(0)),
			integer("critique_items", "批评意见条数", "Critique items", "批评与自我批评条数", "批评条数", "critique items").Within(atLeast(0)),
			integer("problems_raised", "提出问题数", "Problems raised", "发现问题数", "提出问题", "problems raised").Within(atLeast(0)),
			integer("problems_resolved", "解决问题数", "Problems resolved", "已解决问题数", "解决问题", "problems resolved").Within(atLeast(0)),
			boolean("production_linked", "结合中心工作", "Linked to production", "是否结合中心工作", "结合生产", "production linked"),
			boolean("study_only", "仅学习", "Study only", "是否仅学习", "只读文件", "study only").
				Describe("会议只有学习传达、没有结合实际的议题（“读报纸”式会议）。", "The meeting only read out documents, with no topic of its own (a 'newspaper-reading' meeting)."),
		},
		Key: []string{"meeting_id"},
		Refs: []Ref{
			ref([]string{"group_id"}, "party_groups", []string{"group_id"}, "name"),
			ref([]string{"branch_id"}, "branches", []string{"branch_id"}, "name"),
		},
		Checks: []Check{
			check("group_or_branch", "group_id IS NOT NULL OR branch_id IS NOT NULL", "党小组和党支部至少填写一项", "either the group or the branch is required"),
			check("attended_le_expected", "attended IS NULL OR expected IS NULL OR attended <= expected", "实到人数多于应到人数", "more attended than expected"),
			check("resolved_le_raised", "problems_resolved IS NULL OR problems_raised IS NULL OR problems_resolved <= problems_raised", "解决问题数多于提出问题数", "more problems resolved than raised"),
		},
		FileHints: []string{"会议", "组织生活", "三会一课", "meeting"},
	}
}

func attendanceContract() Contract {
	return Contract{
		Name: "attendance", Group: Activity, Label: T("参会记录", "Attendance"),
		Description: T("每次会议每名党员的出席情况。", "Who attended each meeting."),
		Columns: []Column{
			text("meeting_id", "会议编号", "Meeting ID", "会议", "记录编号", "meeting id", "meeting").Req(),
			personRef.Req(),
			enum("status", "出席情况", "Status", []Value{
				value("present", "出席", "Present", "参加", "到会", "是"),
				value("absent", "缺席", "Absent", "未参加", "否"),
				value("leave", "请假", "On leave", "公假", "病假"),
			}, "状态", "参会情况", "是否参加", "status").Req(),
		},
		Key: []string{"meeting_id", "person_id"},
		Refs: []Ref{
			ref([]string{"meeting_id"}, "meetings", []string{"meeting_id"}, ""),
			ref([]string{"person_id"}, "people", []string{"person_id"}, ""),
		},
		PersonLevel: true,
		FileHints:   []string{"参会", "签到", "出席", "attendance"},
	}
}

func modelPostsContract() Contract {
	return Contract{
		Name: "model_posts", Group: Activity, Label: T("党员示范岗", "Model posts"),
		Description: T("党员示范岗、责任区、承诺与共产党员工程，含授予与撤销日期。", "Model posts, responsibility areas, pledges and member projects, with award and revocation dates."),
		Columns: []Column{
			text("post_id", "示范岗编号", "Post ID", "编号", "post id", "id").Req(),
			enum("kind", "示范岗类型", "Post kind", []Value{
				value("silent_dedication", "默默奉献示范岗", "Silent dedication post"),
				value("service_star", "生产服务明星示范岗", "Production service star post"),
				value("safety_guard", "安全守护示范岗", "Safety guard post"),
				value("zero_violation", "零违章示范岗", "Zero-violation post"),
				value("hardship_pioneer", "艰险工作先锋岗", "Hardship pioneer post"),
				value("silver_line", "银线守护示范岗", "Silver-line guard post"),
				value("responsibility_area", "党员责任区", "Member responsibility area", "党员责任岗"),
				value("pledge", "党员承诺", "Member pledge", "公开承诺"),
				value("member_project", "共产党员工程", "Party member project"),
			}, "类型", "岗位类型", "名称", "kind", "type").Req(),
			teamRef.Req(),
			groupRef,
			personRef.withName("person_id", "人员", "Person", "工号", "责任人", "责任人工号", "person", "person_id"),
			date("awarded_on", "授予日期", "Awarded on", "设立日期", "挂牌日期", "命名日期", "awarded on").Req(),
			date("revoked_on", "撤销日期", "Revoked on", "摘牌日期", "revoked on"),
		},
		Key: []string{"post_id"},
		Refs: []Ref{
			ref([]string{"team_id"}, "teams", []string{"team_id"}, "name"),
			ref([]string{"group_id"}, "party_groups", []string{"group_id"}, "name"),
			ref([]string{"person_id"}, "people", []string{"person_id"}, ""),
		},
		Checks:    []Check{check("revoked_after_awarded", "revoked_on IS NULL OR revoked_on >= awarded_on", "撤销日期早于授予日期", "revoked before it was awarded")},
		FileHints: []string{"示范岗", "先锋岗", "责任区", "model_post"},
	}
}

func trainingsContract() Contract {
	return Contract{
		Name: "trainings", Group: Activity, Label: T("培训记录", "Trainings"),
		Description: T("党小组长培训等培训记录。", "Training records, including the yearly training of group leaders."),
		Columns: []Column{
			personRef.Req(),
			date("held_on", "培训日期", "Held on", "日期", "培训时间", "date", "held on").Req(),
			enum("kind", "培训类型", "Training kind", []Value{
				value("leader_training", "党小组长培训", "Group leader training", "组长培训"),
				value("member_training", "党员培训", "Member training", "党员教育培训"),
				value("other", "其他培训", "Other training", "其他"),
			}, "类型", "kind", "type").Req(),
			text("course", "课程名称", "Course", "课程", "培训内容", "培训名称", "course").Req(),
			number("hours", "学时", "Hours", "培训学时", "hours").In("学时", "h").Within(between(0, 500)),
		},
		Key:         []string{"person_id", "held_on", "course"},
		Refs:        []Ref{ref([]string{"person_id"}, "people", []string{"person_id"}, "")},
		PersonLevel: true,
		FileHints:   []string{"培训", "training"},
	}
}

var assessmentDimensions = []Value{
	value("ideology", "思想建设", "Ideological work"),
	value("organisation", "组织建设", "Organisation building"),
	value("conduct", "作风建设", "Work style"),
	value("institution", "制度建设", "Rules and procedures"),
	value("central_task", "完成中心任务", "Central tasks", "中心任务"),
}

func assessmentsContract() Contract {
	return Contract{
		Name: "assessments", Group: Activity, Label: T("党小组考评", "Group assessments"),
		Description: T("党小组半年度考评的逐项得分：每组每半年一行一项（5 个维度 12 项）。", "Half-yearly group assessment scores: one row per group, half and item (12 items in 5 dimensions)."),
		Columns: []Column{
			groupRef.Req(),
			halfCol.Req(),
			text("item_code", "考评项目编码", "Item code", "项目编码", "考评项目", "项目", "item", "item code").Req(),
			enum("dimension", "考评维度", "Dimension", assessmentDimensions, "维度", "类别", "dimension").Req(),
			number("score", "得分", "Score", "分数", "考评得分", "score").In("分", "points").Within(atLeast(0)).Req(),
			number("max_score", "满分", "Maximum", "分值", "标准分", "max score", "max").In("分", "points").Within(atLeast(0)),
		},
		Key:       []string{"group_id", "half", "item_code"},
		Refs:      []Ref{ref([]string{"group_id"}, "party_groups", []string{"group_id"}, "name")},
		Checks:    []Check{check("score_le_max", "max_score IS NULL OR score <= max_score", "得分高于满分", "score above the maximum")},
		FileHints: []string{"考评", "考核", "assessment"},
	}
}

var reviewGrades = []Value{
	value("excellent", "优秀", "Excellent"),
	value("qualified", "合格", "Qualified"),
	value("basic", "基本合格", "Basically qualified"),
	value("unqualified", "不合格", "Unqualified"),
}

func memberReviewsContract() Contract {
	return Contract{
		Name: "member_reviews", Group: Activity, Label: T("民主评议党员", "Member reviews"),
		Description: T("民主评议党员：本人自评分与支部评议分，两者之差本身也有意义。", "Democratic review of members: the member's own score and the branch's score; the gap is itself informative."),
		Columns: []Column{
			personRef.Req(),
			yearCol.Req(),
			number("self_score", "自评分", "Self score", "自评得分", "自评", "self score").In("分", "points").Within(between(0, 100)),
			number("branch_score", "支部评分", "Branch score", "支部评议得分", "评议得分", "branch score").In("分", "points").Within(between(0, 100)),
			enum("grade", "评议等次", "Grade", reviewGrades, "等次", "评定等次", "grade"),
		},
		Key:         []string{"person_id", "year"},
		Refs:        []Ref{ref([]string{"person_id"}, "people", []string{"person_id"}, "")},
		PersonLevel: true,
		FileHints:   []string{"民主评议", "评议", "member_review"},
	}
}

func awardsContract() Contract {
	return Contract{
		Name: "awards", Group: Activity, Label: T("表彰奖励", "Awards"),
		Description: T("个人获得的表彰与荣誉，用于衡量奖励是否集中在少数人（马太效应）。", "Honours given to people; used to measure whether rewards concentrate on a few (the Matthew effect)."),
		Columns: []Column{
			text("award_id", "表彰编号", "Award ID", "编号", "award id", "id").Req(),
			personRef.Req(),
			text("title", "荣誉称号", "Title", "称号", "奖项", "表彰名称", "title").Req(),
			enum("level", "表彰级别", "Level", []Value{
				value("team", "班组级", "Team", "班组"),
				value("unit", "单位级", "Unit", "工区级", "单位"),
				value("company", "公司级", "Company", "公司"),
				value("province", "省公司级", "Province", "省级", "省公司"),
				value("national", "国家级", "National", "国家"),
			}, "级别", "level"),
			date("awarded_on", "表彰日期", "Awarded on", "日期", "授予日期", "awarded on", "date").Req(),
		},
		Key:         []string{"award_id"},
		Refs:        []Ref{ref([]string{"person_id"}, "people", []string{"person_id"}, "")},
		PersonLevel: true,
		FileHints:   []string{"表彰", "荣誉", "奖励", "award"},
	}
}

var voltageClasses = []Value{
	value("1000kV", "1000千伏", "1000 kV", "1000", "1000kv"),
	value("500kV", "500千伏", "500 kV", "500", "500kv"),
	value("220kV", "220千伏", "220 kV", "220", "220kv"),
	value("110kV", "110千伏", "110 kV", "110", "110kv"),
	value("35kV", "35千伏", "35 kV", "35", "35kv"),
	value("10kV", "10千伏", "10 kV", "10", "10kv"),
	value("0.4kV", "0.4千伏", "0.4 kV", "0.4", "0.4kv", "400V"),
}

func patrolsContract() Contract {
	return Contract{
		Name: "patrols", Group: Outcomes, Label: T("巡视记录", "Line patrols"),
		Description: T("线路巡视（巡线）记录：班组、线路、电压等级、日期、巡视类型、里程、是否计划内、发现缺陷数。", "Line patrols: team, line, voltage class, date, kind, km covered, planned or not, defects found."),
		Columns: []Column{
			text("patrol_id", "巡视编号", "Patrol ID", "编号", "记录编号", "patrol id", "id").Req(),
			teamRef.Req(),
			text("line_name", "线路名称", "Line", "线路", "巡视线路", "line", "line name"),
			enum("voltage", "电压等级", "Voltage class", voltageClasses, "电压", "voltage", "voltage class"),
			date("patrolled_on", "巡视日期", "Patrolled on", "日期", "巡线日期", "巡视时间", "date", "patrolled on").Req(),
			enum("kind", "巡视类型", "Patrol kind", []Value{
				value("routine", "正常巡视", "Routine", "例行巡视", "定期巡视", "常规"),
				value("special", "特殊巡视", "Special", "特巡", "特殊巡线"),
				value("night", "夜间巡视", "Night", "夜巡"),
				value("after_storm", "灾后巡视", "After storm", "故障巡视", "恶劣天气后巡视"),
			}, "类型", "巡视性质", "kind", "type").Req(),
			number("km", "巡视里程", "Distance", "里程", "公里数", "巡线里程", "km", "distance").In("千米", "km").Within(between(0, 1000)).Req(),
			boolean("planned", "计划内", "Planned", "是否计划", "计划巡视", "planned"),
			boolean("completed", "是否完成", "Completed", "完成", "completed").
				Describe("计划内巡视是否按期完成。", "Whether a planned patrol was completed on time."),
			integer("defects_found", "发现缺陷数", "Defects found", "缺陷数", "发现缺陷", "defects", "defects found").Within(atLeast(0)),
			integer("crew", "巡视人数", "Crew", "人数", "参加人数", "crew").In("人", "people").Within(between(1, 100)),
		},
		Key:       []string{"patrol_id"},
		Refs:      []Ref{ref([]string{"team_id"}, "teams", []string{"team_id"}, "name")},
		FileHints: []string{"巡视", "巡线", "patrol"},
	}
}

func defectsContract() Contract {
	return Contract{
		Name: "defects", Group: Outcomes, Label: T("缺陷记录", "Defects"),
		Description: T("设备缺陷：严重程度、发现日期、消缺日期（衡量消缺及时性）。", "Equipment defects: severity, found and eliminated dates (timeliness of elimination)."),
		Columns: []Column{
			text("defect_id", "缺陷编号", "Defect ID", "编号", "defect id", "id").Req(),
			teamRef.Req(),
			text("line_name", "线路名称", "Line", "线路", "设备名称", "line"),
			enum("severity", "缺陷等级", "Severity", []Value{
				value("general", "一般", "General", "一般缺陷"),
				value("serious", "严重", "Serious", "严重缺陷"),
				value("critical", "危急", "Critical", "危急缺陷"),
			}, "严重程度", "等级", "缺陷性质", "severity").Req(),
			date("found_on", "发现日期", "Found on", "发现时间", "found on").Req(),
			date("eliminated_on", "消缺日期", "Eliminated on", "消缺时间", "处理日期", "eliminated on"),
			text("patrol_id", "巡视编号", "Patrol ID", "patrol id"),
		},
		Key:       []string{"defect_id"},
		Refs:      []Ref{ref([]string{"team_id"}, "teams", []string{"team_id"}, "name")},
		Checks:    []Check{check("eliminated_after_found", "eliminated_on IS NULL OR eliminated_on >= found_on", "消缺日期早于发现日期", "eliminated before it was found")},
		FileHints: []string{"缺陷", "消缺", "defect"},
	}
}

func safetyEventsContract() Contract {
	return Contract{
		Name: "safety_events", Group: Outcomes, Label: T("安全事件", "Safety events"),
		Description: T("违章、未遂、障碍、事故；是否责任性，停电时长。", "Violations, near misses, obstacles and accidents; whether the team was responsible; outage minutes."),
		Columns: []Column{
			text("event_id", "事件编号", "Event ID", "编号", "event id", "id").Req(),
			teamRef.Req(),
			personRef.withName("person_id", "责任人", "Person", "工号", "责任人工号", "违章人", "person"),
			date("occurred_on", "发生日期", "Occurred on", "日期", "发生时间", "date", "occurred on").Req(),
			enum("kind", "事件类型", "Event kind", []Value{
				value("violation", "违章", "Violation", "违章行为", "习惯性违章"),
				value("near_miss", "未遂", "Near miss", "未遂事件"),
				value("obstacle", "障碍", "Obstacle", "设备障碍"),
				value("accident", "事故", "Accident", "安全事故"),
			}, "类型", "类别", "kind", "type").Req(),
			boolean("responsible", "责任性", "Responsible", "是否责任性", "责任事件", "责任性质", "是否责任", "responsible"),
			integer("outage_min", "停电时长", "Outage", "停电时间", "停电分钟", "outage").In("分钟", "min").Within(atLeast(0)),
			text("description", "事件描述", "Description", "描述", "情况说明", "description"),
		},
		Key: []string{"event_id"},
		Refs: []Ref{
			ref([]string{"team_id"}, "teams", []string{"team_id"}, "name"),
			ref([]string{"person_id"}, "people", []string{"person_id"}, ""),
		},
		FileHints: []string{"安全", "违章", "事件", "safety"},
	}
}

var audiences = []Value{
	value("employee", "职工", "Employees", "员工", "职工满意度", "群众评议"),
	value("customer", "客户", "Customers", "客户满意度"),
}

func surveyItemsContract() Contract {
	return Contract{
		Name: "survey_items", Group: Surveys, Label: T("问卷题目", "Survey items"),
		Description: T("职工与客户满意度问卷的题目：维度、量表满分、是否反向计分。", "Items of employee and customer surveys: dimension, scale maximum, reverse coding."),
		Columns: []Column{
			text("survey_id", "问卷编号", "Survey ID", "问卷", "survey id", "survey").Req(),
			text("item_code", "题目编码", "Item code", "题号", "题目编号", "item", "item code").Req(),
			text("item_text", "题目", "Item text", "题目内容", "问题", "item text", "question"),
			text("dimension", "维度", "Dimension", "题目维度", "dimension").Req(),
			enum("audience", "调查对象", "Audience", audiences, "对象", "audience").Req(),
			integer("scale_max", "量表满分", "Scale maximum", "最高分", "满分", "scale max").Within(between(2, 10)).Req(),
			boolean("reverse", "反向计分", "Reverse-coded", "是否反向", "反向题", "reverse"),
		},
		Key:       []string{"survey_id", "item_code"},
		FileHints: []string{"题目", "问卷题", "survey_items"},
	}
}

func surveyResponsesContract() Contract {
	return Contract{
		Name: "survey_responses", Group: Surveys, Label: T("问卷答卷", "Survey responses"),
		Description: T("问卷答卷，长表：每份答卷每题一行；按单位或班组标记，少于 5 人的分组不展示。", "Survey answers in long form: one row per response and item; tagged by unit or team; groups of fewer than 5 respondents are never shown."),
		Columns: []Column{
			text("survey_id", "问卷编号", "Survey ID", "问卷", "survey id", "survey").Req(),
			text("response_id", "答卷编号", "Response ID", "答卷", "序号", "response id", "response").Req(),
			text("item_code", "题目编码", "Item code", "题号", "题目编号", "item", "item code").Req(),
			integer("score", "得分", "Score", "分数", "评分", "score").Within(between(0, 10)).Req(),
			unitRef.Req(),
			teamRef,
			date("responded_on", "答卷日期", "Responded on", "日期", "填写日期", "date", "responded on"),
		},
		Key: []string{"survey_id", "response_id", "item_code"},
		Checks: []Check{{Name: "score_within_scale", Ref: "survey_items", Column: "score", Info: "x.scale_max", SQL: "score <= x.scale_max",
			Message: T("得分“{0}”超出该题的量表（满分 {1} 分）", "score \"{0}\" is above the item's scale (maximum {1})")}},
		Refs: []Ref{
			ref([]string{"survey_id", "item_code"}, "survey_items", []string{"survey_id", "item_code"}, ""),
			ref([]string{"unit_id"}, "units", []string{"unit_id"}, "name"),
			ref([]string{"team_id"}, "teams", []string{"team_id"}, "name"),
		},
		PersonLevel: true,
		FileHints:   []string{"答卷", "问卷", "满意度", "survey_responses", "responses"},
	}
}

// withName copies a reference column under another name and label (a leader, a liaison).
func (c Column) withName(name, zh, en string, aliases ...string) Column {
	c.Name = name
	c.Label = T(zh, en)
	c.Aliases = aliases
	c.Required = false
	return c
}

// All returns every contract, in load order: organisation first, then activity, outcomes and
// surveys, each in an order where a dataset comes after the datasets it refers to.
func All() []Contract {
	return []Contract{
		unitsContract(), branchesContract(), partyGroupsContract(), teamsContract(), groupTeamsContract(), peopleContract(),
		meetingsContract(), attendanceContract(), modelPostsContract(), trainingsContract(), assessmentsContract(), memberReviewsContract(), awardsContract(),
		patrolsContract(), defectsContract(), safetyEventsContract(),
		surveyItemsContract(), surveyResponsesContract(),
	}
}

// Lookup returns the contract named name.
func Lookup(name string) (Contract, error) {
	for _, c := range All() {
		if c.Name == name {
			return c, nil
		}
	}
	names := Names()
	sort.Strings(names)
	return Contract{}, fmt.Errorf("%w: %q (known: %v)", ErrUnknownDataset, name, names)
}

// Names lists the dataset names in load order.
func Names() []string {
	all := All()
	names := make([]string, len(all))
	for i, c := range all {
		names[i] = c.Name
	}
	return names
}
