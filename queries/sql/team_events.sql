-- name: team_events
-- description_zh: 班组面板（双重差分用）：每个班组和期间的百人违章数，首次授予示范岗（六类示范岗）的期间，首次划入期间内新组建党小组的期间，以及班组曾属的全部党小组（用于聚类）
-- description_en: Team panel for difference in differences: violations per 100 staff by team and period, the period of the team's first model post (of the six model-post kinds), the period the team first came under a party group formed within the data, and every party group the team was ever mapped to (for clustering)
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
),
team_groups AS (
    -- Every group the team was ever in: teams linked through a group share its baseline and
    -- activity, so the standard errors cluster them together.
    SELECT gt.team_id, string_agg(DISTINCT gt.group_id, ',' ORDER BY gt.group_id) AS group_ids
    FROM group_teams AS gt
    GROUP BY ALL
),
first_new_group AS (
    -- A group formed after the first period (a new 运行党小组 out of two operations teams,
    -- say); groups that already existed when the records begin are not events.
    SELECT gt.team_id, min(gt.valid_from) AS first_new
    FROM group_teams AS gt
    JOIN party_groups AS g ON g.group_id = gt.group_id
    WHERE g.formed_on > (SELECT min(p_lo) FROM periods)
    GROUP BY ALL
)
SELECT tm.team_id, tm.unit_id, p.period, p.pidx,
       100 * coalesce(v.violations, 0) / tm.headcount AS violations_per_100_staff,
       CASE WHEN fp.first_award IS NULL OR fp.first_award > (SELECT max(p_hi) FROM periods) THEN NULL
            WHEN fp.first_award < (SELECT min(p_lo) FROM periods) THEN (SELECT min(pidx) FROM periods) - 1
            ELSE (SELECT c.pidx FROM cal AS c WHERE c.d = fp.first_award)
       END AS event_pidx,
       CASE WHEN ng.first_new IS NULL OR ng.first_new > (SELECT max(p_hi) FROM periods) THEN NULL
            ELSE (SELECT c.pidx FROM cal AS c WHERE c.d = ng.first_new)
       END AS group_formed_pidx,
       tg.group_ids
FROM tm
CROSS JOIN periods AS p
LEFT JOIN viol AS v ON v.team_id = tm.team_id AND v.pidx = p.pidx
LEFT JOIN first_post AS fp ON fp.team_id = tm.team_id
LEFT JOIN first_new_group AS ng ON ng.team_id = tm.team_id
LEFT JOIN team_groups AS tg ON tg.team_id = tm.team_id
ORDER BY tm.team_id, p.pidx
