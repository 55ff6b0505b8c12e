-- fragment: calendar
-- description: the date range (bounds), one row per day (cal) with its period, the periods, and the cadence slots (months, quarters, years) with the period each slot ends in.
-- params: period, from, to
bounds AS (
    SELECT
        coalesce(CAST($from AS DATE),
                 CAST(date_trunc('year', least(
                     (SELECT min(held_on) FROM meetings),
                     (SELECT min(patrolled_on) FROM patrols),
                     (SELECT min(occurred_on) FROM safety_events))) AS DATE),
                 DATE '2000-01-01') AS lo,
        coalesce(CAST($to AS DATE),
                 CAST(date_trunc('year', greatest(
                     (SELECT max(held_on) FROM meetings),
                     (SELECT max(patrolled_on) FROM patrols),
                     (SELECT max(occurred_on) FROM safety_events))) + INTERVAL 1 YEAR - INTERVAL 1 DAY AS DATE),
                 DATE '2000-12-31') AS hi
),
cal AS (
    SELECT
        d,
        CASE CAST($period AS VARCHAR)
            WHEN 'month' THEN year(d) * 12 + month(d) - 1
            WHEN 'quarter' THEN year(d) * 4 + quarter(d) - 1
            WHEN 'half' THEN year(d) * 2 + CASE WHEN month(d) <= 6 THEN 0 ELSE 1 END
            ELSE year(d)
        END AS pidx,
        CASE CAST($period AS VARCHAR)
            WHEN 'month' THEN strftime(d, '%Y-%m')
            WHEN 'quarter' THEN CAST(year(d) AS VARCHAR) || 'Q' || CAST(quarter(d) AS VARCHAR)
            WHEN 'half' THEN CAST(year(d) AS VARCHAR) || CASE WHEN month(d) <= 6 THEN 'H1' ELSE 'H2' END
            ELSE CAST(year(d) AS VARCHAR)
        END AS period
    FROM (
        SELECT CAST(t.ts AS DATE) AS d
        FROM bounds, generate_series(CAST(bounds.lo AS TIMESTAMP), CAST(bounds.hi AS TIMESTAMP), INTERVAL 1 DAY) AS t(ts)
    )
),
periods AS (
    SELECT pidx, any_value(period) AS period, min(d) AS p_lo, max(d) AS p_hi, count(*) AS p_days
    FROM cal
    GROUP BY pidx
),
slots AS (
    -- Cadence slots that lie wholly inside the date range, and the period each one ends in.
    SELECT s.every, s.s_lo, s.s_hi, c.pidx
    FROM (
        SELECT 'month' AS every, min(d) AS s_lo, max(d) AS s_hi FROM cal GROUP BY year(d), month(d)
        UNION ALL
        SELECT 'quarter', min(d), max(d) FROM cal GROUP BY year(d), quarter(d)
        UNION ALL
        SELECT 'half', min(d), max(d) FROM cal GROUP BY year(d), month(d) <= 6
        UNION ALL
        SELECT 'year', min(d), max(d) FROM cal GROUP BY year(d)
    ) AS s
    JOIN cal AS c ON c.d = s.s_hi
    WHERE s.s_lo = CAST(date_trunc(CASE s.every WHEN 'half' THEN 'month' ELSE s.every END, s.s_lo) AS DATE)
      AND (s.every <> 'half' OR month(s.s_lo) IN (1, 7))
      AND s.s_hi = CAST(date_trunc(CASE s.every WHEN 'half' THEN 'month' ELSE s.every END, s.s_lo)
                        + CASE s.every WHEN 'month' THEN INTERVAL 1 MONTH WHEN 'quarter' THEN INTERVAL 3 MONTH
                                       WHEN 'half' THEN INTERVAL 6 MONTH ELSE INTERVAL 1 YEAR END
                        - INTERVAL 1 DAY AS DATE)
)
