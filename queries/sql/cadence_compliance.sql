-- name: cadence_compliance
-- description_zh: 组织生活按规定频次开展情况（党小组会、支委会、主题党日按月，党员大会、党课、示范日按季，组织生活会、民主评议、谈心谈话按年；频次可在 mingdeng.yaml 配置）：应开期数、达标期数、达标率；支部层面的会议计入其下每个党小组
-- description_en: Compliance with the cadence of organisational life (group meeting, committee meeting, theme day monthly; general meeting, party lecture, demonstration day quarterly; life meeting, member review, heart talk yearly; configurable in mingdeng.yaml): slots required, slots met, share; branch-level meetings count for each of the branch's groups
-- params: period, from, to, unit, cadences
-- uses: calendar, groups, recorded
WITH cad AS (
    SELECT c.kind, c.every, c.min
    FROM (SELECT unnest(from_json(CAST($cadences AS VARCHAR),
                                  '[{"kind":"VARCHAR","every":"VARCHAR","min":"INTEGER"}]'), recursive := true)) AS c
),
mt AS (
    -- Each meeting of a kind with a cadence, with the start of its cadence slot.
    SELECT m.group_id, m.branch_id, m.kind,
           CASE cad.every
               WHEN 'month' THEN CAST(date_trunc('month', m.held_on) AS DATE)
               WHEN 'quarter' THEN CAST(date_trunc('quarter', m.held_on) AS DATE)
               WHEN 'half' THEN make_date(year(m.held_on), CASE WHEN month(m.held_on) <= 6 THEN 1 ELSE 7 END, 1)
               ELSE CAST(date_trunc('year', m.held_on) AS DATE)
           END AS s_lo
    FROM meetings AS m
    JOIN cad ON cad.kind = m.kind
),
by_group AS (
    SELECT group_id, kind, s_lo, count(*) AS n FROM mt WHERE group_id IS NOT NULL GROUP BY ALL
),
by_branch AS (
    SELECT branch_id, kind, s_lo, count(*) AS n FROM mt WHERE group_id IS NULL AND branch_id IS NOT NULL GROUP BY ALL
),
kind_level AS (
    -- The level a kind is recorded at (branch level when most of its records have no group):
    -- the group meeting comes in the groups' file, the committee meeting in the branches'.
    -- A kind with no records at all has no level, so no slot of it is required.
    SELECT kind, avg(CAST(group_id IS NULL AS INTEGER)) >= 0.5 AS branch_level FROM mt GROUP BY kind
),
cs AS (
    SELECT gp.unit_id, gp.branch_id, gp.group_id, gp.group_name, gp.period, gp.pidx,
           cad.kind, cad.every, cad.min, s.s_lo,
           coalesce(bg.n, 0) + coalesce(bb.n, 0) AS held
    FROM gp
    JOIN slots AS s ON s.pidx = gp.pidx
    JOIN cad ON cad.every = s.every
    JOIN kind_level AS kl ON kl.kind = cad.kind
    LEFT JOIN by_group AS bg ON bg.group_id = gp.group_id AND bg.kind = cad.kind AND bg.s_lo = s.s_lo
    LEFT JOIN by_branch AS bb ON bb.branch_id = gp.branch_id AND bb.kind = cad.kind AND bb.s_lo = s.s_lo
    WHERE gp.g_from <= s.s_lo AND gp.g_to >= s.s_hi
      -- Only slots for which the group's unit has meeting records at the kind's level: a slot
      -- with none is missing data (无记录), not a meeting the group failed to hold.
      AND EXISTS (SELECT 1 FROM meeting_months AS rec
                  WHERE rec.unit_id = gp.unit_id AND rec.branch_level = kl.branch_level
                    AND rec.m_start BETWEEN s.s_lo AND s.s_hi)
)
SELECT cs.unit_id, cs.branch_id, cs.group_id, cs.group_name, cs.period, cs.kind,
       l.label_zh AS kind_zh, l.label_en AS kind_en, cs.every, cs.min AS min_per_slot,
       count(*) AS slots_required,
       count(*) FILTER (WHERE cs.held >= cs.min) AS slots_met,
       count(*) FILTER (WHERE cs.held >= cs.min) / count(*) AS compliance,
       sum(cs.held) AS held
FROM cs
LEFT JOIN _labels AS l ON l.dataset = 'meetings' AND l.column_name = 'kind' AND l.code = cs.kind
GROUP BY ALL
ORDER BY cs.unit_id, cs.branch_id, cs.group_id, min(cs.pidx), cs.kind
