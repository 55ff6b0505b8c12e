-- Generated from the dataset contracts (go test ./datasets/warehouse -run TestInitialMigrationMatchesContracts -update).

CREATE SEQUENCE _batch_seq START 1;

-- One row per source file (or sheet) ingested: what it was, what happened to its rows.
CREATE TABLE _batches (
	batch_id BIGINT PRIMARY KEY,
	dataset VARCHAR NOT NULL,
	path VARCHAR NOT NULL,
	sheet VARCHAR,
	format VARCHAR,
	encoding VARCHAR,
	size_bytes BIGINT,
	sha256 VARCHAR,
	rows_read BIGINT NOT NULL DEFAULT 0,
	loaded BIGINT NOT NULL DEFAULT 0,
	updated BIGINT NOT NULL DEFAULT 0,
	unchanged BIGINT NOT NULL DEFAULT 0,
	rejected BIGINT NOT NULL DEFAULT 0,
	duplicates BIGINT NOT NULL DEFAULT 0,
	blank BIGINT NOT NULL DEFAULT 0,
	-- Summary rows under a table (合计, 小计, 备注, 制表人 …): recognised and not loaded.
	skipped BIGINT NOT NULL DEFAULT 0,
	unknown_columns VARCHAR[],
	-- Per column (the file's header) how many existing rows this batch changed.
	changed_columns JSON,
	-- Unit conversions applied, one sentence each (停电时长（小时）: × 60 → 分钟).
	conversions VARCHAR[],
	-- ID-number and phone patterns masked in free-text cells.
	masked BIGINT NOT NULL DEFAULT 0,
	status VARCHAR NOT NULL,
	message VARCHAR,
	started_at TIMESTAMP NOT NULL,
	finished_at TIMESTAMP
);

-- Every refused row, whole, with where it was and why, so a user can fix and reload it.
CREATE TABLE _rejects (
	batch_id BIGINT NOT NULL,
	dataset VARCHAR NOT NULL,
	path VARCHAR NOT NULL,
	sheet VARCHAR,
	source_row BIGINT NOT NULL,
	column_name VARCHAR,
	raw_value VARCHAR,
	reason_code VARCHAR NOT NULL,
	reason_zh VARCHAR NOT NULL,
	reason_en VARCHAR NOT NULL,
	row_data JSON
);

-- The fingerprint of the pseudonymisation key this warehouse's pseudonyms were made with (an
-- HMAC of a fixed text, which does not reveal the key): ingest refuses another key, and init
-- never makes a new key for a warehouse that has one.
CREATE TABLE _key (
	fingerprint VARCHAR NOT NULL,
	recorded_at TIMESTAMP NOT NULL
);

-- Labels of enum codes, so SQL users can show 党小组会 rather than group_meeting.
CREATE TABLE _labels (
	dataset VARCHAR NOT NULL,
	column_name VARCHAR NOT NULL,
	code VARCHAR NOT NULL,
	label_zh VARCHAR NOT NULL,
	label_en VARCHAR NOT NULL
);

