-- fragment: outcomes
-- description: outcome metrics per group and period through the group–team mapping in force on each date (docs/metrics.md, "Outcomes").
-- uses: calendar, groups
-- params: limit_general, limit_serious, limit_critical
-- shared: outcomes
pat AS (
    -- km summed as DECIMAL (each value to the millimetre, the sum exact) and turned back into
    -- DOUBLE: a float sum differs in the last bit from run to run with DuckDB's threads, and
    -- analyze must give the same answer every run.
    SELECT gt.group_id, c.pidx,
           CAST(sum(CAST(p.km AS DECIMAL(18, 6))) AS DOUBLE) AS km,
           sum(p.defects_found) AS defects_found,
           CAST(sum(CAST(p.km AS DECIMAL(18, 6))) FILTER (WHERE p.defects_found IS NOT NULL) AS DOUBLE) AS km_with_defects,
           count(*) FILTER (WHERE p.planned) AS planned_n,
           count(*) FILTER (WHERE p.planned AND p.completed) AS completed_n
    FROM patrols AS p
    JOIN cal AS c ON c.d = p.patrolled_on
    JOIN group_teams AS gt ON gt.team_id = p.team_id
        AND p.patrolled_on >= gt.valid_from AND (gt.valid_to IS NULL OR p.patrolled_on <= gt.valid_to)
    GROUP BY gt.group_id, c.pidx
),
dft AS (
    SELECT gt.group_id, c.pidx,
           count(*) AS found_n,
           count(*) FILTER (WHERE d.eliminated_on IS NOT NULL AND d.eliminated_on - d.found_on <=
               CASE d.severity WHEN 'critical' THEN CAST($limit_critical AS INTEGER)
                               WHEN 'serious' THEN CAST($limit_serious AS INTEGER)
                               ELSE CAST($limit_general AS INTEGER) END) AS timely_n
    FROM defects AS d
    JOIN cal AS c ON c.d = d.found_on
    JOIN group_teams AS gt ON gt.team_id = d.team_id
        AND d.found_on >= gt.valid_from AND (gt.valid_to IS NULL OR d.found_on <= gt.valid_to)
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
safe_run AS (
    -- Longest run of days (within the days the group existed in the period) with no responsible
    -- obstacle or accident: the largest gap between consecutive event days, the period's edges
    -- counting as events just outside it.
    SELECT group_id, pidx, max(d - prev_d - 1) AS longest_safe_run
    FROM (
        SELECT group_id, pidx, d, lag(d) OVER (PARTITION BY group_id, pidx ORDER BY d) AS prev_d
        FROM (
            SELECT DISTINCT s.group_id, s.pidx, s.occurred_on AS d
            FROM sev AS s
            JOIN gp ON gp.group_id = s.group_id AND gp.pidx = s.pidx
            WHERE s.kind IN ('obstacle', 'accident') AND s.responsible
              AND s.occurred_on BETWEEN gp.gp_lo AND gp.gp_hi
            UNION ALL
            SELECT group_id, pidx, gp_lo - 1 FROM gp
            UNION ALL
            SELECT group_id, pidx, gp_hi + 1 FROM gp
        )
    )
    WHERE prev_d IS NOT NULL
    GROUP BY group_id, pidx
),
outcomes AS (
    SELECT gp.group_id, gp.pidx,
           st.staff,
           CASE WHEN st.staff > 0 THEN coalesce(pat.km, 0) / st.staff END AS patrol_km_per_head,
           pat.completed_n / nullif(pat.planned_n, 0) AS planned_completion,
           100 * pat.defects_found / nullif(pat.km_with_defects, 0) AS defects_per_100km,
           dft.timely_n / nullif(dft.found_n, 0) AS timely_elimination_share,
           CASE WHEN st.staff > 0 THEN 100 * coalesce(saf.violations, 0) / st.staff END AS violations_per_100_staff,
           CASE WHEN st.staff IS NOT NULL THEN coalesce(saf.near_misses, 0) END AS near_misses,
           CASE WHEN st.staff IS NOT NULL THEN coalesce(saf.responsible_incidents, 0) END AS responsible_incidents,
           CASE WHEN st.staff IS NOT NULL THEN sr.longest_safe_run END AS longest_safe_run
    FROM gp
    LEFT JOIN staff AS st ON st.group_id = gp.group_id AND st.pidx = gp.pidx
    LEFT JOIN pat ON pat.group_id = gp.group_id AND pat.pidx = gp.pidx
    LEFT JOIN dft ON dft.group_id = gp.group_id AND dft.pidx = gp.pidx
    LEFT JOIN saf ON saf.group_id = gp.group_id AND saf.pidx = gp.pidx
    LEFT JOIN safe_run AS sr ON sr.group_id = gp.group_id AND sr.pidx = gp.pidx
)
