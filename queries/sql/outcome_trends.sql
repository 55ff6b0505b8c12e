-- name: outcome_trends
-- description_zh: 生产成效指标的期间均值：每个期间对各党小组（group_outcomes 的每一行）取平均，空值不计；groups 为该期间有记录的党小组数
-- description_en: Outcome metrics averaged over the party groups of each period (the rows of group_outcomes; missing values left out); groups is the number of groups in the period
-- params: period, from, to, unit, limit_general, limit_serious, limit_critical
-- uses: calendar, groups, outcomes
SELECT gp.period, min(gp.p_lo) AS period_start, max(gp.p_hi) AS period_end,
       count(*) AS groups,
       avg(o.staff) AS staff, avg(o.patrol_km_per_head) AS patrol_km_per_head,
       avg(o.planned_completion) AS planned_completion, avg(o.defects_per_100km) AS defects_per_100km,
       avg(o.timely_elimination_share) AS timely_elimination_share,
       avg(o.violations_per_100_staff) AS violations_per_100_staff, avg(o.near_misses) AS near_misses,
       avg(o.responsible_incidents) AS responsible_incidents, avg(o.longest_safe_run) AS longest_safe_run
FROM gp
JOIN outcomes AS o ON o.group_id = gp.group_id AND o.pidx = gp.pidx
GROUP BY gp.pidx, gp.period
ORDER BY gp.pidx
