-- fragment: assess_totals
-- description: assessment totals per group and half (out of 100), with the items and dimensions scored.
-- uses:
assess_totals AS (
    SELECT a.group_id, a.half,
           CAST(substr(a.half, 1, 4) AS INTEGER) AS year,
           CAST(substr(a.half, 6, 1) AS INTEGER) AS h,
           CASE WHEN count(a.max_score) = count(*) AND sum(a.max_score) > 0
                THEN 100 * sum(a.score) / sum(a.max_score)
                ELSE sum(a.score) END AS total,
           sum(a.score) AS raw_total,
           sum(a.max_score) AS max_total,
           count(*) AS items,
           count(DISTINCT a.dimension) AS dimensions,
           CASE WHEN substr(a.half, 6, 1) = '1' THEN make_date(CAST(substr(a.half, 1, 4) AS INTEGER), 6, 30)
                ELSE make_date(CAST(substr(a.half, 1, 4) AS INTEGER), 12, 31) END AS half_end
    FROM assessments AS a
    GROUP BY a.group_id, a.half
)
