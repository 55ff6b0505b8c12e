-- name: annual_practices
-- description_zh: 期间内记录在案的工作举措（年度调研报告“主要做法”）：新组建、撤销和调整班组对应的党小组，授予和撤销的示范岗（按类型），示范日，党小组长培训，明确联系支委的党小组；每项给出次数、涉及党小组数、党小组总数、首末日期
-- description_en: The measures on record in the period (the annual write-up's "what was done"): groups formed, dissolved and re-mapped to teams, model posts awarded and revoked (by kind), demonstration days, group-leader training, groups with a liaison committee member; each with its count, the groups involved, the groups in scope and the first and last dates
-- params: from, to, unit
WITH rng AS (
    SELECT CAST($from AS DATE) AS lo, CAST($to AS DATE) AS hi
),
grp AS (
    SELECT g.group_id, g.formed_on, g.dissolved_on, g.leader_id, g.liaison_id, b.unit_id
    FROM party_groups AS g
    JOIN branches AS b ON b.branch_id = g.branch_id
    WHERE CAST($unit AS VARCHAR) IS NULL OR b.unit_id = CAST($unit AS VARCHAR)
),
live AS (
    SELECT grp.* FROM grp, rng
    WHERE coalesce(formed_on, DATE '0001-01-01') <= rng.hi AND coalesce(dissolved_on, DATE '9999-12-31') >= rng.lo
),
n_live AS (SELECT count(*) AS n, count(leader_id) AS with_leader FROM live),
posts AS (
    SELECT p.*, t.unit_id FROM model_posts AS p
    JOIN teams AS t ON t.team_id = p.team_id
    WHERE CAST($unit AS VARCHAR) IS NULL OR t.unit_id = CAST($unit AS VARCHAR)
),
rows AS (
    SELECT 'group_formed' AS practice, '' AS detail, count(*) AS n, count(*) AS groups, 0 AS teams,
           min(formed_on) AS first_on, max(formed_on) AS last_on
    FROM grp, rng WHERE formed_on BETWEEN rng.lo AND rng.hi
    UNION ALL
    SELECT 'group_dissolved', '', count(*), count(*), 0, min(dissolved_on), max(dissolved_on)
    FROM grp, rng WHERE dissolved_on BETWEEN rng.lo AND rng.hi
    UNION ALL
    -- Existing groups whose team mapping changed: restructured, not newly formed.
    SELECT 'group_remapped', '', count(*), count(DISTINCT gt.group_id), count(DISTINCT gt.team_id), min(gt.valid_from), max(gt.valid_from)
    FROM group_teams AS gt JOIN grp USING (group_id), rng
    WHERE gt.valid_from BETWEEN rng.lo AND rng.hi AND coalesce(grp.formed_on, DATE '0001-01-01') < gt.valid_from
    UNION ALL
    SELECT 'model_post_awarded', p.kind, count(*), count(DISTINCT p.group_id), count(DISTINCT p.team_id), min(p.awarded_on), max(p.awarded_on)
    FROM posts AS p, rng WHERE p.awarded_on BETWEEN rng.lo AND rng.hi GROUP BY p.kind
    UNION ALL
    SELECT 'model_post_revoked', '', count(*), count(DISTINCT p.group_id), count(DISTINCT p.team_id), min(p.revoked_on), max(p.revoked_on)
    FROM posts AS p, rng WHERE p.revoked_on BETWEEN rng.lo AND rng.hi
    UNION ALL
    SELECT 'model_post_in_force', '', count(*), count(DISTINCT p.group_id), count(DISTINCT p.team_id), NULL, NULL
    FROM posts AS p, rng WHERE p.awarded_on <= rng.hi AND (p.revoked_on IS NULL OR p.revoked_on > rng.hi)
    UNION ALL
    SELECT 'demo_day', '', count(*), count(DISTINCT m.group_id), 0, min(m.held_on), max(m.held_on)
    FROM meetings AS m JOIN live USING (group_id), rng
    WHERE m.kind = 'demo_day' AND m.held_on BETWEEN rng.lo AND rng.hi
    UNION ALL
    SELECT 'leader_trained', '', count(*), count(DISTINCT live.group_id), 0, min(tr.held_on), max(tr.held_on)
    FROM trainings AS tr JOIN live ON live.leader_id = tr.person_id, rng
    WHERE tr.kind = 'leader_training' AND tr.held_on BETWEEN rng.lo AND rng.hi
    UNION ALL
    SELECT 'liaison', '', count(liaison_id), count(liaison_id), 0, NULL, NULL FROM live
)
SELECT r.practice, r.detail, CAST(r.n AS BIGINT) AS n, CAST(r.groups AS BIGINT) AS groups, CAST(r.teams AS BIGINT) AS teams,
       CAST(CASE WHEN r.practice = 'leader_trained' THEN n_live.with_leader ELSE n_live.n END AS BIGINT) AS of_groups,
       r.first_on, r.last_on
FROM rows AS r, n_live
ORDER BY r.practice, r.detail
