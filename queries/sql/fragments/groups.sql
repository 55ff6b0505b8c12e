-- fragment: groups
-- description: party groups in scope (unit filter) with their lifetime, and one row per group and period the group existed in (gp), with the days of the period it existed (gp_lo..gp_hi).
-- uses: calendar
-- params: unit
grp AS (
    SELECT g.group_id, g.name AS group_name, g.branch_id, b.name AS branch_name, b.unit_id, u.name AS unit_name, g.leader_id,
           coalesce(g.formed_on, DATE '0001-01-01') AS g_from,
           coalesce(g.dissolved_on, DATE '9999-12-31') AS g_to
    FROM party_groups AS g
    JOIN branches AS b ON b.branch_id = g.branch_id
    LEFT JOIN units AS u ON u.unit_id = b.unit_id
    WHERE CAST($unit AS VARCHAR) IS NULL OR b.unit_id = CAST($unit AS VARCHAR)
),
gp AS (
    SELECT grp.*, p.pidx, p.period, p.p_lo, p.p_hi, p.p_days,
           greatest(p.p_lo, grp.g_from) AS gp_lo, least(p.p_hi, grp.g_to) AS gp_hi
    FROM grp
    JOIN periods AS p ON grp.g_from <= p.p_hi AND grp.g_to >= p.p_lo
),
gmap AS (
    -- Each mapping row of a group in scope, cut to each period: the days it is in force there.
    SELECT gp.group_id, gp.pidx, gt.team_id, t.headcount,
           greatest(gt.valid_from, gp.p_lo) AS m_lo,
           least(coalesce(gt.valid_to, DATE '9999-12-31'), gp.p_hi) AS m_hi,
           gp.p_days
    FROM gp
    JOIN group_teams AS gt ON gt.group_id = gp.group_id
        AND gt.valid_from <= gp.p_hi AND (gt.valid_to IS NULL OR gt.valid_to >= gp.p_lo)
    JOIN teams AS t ON t.team_id = gt.team_id
),
staff AS (
    -- Person-periods: headcount × days in force ÷ days in the period, summed over mapped teams.
    -- The person-days are summed as integers and divided once (p_days is the period's): a float
    -- sum would differ in the last bit from run to run with DuckDB's threads.
    SELECT group_id, pidx,
           sum(coalesce(headcount, 0) * (m_hi - m_lo + 1)) / any_value(p_days) AS staff
    FROM gmap
    GROUP BY group_id, pidx
)
