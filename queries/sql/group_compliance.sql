-- name: group_compliance
-- description_zh: 党小组按月开会达标情况（按党小组和期间）：期间内应开会的整月数、开了党小组会的月数和达标率；与 group_activity 的 monthly_compliance 相同，只算这一项，供报告逐月展示
-- description_en: Monthly meeting compliance by group and period: the whole months the group had to meet in, the months it held a group meeting, and the share; the same as group_activity's monthly_compliance, computed alone for the reports' month-by-month views
-- params: period, from, to, unit, model_post_kinds
-- uses: calendar, groups, activity
SELECT gp.unit_id, gp.unit_name, gp.branch_id, gp.group_id, gp.group_name, gp.period,
       mo.months_required, mo.months_met,
       CASE WHEN mo.months_required > 0 THEN mo.months_met / mo.months_required END AS monthly_compliance
FROM gp
LEFT JOIN gm_month AS mo ON mo.group_id = gp.group_id AND mo.pidx = gp.pidx
ORDER BY gp.unit_id, gp.branch_id, gp.group_id, gp.pidx
