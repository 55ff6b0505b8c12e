-- fragment: assess_totals
-- description: assessment totals per group and half (out of 100), with the items and dimensions scored.
-- uses:
assess_totals AS (
    SELECT group_id, half, year, h,
           CASE WHEN max_n = items AND max_total > 0 THEN 100 * raw_total / max_total
                ELSE raw_total END AS total,
           raw_total, max_total, items, dimensions, half_end
    FROM (
        -- Scores summed in ascending order: a float sum in the order DuckDB's threads deliver
        -- differs in the last bit from run to run, which could move a total of 90 across the
        -- excellent line. (Not DECIMAL: item scores such as 94/12 have more digits than any
        -- fixed scale keeps; a group's items are few, so the sort costs nothing.)
        SELECT a.group_id, a.half,
               CAST(substr(a.half, 1, 4) AS INTEGER) AS year,
               CAST(substr(a.half, 6, 1) AS INTEGER) AS h,
               sum(a.score ORDER BY a.score) AS raw_total,
               sum(a.max_score ORDER BY a.max_score) AS max_total,
               count(a.max_score) AS max_n,
               count(*) AS items,
               count(DISTINCT a.dimension) AS dimensions,
               CASE WHEN substr(a.half, 6, 1) = '1' THEN make_date(CAST(substr(a.half, 1, 4) AS INTEGER), 6, 30)
                    ELSE make_date(CAST(substr(a.half, 1, 4) AS INTEGER), 12, 31) END AS half_end
        FROM assessments AS a
        GROUP BY a.group_id, a.half
    )
)
