-- name: group_outcomes
-- description_zh: 党小组生产成效指标（经当日有效的党小组—班组对应关系归集）：人均巡视里程、计划巡视完成率、百公里缺陷数、及时消缺率、百人违章数、未遂、责任性障碍与事故、最长安全天数
-- description_en: Outcome metrics by group and period, through the group–team mapping in force on each date: patrol km per head, planned completion, defects per 100 km, timely elimination, violations per 100 staff, near misses, responsible incidents, longest safe run
-- params: period, from, to, unit, limit_general, limit_serious, limit_critical
-- uses: calendar, groups, outcomes
SELECT o.unit_id, o.unit_name, o.branch_id, o.group_id, o.group_name, o.period,
       o.p_lo AS period_start, o.p_hi AS period_end,
       o.staff, o.patrol_km_per_head, o.planned_completion, o.defects_per_100km,
       o.timely_elimination_share, o.violations_per_100_staff, o.near_misses,
       o.responsible_incidents, o.longest_safe_run
FROM outcomes AS o
ORDER BY o.unit_id, o.branch_id, o.group_id, o.pidx
