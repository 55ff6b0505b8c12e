-- name: group_compliance
-- description_zh: 党小组会按 mingdeng.yaml 规定频次的达标情况（按党小组和期间）：规定的频次（every，每多少时间）和每期至少召开次数（min_per_slot），期间内结束、党小组整期存续且所在单位有党小组会记录的应开期数、达标期数、达标率和召开次数；未规定党小组会频次时 every 为空、不核对；报告按规定的频次逐期展示
-- description_en: Group meetings against the cadence of mingdeng.yaml, by group and period: the cadence (every) and the meetings required per slot (min_per_slot), the slots ending in the period that the group existed through and whose unit has group meeting records, the slots met, the share and the meetings held; with no group-meeting cadence every is empty and nothing is checked; the reports show it slot by slot
-- params: period, from, to, unit, cadences
-- uses: calendar, groups, recorded
WITH cad AS (
    SELECT c.every, c.min
    FROM (SELECT unnest(from_json(CAST($cadences AS VARCHAR),
                                  '[{"kind":"VARCHAR","every":"VARCHAR","min":"INTEGER"}]'), recursive := true)) AS c
    WHERE c.kind = 'group_meeting'
    LIMIT 1
),
held_slots AS (
    -- Group meetings per group and slot of the cadence (the slot named by its first day).
    SELECT m.group_id,
           CASE cad.every
               WHEN 'month' THEN CAST(date_trunc('month', m.held_on) AS DATE)
               WHEN 'quarter' THEN CAST(date_trunc('quarter', m.held_on) AS DATE)
               WHEN 'half' THEN make_date(year(m.held_on), CASE WHEN month(m.held_on) <= 6 THEN 1 ELSE 7 END, 1)
               ELSE CAST(date_trunc('year', m.held_on) AS DATE)
           END AS s_lo,
           count(*) AS n
    FROM meetings AS m, cad
    WHERE m.group_id IS NOT NULL AND m.kind = 'group_meeting'
    GROUP BY ALL
),
recorded_slots AS (
    -- The slots in which each unit has group-level meeting records.
    SELECT DISTINCT rec.unit_id,
           CASE cad.every
               WHEN 'month' THEN rec.m_start
               WHEN 'quarter' THEN CAST(date_trunc('quarter', rec.m_start) AS DATE)
               WHEN 'half' THEN make_date(year(rec.m_start), CASE WHEN month(rec.m_start) <= 6 THEN 1 ELSE 7 END, 1)
               ELSE CAST(date_trunc('year', rec.m_start) AS DATE)
           END AS s_lo
    FROM meeting_months AS rec, cad
    WHERE NOT rec.branch_level
),
slot_held AS (
    -- The cadence's slots ending in the period that the group existed through, for which its
    -- unit has group-level meeting records (a slot with none is missing data, 无记录, not a
    -- meeting the group failed to hold), with the group meetings held in each.
    SELECT gp.group_id, gp.pidx, cad.min, coalesce(h.n, 0) AS n
    FROM gp
    JOIN slots AS s ON s.pidx = gp.pidx
    JOIN cad ON cad.every = s.every
    JOIN recorded_slots AS rs ON rs.unit_id = gp.unit_id AND rs.s_lo = s.s_lo
    LEFT JOIN held_slots AS h ON h.group_id = gp.group_id AND h.s_lo = s.s_lo
    WHERE gp.g_from <= s.s_lo AND gp.g_to >= s.s_hi
),
per AS (
    SELECT group_id, pidx, count(*) AS slots_required,
           count(*) FILTER (WHERE n >= min) AS slots_met, sum(n) AS held
    FROM slot_held
    GROUP BY group_id, pidx
)
SELECT gp.unit_id, gp.unit_name, gp.branch_id, gp.branch_name, gp.group_id, gp.group_name, gp.period,
       cad.every, cad.min AS min_per_slot, per.slots_required, per.slots_met,
       CASE WHEN per.slots_required > 0 THEN per.slots_met / per.slots_required END AS compliance,
       per.held AS meetings_held
FROM gp
LEFT JOIN cad ON true
LEFT JOIN per ON per.group_id = gp.group_id AND per.pidx = gp.pidx
ORDER BY gp.unit_id, gp.branch_id, gp.group_id, gp.pidx
