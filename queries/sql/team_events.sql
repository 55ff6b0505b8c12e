-- name: team_events
-- description_zh: 班组面板（双重差分用）：每个班组和期间的百人违章数，以及首次授予示范岗（六类示范岗）的期间
-- description_en: Team panel for difference in differences: violations per 100 staff by team and period, and the period of the team's first model post (of the six model-post kinds)
-- params: period, from, to, unit, model_post_kinds
-- uses: calendar
WITH tm AS (
    SELECT t.team_id, t.unit_id, t.headcount
    FROM teams AS t
    WHERE (CAST($unit AS VARCHAR) IS NULL OR t.unit_id = CAST($unit AS VARCHAR))
      AND coalesce(t.headcount, 0) > 0
),
viol AS (
    SELECT e.team_id, c.pidx, count(*) AS violations
    FROM safety_events AS e
    JOIN cal AS c ON c.d = e.occurred_on
    WHERE e.kind = 'violation'
    GROUP BY ALL
),
first_post AS (
    SELECT mp.team_id, min(mp.awarded_on) AS first_award
    FROM model_posts AS mp
    WHERE list_contains(string_split(CAST($model_post_kinds AS VARCHAR), ','), mp.kind)
    GROUP BY ALL
)
SELECT tm.team_id, tm.unit_id, p.period, p.pidx,
       100 * coalesce(v.violations, 0) / tm.headcount AS violations_per_100_staff,
       CASE WHEN fp.first_award IS NULL OR fp.first_award > (SELECT max(p_hi) FROM periods) THEN NULL
            WHEN fp.first_award < (SELECT min(p_lo) FROM periods) THEN (SELECT min(pidx) FROM periods) - 1
            ELSE (SELECT c.pidx FROM cal AS c WHERE c.d = fp.first_award)
       END AS event_pidx
FROM tm
CROSS JOIN periods AS p
LEFT JOIN viol AS v ON v.team_id = tm.team_id AND v.pidx = p.pidx
LEFT JOIN first_post AS fp ON fp.team_id = tm.team_id
ORDER BY tm.team_id, p.pidx
