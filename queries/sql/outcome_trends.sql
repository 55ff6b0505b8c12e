-- name: outcome_trends
-- description_zh: 生产成效指标的期间均值：每个期间对各党小组（group_outcomes 的每一行）取平均，空值不计；groups 为该期间有记录的党小组数
-- description_en: Outcome metrics averaged over the party groups of each period (the rows of group_outcomes; missing values left out); groups is the number of groups in the period
-- params: period, from, to, unit, limit_general, limit_serious, limit_critical
-- uses: calendar, groups, outcomes
SELECT o.period, min(o.p_lo) AS period_start, max(o.p_hi) AS period_end,
       count(*) AS groups,
       -- Each mean is an exact sum: the values cast to DECIMAL(38, 12) (a picometre of km, a
       -- 1e-12 of a share; far below what any report shows) add up as integers, the same in
       -- every run whatever order DuckDB's threads deliver them in (a DOUBLE sum differs in the
       -- last bit). avg(x ORDER BY group_id) gave the same guarantee but sorted each of the ten
       -- aggregates' inputs: a third of the query at province scale (720,000 group-months).
       CAST(avg(CAST(o.staff AS DECIMAL(38, 12))) AS DOUBLE) AS staff,
       CAST(avg(CAST(o.patrol_km_per_head AS DECIMAL(38, 12))) AS DOUBLE) AS patrol_km_per_head,
       CAST(avg(CAST(o.planned_completion AS DECIMAL(38, 12))) AS DOUBLE) AS planned_completion,
       CAST(avg(CAST(o.defects_per_100km AS DECIMAL(38, 12))) AS DOUBLE) AS defects_per_100km,
       CAST(avg(CAST(o.timely_elimination_share AS DECIMAL(38, 12))) AS DOUBLE) AS timely_elimination_share,
       CAST(avg(CAST(o.violations_per_100_staff AS DECIMAL(38, 12))) AS DOUBLE) AS violations_per_100_staff,
       CAST(avg(CAST(o.near_misses AS DECIMAL(38, 12))) AS DOUBLE) AS near_misses,
       CAST(avg(CAST(o.responsible_incidents AS DECIMAL(38, 12))) AS DOUBLE) AS responsible_incidents,
       CAST(avg(CAST(o.longest_safe_run AS DECIMAL(38, 12))) AS DOUBLE) AS longest_safe_run
FROM outcomes AS o
GROUP BY o.pidx, o.period
ORDER BY o.pidx
