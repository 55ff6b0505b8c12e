-- name: group_activity
-- description_zh: 党小组活动指标（按党小组和期间）：党小组会次数、按月开会达标率、出席率、批评条数、提出与解决问题、结合中心工作比例、仅学习比例、示范岗、示范日、组长培训
-- description_en: Party-group activity metrics by group and period: meetings held, monthly compliance, attendance, critique, problems raised and resolved, production-linked and study-only shares, model posts, demonstration days, leader training
-- params: period, from, to, unit, model_post_kinds
-- uses: calendar, groups, activity
SELECT gp.unit_id, gp.unit_name, gp.branch_id, gp.branch_name, gp.group_id, gp.group_name, gp.period,
       gp.p_lo AS period_start, gp.p_hi AS period_end,
       a.meetings_held, a.monthly_compliance, a.attendance_rate, a.critique_per_meeting,
       a.problems_raised_per_meeting, a.problems_resolved_per_meeting, a.resolution_rate,
       a.production_linked_share, a.study_only_share, a.model_posts_held, a.model_post_awarded,
       a.demo_days_held, a.leader_trained
FROM gp
JOIN activity AS a ON a.group_id = gp.group_id AND a.pidx = gp.pidx
ORDER BY gp.unit_id, gp.branch_id, gp.group_id, gp.pidx
