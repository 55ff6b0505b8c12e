-- fragment: outcomes
-- description: outcome metrics per group and period through the group–team mapping in force on each date (docs/metrics.md, "Outcomes").
-- uses: calendar, groups
-- params: limit_general, limit_serious, limit_critical
-- shared: pat_team, dft_team, outcomes
team_split AS (
    -- The months in which the groups a team's records count for change on a day inside the
    -- month: a mapping row of the team starts on a day other than the 1st, or ends on a day
    -- other than the month's last. Everywhere else the mapping in force on a record's day is
    -- the one in force on every day of its month.
    SELECT DISTINCT team_id, CAST(date_trunc('month', b) AS DATE) AS ms
    FROM (
        SELECT team_id, valid_from AS b FROM group_teams
        UNION ALL
        SELECT team_id, valid_to + 1 FROM group_teams WHERE valid_to IS NOT NULL
    )
    WHERE b <> CAST(date_trunc('month', b) AS DATE)
),
pat_team AS (
    -- Patrols summed per team and month before they meet the mapping (8 M patrols become the
    -- team-months, and the mapping's range join runs on those): a record is keyed by the first
    -- day of its month inside the range, or by its own day in a month of team_split. Every sum
    -- is exact (DECIMAL km, integer counts), so summing the team-months again per group gives
    -- the per-record sums to the last digit. Every period grain is made of whole months, so the
    -- key lies in the record's period.
    SELECT p.team_id, CASE WHEN s.team_id IS NULL THEN greatest(p.ms, b.lo) ELSE p.d END AS d,
           sum(CAST(p.km AS DECIMAL(18, 6))) AS km,
           sum(p.defects_found) AS defects_found,
           sum(CAST(p.km AS DECIMAL(18, 6))) FILTER (WHERE p.defects_found IS NOT NULL) AS km_with_defects,
           count(*) FILTER (WHERE p.planned) AS planned_n,
           count(*) FILTER (WHERE p.planned AND p.completed) AS completed_n
    FROM (SELECT team_id, patrolled_on AS d, patrolled_on - CAST(dayofmonth(patrolled_on) - 1 AS INTEGER) AS ms,
                 km, defects_found, planned, completed
          FROM patrols) AS p
    LEFT JOIN team_split AS s ON s.team_id = p.team_id AND s.ms = p.ms
    CROSS JOIN bounds AS b
    WHERE p.d BETWEEN b.lo AND b.hi
    GROUP BY 1, 2
),
pat AS (
    -- km summed as DECIMAL (each value to the millimetre, the sum exact) and turned back into
    -- DOUBLE: a float sum differs in the last bit from run to run with DuckDB's threads, and
    -- analyze must give the same answer every run.
    SELECT gt.group_id, c.pidx,
           CAST(sum(p.km) AS DOUBLE) AS km,
           sum(p.defects_found) AS defects_found,
           CAST(sum(p.km_with_defects) AS DOUBLE) AS km_with_defects,
           CAST(sum(p.planned_n) AS BIGINT) AS planned_n,
           CAST(sum(p.completed_n) AS BIGINT) AS completed_n
    FROM pat_team AS p
    JOIN cal AS c ON c.d = p.d
    JOIN group_teams AS gt ON gt.team_id = p.team_id
        AND p.d >= gt.valid_from AND (gt.valid_to IS NULL OR p.d <= gt.valid_to)
    GROUP BY gt.group_id, c.pidx
),
dft_team AS (
    -- Defects per team and month (or day, as for patrols), each judged timely on its own dates.
    SELECT d.team_id, CASE WHEN s.team_id IS NULL THEN greatest(d.ms, b.lo) ELSE d.d END AS d,
           count(*) AS found_n,
           count(*) FILTER (WHERE d.eliminated_on IS NOT NULL AND d.eliminated_on - d.d <=
               CASE d.severity WHEN 'critical' THEN CAST($limit_critical AS INTEGER)
                               WHEN 'serious' THEN CAST($limit_serious AS INTEGER)
                               ELSE CAST($limit_general AS INTEGER) END) AS timely_n
    FROM (SELECT team_id, found_on AS d, found_on - CAST(dayofmonth(found_on) - 1 AS INTEGER) AS ms,
                 eliminated_on, severity
          FROM defects) AS d
    LEFT JOIN team_split AS s ON s.team_id = d.team_id AND s.ms = d.ms
    CROSS JOIN bounds AS b
    WHERE d.d BETWEEN b.lo AND b.hi
    GROUP BY 1, 2
),
dft AS (
    SELECT gt.group_id, c.pidx,
           CAST(sum(d.found_n) AS BIGINT) AS found_n,
           CAST(sum(d.timely_n) AS BIGINT) AS timely_n
    FROM dft_team AS d
    JOIN cal AS c ON c.d = d.d
    JOIN group_teams AS gt ON gt.team_id = d.team_id
        AND d.d >= gt.valid_from AND (gt.valid_to IS NULL OR d.d <= gt.valid_to)
    GROUP BY gt.group_id, c.pidx
),
sev AS (
    SELECT gt.group_id, c.pidx, e.occurred_on, e.kind, e.responsible
    FROM safety_events AS e
    JOIN cal AS c ON c.d = e.occurred_on
    JOIN group_teams AS gt ON gt.team_id = e.team_id
        AND e.occurred_on >= gt.valid_from AND (gt.valid_to IS NULL OR e.occurred_on <= gt.valid_to)
),
saf AS (
    SELECT group_id, pidx,
           count(*) FILTER (WHERE kind = 'violation') AS violations,
           count(*) FILTER (WHERE kind = 'near_miss') AS near_misses,
           count(*) FILTER (WHERE kind IN ('obstacle', 'accident') AND responsible) AS responsible_incidents
    FROM sev
    GROUP BY group_id, pidx
),
incident_days AS (
    -- The days of responsible obstacles and accidents inside the days the group existed in the
    -- period (a few thousand at province scale).
    SELECT DISTINCT s.group_id, s.pidx, s.occurred_on AS d, gp.gp_lo, gp.gp_hi
    FROM sev AS s
    JOIN gp ON gp.group_id = s.group_id AND gp.pidx = s.pidx
    WHERE s.kind IN ('obstacle', 'accident') AND s.responsible
      AND s.occurred_on BETWEEN gp.gp_lo AND gp.gp_hi
),
safe_run AS (
    -- Longest run of days (within the days the group existed in the period) with no responsible
    -- obstacle or accident: the largest gap between consecutive event days, the period's edges
    -- counting as events just outside it. Only the group-periods with such a day are here: for
    -- the others the run is every day the group existed (outcomes), and the window over a
    -- million group-months was the largest part of the query.
    SELECT group_id, pidx, max(d - prev_d - 1) AS longest_safe_run
    FROM (
        SELECT group_id, pidx, d, lag(d) OVER (PARTITION BY group_id, pidx ORDER BY d) AS prev_d
        FROM (
            SELECT group_id, pidx, d FROM incident_days
            UNION ALL
            SELECT DISTINCT group_id, pidx, gp_lo - 1 FROM incident_days
            UNION ALL
            SELECT DISTINCT group_id, pidx, gp_hi + 1 FROM incident_days
        )
    )
    WHERE prev_d IS NOT NULL
    GROUP BY group_id, pidx
),
outcomes AS (
    -- One row per row of gp, with the group's and period's names so that a query listing
    -- outcomes needs no second join with gp.
    SELECT gp.group_id, gp.pidx, gp.unit_id, gp.unit_name, gp.branch_id, gp.group_name,
           gp.period, gp.p_lo, gp.p_hi,
           st.staff,
           CASE WHEN st.staff > 0 THEN coalesce(pat.km, 0) / st.staff END AS patrol_km_per_head,
           pat.completed_n / nullif(pat.planned_n, 0) AS planned_completion,
           100 * pat.defects_found / nullif(pat.km_with_defects, 0) AS defects_per_100km,
           dft.timely_n / nullif(dft.found_n, 0) AS timely_elimination_share,
           CASE WHEN st.staff > 0 THEN 100 * coalesce(saf.violations, 0) / st.staff END AS violations_per_100_staff,
           CASE WHEN st.staff IS NOT NULL THEN coalesce(saf.near_misses, 0) END AS near_misses,
           CASE WHEN st.staff IS NOT NULL THEN coalesce(saf.responsible_incidents, 0) END AS responsible_incidents,
           CASE WHEN st.staff IS NOT NULL THEN coalesce(sr.longest_safe_run, gp.gp_hi - gp.gp_lo + 1) END AS longest_safe_run
    FROM gp
    LEFT JOIN staff AS st ON st.group_id = gp.group_id AND st.pidx = gp.pidx
    LEFT JOIN pat ON pat.group_id = gp.group_id AND pat.pidx = gp.pidx
    LEFT JOIN dft ON dft.group_id = gp.group_id AND dft.pidx = gp.pidx
    LEFT JOIN saf ON saf.group_id = gp.group_id AND saf.pidx = gp.pidx
    LEFT JOIN safe_run AS sr ON sr.group_id = gp.group_id AND sr.pidx = gp.pidx
)
