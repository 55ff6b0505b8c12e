-- name: data_coverage
-- description_zh: 数据完整性：每个数据集每个月有多少条记录（按记录自身的日期列；考评按半年末月、民主评议按年末月），有记录的单位数，以及按该数据集应有的频次（按月、半年或年）这个月所在的时段是否无记录；“数据是否齐全”以此为准（mingdeng check、报告开头的数据完整性说明）
-- description_en: Data completeness: how many records each dataset has in each month (by the records' own date column; assessments at the last month of their half, member reviews at the last month of their year), how many units have records, and whether the slot of the dataset's expected frequency (month, half or year) holding the month has no records; the one answer to "is the data complete?" (mingdeng check, the reports' data completeness note)
-- params: from, to, unit
WITH bounds AS (
    -- Default range: the whole years that hold any dated record (not the model-post ledger,
    -- whose posts may have been awarded years before any other record).
    SELECT
        CAST(date_trunc('month', coalesce(CAST($from AS DATE),
            CAST(date_trunc('year', least(
                (SELECT min(held_on) FROM meetings), (SELECT min(held_on) FROM trainings),
                (SELECT min(awarded_on) FROM awards),
                (SELECT min(patrolled_on) FROM patrols), (SELECT min(found_on) FROM defects),
                (SELECT min(occurred_on) FROM safety_events), (SELECT min(responded_on) FROM survey_responses),
                (SELECT make_date(min(CAST(left(half, 4) AS INTEGER)), 1, 1) FROM assessments),
                (SELECT make_date(CAST(min(year) AS INTEGER), 1, 1) FROM member_reviews))) AS DATE),
            DATE '2000-01-01')) AS DATE) AS lo,
        coalesce(CAST($to AS DATE),
            CAST(date_trunc('year', greatest(
                (SELECT max(held_on) FROM meetings), (SELECT max(held_on) FROM trainings),
                (SELECT max(awarded_on) FROM awards),
                (SELECT max(patrolled_on) FROM patrols), (SELECT max(found_on) FROM defects),
                (SELECT max(occurred_on) FROM safety_events), (SELECT max(responded_on) FROM survey_responses),
                (SELECT make_date(max(CAST(left(half, 4) AS INTEGER)), 1, 1) FROM assessments),
                (SELECT make_date(CAST(max(year) AS INTEGER), 1, 1) FROM member_reviews))) + INTERVAL 1 YEAR - INTERVAL 1 DAY AS DATE),
            DATE '2000-12-31') AS hi
),
months AS (
    SELECT CAST(t.m AS DATE) AS m
    FROM bounds, generate_series(CAST(bounds.lo AS TIMESTAMP), CAST(bounds.hi AS TIMESTAMP), INTERVAL 1 MONTH) AS t(m)
),
-- The datasets with a date, in the order shown, and the frequency records are expected at:
-- a month (or half, or year) of that grain with no records is missing data. Events that may
-- rightly not happen in a month (defects, safety events, awards, trainings) are expected
-- yearly; model posts are a ledger with no expected frequency.
ds AS (
    SELECT * FROM (VALUES
        (1, 'meetings', 'group', 'month'),
        (2, 'meetings', 'branch', 'month'),
        (3, 'attendance', NULL, 'month'),
        (4, 'assessments', NULL, 'half'),
        (5, 'member_reviews', NULL, 'year'),
        (6, 'trainings', NULL, 'year'),
        (7, 'awards', NULL, 'year'),
        (8, 'model_posts', NULL, 'none'),
        (9, 'patrols', NULL, 'month'),
        (10, 'defects', NULL, 'year'),
        (11, 'safety_events', NULL, 'year'),
        (12, 'survey_responses', NULL, 'year')
    ) AS v(ord, dataset, part, grain)
),
gu AS (
    SELECT g.group_id, b.unit_id FROM party_groups AS g JOIN branches AS b ON b.branch_id = g.branch_id
),
pu AS (
    SELECT p.person_id, coalesce(t.unit_id, gu.unit_id) AS unit_id
    FROM people AS p
    LEFT JOIN teams AS t ON t.team_id = p.team_id
    LEFT JOIN gu ON gu.group_id = p.group_id
),
mu AS (
    -- Each meeting with its level, month and unit (a group's unit through its branch).
    SELECT m.meeting_id, m.held_on, CAST(date_trunc('month', m.held_on) AS DATE) AS m, m.group_id IS NOT NULL AS group_level,
           coalesce(gu.unit_id, b.unit_id) AS unit_id
    FROM meetings AS m
    LEFT JOIN gu ON gu.group_id = m.group_id
    LEFT JOIN branches AS b ON b.branch_id = m.branch_id
),
inrange AS (
    -- Each dataset counted on its own, per month and unit, inside the range, instead of one
    -- 41 M-row union of records (a dataset name, a part, a date and a unit each) counted at the
    -- end. Attendance (17 M rows at province scale) is counted per meeting before it meets the
    -- meetings: 0.7x the CPU of joining every row, though a --unit report, whose filter on
    -- counted reaches each branch's join, then reads every attendance row where the join alone
    -- could skip other units' (about a second at province scale).
    SELECT 'meetings' AS dataset, CASE WHEN mu.group_level THEN 'group' ELSE 'branch' END AS part,
           mu.m, mu.unit_id, count(*) AS n
    FROM mu, bounds
    WHERE mu.held_on BETWEEN bounds.lo AND bounds.hi
    GROUP BY ALL
    UNION ALL
    SELECT 'attendance', NULL, mu.m, mu.unit_id, CAST(sum(a.n) AS BIGINT)
    FROM (SELECT meeting_id, count(*) AS n FROM attendance GROUP BY meeting_id) AS a
    JOIN mu ON mu.meeting_id = a.meeting_id, bounds
    WHERE mu.held_on BETWEEN bounds.lo AND bounds.hi
    GROUP BY ALL
    UNION ALL
    SELECT 'assessments', NULL, x.d, gu.unit_id, count(*)
    FROM (SELECT group_id, make_date(CAST(left(half, 4) AS INTEGER), CASE WHEN substr(half, 6, 1) = '1' THEN 6 ELSE 12 END, 1) AS d
          FROM assessments) AS x
    LEFT JOIN gu ON gu.group_id = x.group_id, bounds
    WHERE x.d BETWEEN bounds.lo AND bounds.hi
    GROUP BY ALL
    UNION ALL
    SELECT 'member_reviews', NULL, x.d, pu.unit_id, count(*)
    FROM (SELECT person_id, make_date(CAST(year AS INTEGER), 12, 1) AS d FROM member_reviews) AS x
    LEFT JOIN pu ON pu.person_id = x.person_id, bounds
    WHERE x.d BETWEEN bounds.lo AND bounds.hi
    GROUP BY ALL
    UNION ALL
    SELECT 'trainings', NULL, CAST(date_trunc('month', tr.held_on) AS DATE), pu.unit_id, count(*)
    FROM trainings AS tr LEFT JOIN pu ON pu.person_id = tr.person_id, bounds
    WHERE tr.held_on BETWEEN bounds.lo AND bounds.hi
    GROUP BY ALL
    UNION ALL
    SELECT 'awards', NULL, CAST(date_trunc('month', aw.awarded_on) AS DATE), pu.unit_id, count(*)
    FROM awards AS aw LEFT JOIN pu ON pu.person_id = aw.person_id, bounds
    WHERE aw.awarded_on BETWEEN bounds.lo AND bounds.hi
    GROUP BY ALL
    UNION ALL
    SELECT 'model_posts', NULL, CAST(date_trunc('month', mp.awarded_on) AS DATE), t.unit_id, count(*)
    FROM model_posts AS mp LEFT JOIN teams AS t ON t.team_id = mp.team_id, bounds
    WHERE mp.awarded_on BETWEEN bounds.lo AND bounds.hi
    GROUP BY ALL
    UNION ALL
    SELECT 'patrols', NULL, CAST(date_trunc('month', p.patrolled_on) AS DATE), t.unit_id, count(*)
    FROM patrols AS p LEFT JOIN teams AS t ON t.team_id = p.team_id, bounds
    WHERE p.patrolled_on BETWEEN bounds.lo AND bounds.hi
    GROUP BY ALL
    UNION ALL
    SELECT 'defects', NULL, CAST(date_trunc('month', d.found_on) AS DATE), t.unit_id, count(*)
    FROM defects AS d LEFT JOIN teams AS t ON t.team_id = d.team_id, bounds
    WHERE d.found_on BETWEEN bounds.lo AND bounds.hi
    GROUP BY ALL
    UNION ALL
    SELECT 'safety_events', NULL, CAST(date_trunc('month', e.occurred_on) AS DATE), t.unit_id, count(*)
    FROM safety_events AS e LEFT JOIN teams AS t ON t.team_id = e.team_id, bounds
    WHERE e.occurred_on BETWEEN bounds.lo AND bounds.hi
    GROUP BY ALL
    UNION ALL
    SELECT 'survey_responses', NULL, CAST(date_trunc('month', r.responded_on) AS DATE), r.unit_id, count(*)
    FROM survey_responses AS r, bounds
    WHERE r.responded_on BETWEEN bounds.lo AND bounds.hi
    GROUP BY ALL
),
counted AS (
    -- Rows per unit first, then units per month: the same as count(DISTINCT unit_id), without
    -- a distinct set per month over every record.
    SELECT dataset, part, m, sum(n) AS n, count(unit_id) AS units
    FROM inrange
    WHERE CAST($unit AS VARCHAR) IS NULL OR unit_id = CAST($unit AS VARCHAR)
    GROUP BY ALL
),
ledger AS (
    -- Records of the ledger datasets (grain none in ds: the model posts) on or before the
    -- range's last day: a post awarded years ago is still on record.
    SELECT 'model_posts' AS dataset, count(*) AS n
    FROM model_posts AS mp LEFT JOIN teams AS t ON t.team_id = mp.team_id, bounds
    WHERE mp.awarded_on <= bounds.hi
      AND (CAST($unit AS VARCHAR) IS NULL OR t.unit_id = CAST($unit AS VARCHAR))
    GROUP BY ALL
),
grid AS (
    SELECT ds.ord, ds.dataset, ds.part, ds.grain, months.m,
           CASE ds.grain
               WHEN 'month' THEN strftime(months.m, '%Y-%m')
               WHEN 'half' THEN CAST(year(months.m) AS VARCHAR) || CASE WHEN month(months.m) <= 6 THEN 'H1' ELSE 'H2' END
               WHEN 'year' THEN CAST(year(months.m) AS VARCHAR)
           END AS slot,
           coalesce(c.n, 0) AS n, coalesce(c.units, 0) AS units
    FROM ds
    CROSS JOIN months
    LEFT JOIN counted AS c ON c.dataset = ds.dataset AND c.part IS NOT DISTINCT FROM ds.part AND c.m = months.m
)
SELECT dataset, part, grain, strftime(m, '%Y-%m') AS month, slot,
       n AS "rows", units,
       sum(n) OVER (PARTITION BY dataset, part, slot) AS slot_rows,
       CASE WHEN grain = 'none' THEN coalesce((SELECT l.n FROM ledger AS l WHERE l.dataset = grid.dataset), 0) = 0
            ELSE sum(n) OVER (PARTITION BY dataset, part, slot) = 0 END AS missing
FROM grid
ORDER BY ord, m