-- 单位: Units
CREATE TABLE "units" (
	"unit_id" VARCHAR NOT NULL,
	"name" VARCHAR NOT NULL,
	"kind" VARCHAR,
	"company" VARCHAR,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 党支部: Branches
CREATE TABLE "branches" (
	"branch_id" VARCHAR NOT NULL,
	"name" VARCHAR NOT NULL,
	"unit_id" VARCHAR NOT NULL,
	"committee_size" BIGINT,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 党小组: Party groups
CREATE TABLE "party_groups" (
	"group_id" VARCHAR NOT NULL,
	"name" VARCHAR NOT NULL,
	"branch_id" VARCHAR NOT NULL,
	"formed_on" DATE,
	"dissolved_on" DATE,
	"leader_id" VARCHAR,
	"liaison_id" VARCHAR,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 班组: Teams
CREATE TABLE "teams" (
	"team_id" VARCHAR NOT NULL,
	"name" VARCHAR NOT NULL,
	"unit_id" VARCHAR NOT NULL,
	"kind" VARCHAR,
	"headcount" BIGINT,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 党小组与班组对应: Group–team mapping
CREATE TABLE "group_teams" (
	"group_id" VARCHAR NOT NULL,
	"team_id" VARCHAR NOT NULL,
	"valid_from" DATE NOT NULL,
	"valid_to" DATE,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 人员: People
CREATE TABLE "people" (
	"person_id" VARCHAR NOT NULL,
	"name" VARCHAR,
	"id_number" VARCHAR,
	"phone" VARCHAR,
	"role" VARCHAR,
	"is_member" BOOLEAN,
	"group_id" VARCHAR,
	"team_id" VARCHAR,
	"birth_year" BIGINT,
	"joined_on" DATE,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 组织生活记录: Meetings
CREATE TABLE "meetings" (
	"meeting_id" VARCHAR NOT NULL,
	"group_id" VARCHAR,
	"branch_id" VARCHAR,
	"kind" VARCHAR NOT NULL,
	"held_on" DATE NOT NULL,
	"topic" VARCHAR,
	"duration_min" BIGINT,
	"expected" BIGINT,
	"attended" BIGINT,
	"critique_items" BIGINT,
	"problems_raised" BIGINT,
	"problems_resolved" BIGINT,
	"production_linked" BOOLEAN,
	"study_only" BOOLEAN,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 参会记录: Attendance
CREATE TABLE "attendance" (
	"meeting_id" VARCHAR NOT NULL,
	"person_id" VARCHAR NOT NULL,
	"status" VARCHAR NOT NULL,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 党员示范岗: Model posts
CREATE TABLE "model_posts" (
	"post_id" VARCHAR NOT NULL,
	"kind" VARCHAR NOT NULL,
	"team_id" VARCHAR NOT NULL,
	"group_id" VARCHAR,
	"person_id" VARCHAR,
	"awarded_on" DATE NOT NULL,
	"revoked_on" DATE,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 培训记录: Trainings
CREATE TABLE "trainings" (
	"person_id" VARCHAR NOT NULL,
	"held_on" DATE NOT NULL,
	"kind" VARCHAR NOT NULL,
	"course" VARCHAR NOT NULL,
	"hours" DOUBLE,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 党小组考评: Group assessments
CREATE TABLE "assessments" (
	"group_id" VARCHAR NOT NULL,
	"half" VARCHAR NOT NULL,
	"item_code" VARCHAR NOT NULL,
	"dimension" VARCHAR NOT NULL,
	"score" DOUBLE NOT NULL,
	"max_score" DOUBLE,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 民主评议党员: Member reviews
CREATE TABLE "member_reviews" (
	"person_id" VARCHAR NOT NULL,
	"year" BIGINT NOT NULL,
	"self_score" DOUBLE,
	"branch_score" DOUBLE,
	"grade" VARCHAR,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 表彰奖励: Awards
CREATE TABLE "awards" (
	"award_id" VARCHAR NOT NULL,
	"person_id" VARCHAR NOT NULL,
	"title" VARCHAR NOT NULL,
	"level" VARCHAR,
	"awarded_on" DATE NOT NULL,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 巡视记录: Line patrols
CREATE TABLE "patrols" (
	"patrol_id" VARCHAR NOT NULL,
	"team_id" VARCHAR NOT NULL,
	"line_name" VARCHAR,
	"voltage" VARCHAR,
	"patrolled_on" DATE NOT NULL,
	"kind" VARCHAR NOT NULL,
	"km" DOUBLE NOT NULL,
	"planned" BOOLEAN,
	"completed" BOOLEAN,
	"defects_found" BIGINT,
	"crew" BIGINT,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 缺陷记录: Defects
CREATE TABLE "defects" (
	"defect_id" VARCHAR NOT NULL,
	"team_id" VARCHAR NOT NULL,
	"line_name" VARCHAR,
	"severity" VARCHAR NOT NULL,
	"found_on" DATE NOT NULL,
	"eliminated_on" DATE,
	"patrol_id" VARCHAR,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 安全事件: Safety events
CREATE TABLE "safety_events" (
	"event_id" VARCHAR NOT NULL,
	"team_id" VARCHAR NOT NULL,
	"person_id" VARCHAR,
	"occurred_on" DATE NOT NULL,
	"kind" VARCHAR NOT NULL,
	"responsible" BOOLEAN,
	"outage_min" BIGINT,
	"description" VARCHAR,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 问卷题目: Survey items
CREATE TABLE "survey_items" (
	"survey_id" VARCHAR NOT NULL,
	"item_code" VARCHAR NOT NULL,
	"item_text" VARCHAR,
	"dimension" VARCHAR NOT NULL,
	"audience" VARCHAR NOT NULL,
	"scale_max" BIGINT NOT NULL,
	"reverse" BOOLEAN,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

-- 问卷答卷: Survey responses
CREATE TABLE "survey_responses" (
	"survey_id" VARCHAR NOT NULL,
	"response_id" VARCHAR NOT NULL,
	"item_code" VARCHAR NOT NULL,
	"score" BIGINT NOT NULL,
	"unit_id" VARCHAR NOT NULL,
	"team_id" VARCHAR,
	"responded_on" DATE,
	_batch_id BIGINT NOT NULL,
	_source_row BIGINT NOT NULL
);

INSERT INTO _labels VALUES
	('units', 'kind', 'work_area', '工区', 'Maintenance area'),
	('units', 'kind', 'station', '供电所', 'Supply station'),
	('units', 'kind', 'department', '部门', 'Department'),
	('teams', 'kind', 'operation', '运行', 'Operation'),
	('teams', 'kind', 'maintenance', '检修', 'Maintenance'),
	('teams', 'kind', 'line', '线路', 'Line'),
	('teams', 'kind', 'substation', '变电', 'Substation'),
	('teams', 'kind', 'marketing', '营销', 'Marketing'),
	('teams', 'kind', 'dispatch', '调度', 'Dispatch'),
	('teams', 'kind', 'other', '其他', 'Other'),
	('people', 'role', 'secretary', '党支部书记', 'Branch secretary'),
	('people', 'role', 'committee', '支委', 'Committee member'),
	('people', 'role', 'group_leader', '党小组长', 'Group leader'),
	('people', 'role', 'team_leader', '班组长', 'Team leader'),
	('people', 'role', 'staff', '职工', 'Staff'),
	('meetings', 'kind', 'group_meeting', '党小组会', 'Group meeting'),
	('meetings', 'kind', 'committee_meeting', '支委会', 'Committee meeting'),
	('meetings', 'kind', 'theme_day', '主题党日', 'Theme party day'),
	('meetings', 'kind', 'general_meeting', '支部党员大会', 'Branch general meeting'),
	('meetings', 'kind', 'party_lecture', '党课', 'Party lecture'),
	('meetings', 'kind', 'life_meeting', '组织生活会', 'Organisational life meeting'),
	('meetings', 'kind', 'member_review', '民主评议党员', 'Democratic review of members'),
	('meetings', 'kind', 'heart_talk', '谈心谈话', 'Heart-to-heart talk'),
	('meetings', 'kind', 'demo_day', '示范日', 'Demonstration day'),
	('attendance', 'status', 'present', '出席', 'Present'),
	('attendance', 'status', 'absent', '缺席', 'Absent'),
	('attendance', 'status', 'leave', '请假', 'On leave'),
	('model_posts', 'kind', 'silent_dedication', '默默奉献示范岗', 'Silent dedication post'),
	('model_posts', 'kind', 'service_star', '生产服务明星示范岗', 'Production service star post'),
	('model_posts', 'kind', 'safety_guard', '安全守护示范岗', 'Safety guard post'),
	('model_posts', 'kind', 'zero_violation', '零违章示范岗', 'Zero-violation post'),
	('model_posts', 'kind', 'hardship_pioneer', '艰险工作先锋岗', 'Hardship pioneer post'),
	('model_posts', 'kind', 'silver_line', '银线守护示范岗', 'Silver-line guard post'),
	('model_posts', 'kind', 'responsibility_area', '党员责任区', 'Member responsibility area'),
	('model_posts', 'kind', 'pledge', '党员承诺', 'Member pledge'),
	('model_posts', 'kind', 'member_project', '共产党员工程', 'Party member project'),
	('trainings', 'kind', 'leader_training', '党小组长培训', 'Group leader training'),
	('trainings', 'kind', 'member_training', '党员培训', 'Member training'),
	('trainings', 'kind', 'other', '其他培训', 'Other training'),
	('assessments', 'dimension', 'ideology', '思想建设', 'Ideological work'),
	('assessments', 'dimension', 'organisation', '组织建设', 'Organisation building'),
	('assessments', 'dimension', 'conduct', '作风建设', 'Work style'),
	('assessments', 'dimension', 'institution', '制度建设', 'Rules and procedures'),
	('assessments', 'dimension', 'central_task', '完成中心任务', 'Central tasks'),
	('member_reviews', 'grade', 'excellent', '优秀', 'Excellent'),
	('member_reviews', 'grade', 'qualified', '合格', 'Qualified'),
	('member_reviews', 'grade', 'basic', '基本合格', 'Basically qualified'),
	('member_reviews', 'grade', 'unqualified', '不合格', 'Unqualified'),
	('awards', 'level', 'team', '班组级', 'Team'),
	('awards', 'level', 'unit', '单位级', 'Unit'),
	('awards', 'level', 'company', '公司级', 'Company'),
	('awards', 'level', 'province', '省公司级', 'Province'),
	('awards', 'level', 'national', '国家级', 'National'),
	('patrols', 'voltage', '1000kV', '1000千伏', '1000 kV'),
	('patrols', 'voltage', '500kV', '500千伏', '500 kV'),
	('patrols', 'voltage', '220kV', '220千伏', '220 kV'),
	('patrols', 'voltage', '110kV', '110千伏', '110 kV'),
	('patrols', 'voltage', '35kV', '35千伏', '35 kV'),
	('patrols', 'voltage', '10kV', '10千伏', '10 kV'),
	('patrols', 'voltage', '0.4kV', '0.4千伏', '0.4 kV'),
	('patrols', 'kind', 'routine', '正常巡视', 'Routine'),
	('patrols', 'kind', 'special', '特殊巡视', 'Special'),
	('patrols', 'kind', 'night', '夜间巡视', 'Night'),
	('patrols', 'kind', 'after_storm', '灾后巡视', 'After storm'),
	('defects', 'severity', 'general', '一般', 'General'),
	('defects', 'severity', 'serious', '严重', 'Serious'),
	('defects', 'severity', 'critical', '危急', 'Critical'),
	('safety_events', 'kind', 'violation', '违章', 'Violation'),
	('safety_events', 'kind', 'near_miss', '未遂', 'Near miss'),
	('safety_events', 'kind', 'obstacle', '障碍', 'Obstacle'),
	('safety_events', 'kind', 'accident', '事故', 'Accident'),
	('survey_items', 'audience', 'employee', '职工', 'Employees'),
	('survey_items', 'audience', 'customer', '客户', 'Customers');
