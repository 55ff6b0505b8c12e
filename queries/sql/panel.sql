-- name: panel
-- description_zh: 分析用面板：每个党小组、期间和滞后期一行（只含党小组存续整个期间的期间），活动指标取滞后期之前的值（同一党小组），成效与满意度取当期；附是否示范党小组（上一次考评为优秀）
-- description_en: The analysis panel: one row per group, period and lag (only periods the group existed for in full), activity metrics taken lag periods earlier (same group), outcomes and satisfaction in the period; with the model-group flag (graded excellent in its latest earlier assessment)
-- params: period, from, to, unit, model_post_kinds, limit_general, limit_serious, limit_critical, lags, excellent
-- uses: calendar, groups, activity, outcomes, surveys, assess_totals
WITH wide AS (
    -- whole: the group existed for the whole period. A period a group was formed or dissolved in
    -- is left out: its counts (meetings held, near misses, ...) cover part of the period, so
    -- activity and outcomes would move together with the days covered, not with each other (on
    -- the generator's company scale this made 7 % of true nulls "significant" at the year grain).
    SELECT gp.group_id, gp.unit_id, gp.pidx, gp.period, gp.p_lo,
           gp.gp_lo = gp.p_lo AND gp.gp_hi = gp.p_hi AS whole,
           a.meetings_held, a.monthly_compliance, a.attendance_rate, a.critique_per_meeting,
           a.problems_raised_per_meeting, a.problems_resolved_per_meeting, a.resolution_rate,
           a.production_linked_share, a.study_only_share, a.model_posts_held, a.model_post_awarded,
           a.demo_days_held, a.leader_trained,
           o.patrol_km_per_head, o.planned_completion, o.defects_per_100km, o.timely_elimination_share,
           o.violations_per_100_staff, o.near_misses, o.responsible_incidents, o.longest_safe_run,
           s.employee_satisfaction, s.customer_satisfaction
    FROM gp
    LEFT JOIN activity AS a ON a.group_id = gp.group_id AND a.pidx = gp.pidx
    LEFT JOIN outcomes AS o ON o.group_id = gp.group_id AND o.pidx = gp.pidx
    LEFT JOIN satisfaction AS s ON s.group_id = gp.group_id AND s.pidx = gp.pidx
),
lags AS (
    SELECT DISTINCT CAST(trim(x) AS INTEGER) AS lag
    FROM (SELECT unnest(string_split(CAST($lags AS VARCHAR), ',')) AS x)
),
model AS (
    SELECT w.group_id, w.pidx,
           (SELECT arg_max(t.total, t.half_end) FROM assess_totals AS t
            WHERE t.group_id = w.group_id AND t.half_end < w.p_lo) >= CAST($excellent AS DOUBLE) AS model_group
    FROM wide AS w
)
SELECT cur.group_id, cur.unit_id, cur.period, cur.pidx, l.lag,
       coalesce(md.model_group, false) AS model_group,
       prev.meetings_held, prev.monthly_compliance, prev.attendance_rate, prev.critique_per_meeting,
       prev.problems_raised_per_meeting, prev.problems_resolved_per_meeting, prev.resolution_rate,
       prev.production_linked_share, prev.study_only_share, prev.model_posts_held, prev.model_post_awarded,
       prev.demo_days_held, prev.leader_trained,
       cur.patrol_km_per_head, cur.planned_completion, cur.defects_per_100km, cur.timely_elimination_share,
       cur.violations_per_100_staff, cur.near_misses, cur.responsible_incidents, cur.longest_safe_run,
       cur.employee_satisfaction, cur.customer_satisfaction
FROM wide AS cur
CROSS JOIN lags AS l
LEFT JOIN wide AS prev ON prev.group_id = cur.group_id AND prev.pidx = cur.pidx - l.lag AND prev.whole
LEFT JOIN model AS md ON md.group_id = cur.group_id AND md.pidx = cur.pidx
WHERE cur.whole
ORDER BY l.lag, cur.group_id, cur.pidx
