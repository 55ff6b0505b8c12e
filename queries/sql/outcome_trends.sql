-- name: outcome_trends
-- description_zh: 生产成效指标的期间均值：每个期间对各党小组（group_outcomes 的每一行）取平均，空值不计；groups 为该期间有记录的党小组数
-- description_en: Outcome metrics averaged over the party groups of each period (the rows of group_outcomes; missing values left out); groups is the number of groups in the period
-- params: period, from, to, unit, limit_general, limit_serious, limit_critical
-- uses: calendar, groups, outcomes
SELECT gp.period, min(gp.p_lo) AS period_start, max(gp.p_hi) AS period_end,
       count(*) AS groups,
       -- Averages in group order: float sums in the order DuckDB's threads deliver differ in the
       -- last bit from run to run.
       avg(o.staff ORDER BY gp.group_id) AS staff, avg(o.patrol_km_per_head ORDER BY gp.group_id) AS patrol_km_per_head,
       avg(o.planned_completion ORDER BY gp.group_id) AS planned_completion, avg(o.defects_per_100km ORDER BY gp.group_id) AS defects_per_100km,
       avg(o.timely_elimination_share ORDER BY gp.group_id) AS timely_elimination_share,
       avg(o.violations_per_100_staff ORDER BY gp.group_id) AS violations_per_100_staff, avg(o.near_misses ORDER BY gp.group_id) AS near_misses,
       avg(o.responsible_incidents ORDER BY gp.group_id) AS responsible_incidents, avg(o.longest_safe_run ORDER BY gp.group_id) AS longest_safe_run
FROM gp
JOIN outcomes AS o ON o.group_id = gp.group_id AND o.pidx = gp.pidx
GROUP BY gp.pidx, gp.period
ORDER BY gp.pidx
