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
        -- fixed scale keeps.) Each group-half's scores are listed, sorted and added one by one
        -- from 0, the additions sum(score ORDER BY score) makes, in about half its time: its
        -- sort was 30 % of the panel at province scale (1.4 M item scores). A list of no
        -- scores is NULL, as their sum is.
        SELECT a.group_id, a.half,
               CAST(substr(a.half, 1, 4) AS INTEGER) AS year,
               CAST(substr(a.half, 6, 1) AS INTEGER) AS h,
               list_reduce(list_sort(list(a.score) FILTER (WHERE a.score IS NOT NULL)),
                           lambda acc, x: acc + x, CAST(0 AS DOUBLE)) AS raw_total,
               list_reduce(list_sort(list(a.max_score) FILTER (WHERE a.max_score IS NOT NULL)),
                           lambda acc, x: acc + x, CAST(0 AS DOUBLE)) AS max_total,
               count(a.max_score) AS max_n,
               count(*) AS items,
               count(DISTINCT a.dimension) AS dimensions,
               CASE WHEN substr(a.half, 6, 1) = '1' THEN make_date(CAST(substr(a.half, 1, 4) AS INTEGER), 6, 30)
                    ELSE make_date(CAST(substr(a.half, 1, 4) AS INTEGER), 12, 31) END AS half_end
        FROM assessments AS a
        GROUP BY a.group_id, a.half
    )
)
