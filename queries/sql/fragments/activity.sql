-- fragment: activity
-- description: activity metrics per group and period (docs/metrics.md, "Activity").
-- uses: calendar, groups, recorded
-- params: model_post_kinds
-- shared: activity
gm AS (
    -- Group meetings and demonstration days held by the group itself.
    SELECT m.group_id, c.pidx,
           count(*) FILTER (WHERE m.kind = 'group_meeting') AS meetings_held,
           sum(m.attended) FILTER (WHERE m.kind = 'group_meeting' AND m.expected IS NOT NULL) AS att_sum,
           sum(m.expected) FILTER (WHERE m.kind = 'group_meeting' AND m.attended IS NOT NULL) AS exp_sum,
           avg(m.critique_items) FILTER (WHERE m.kind = 'group_meeting') AS critique_per_meeting,
           avg(m.problems_raised) FILTER (WHERE m.kind = 'group_meeting') AS problems_raised_per_meeting,
           avg(m.problems_resolved) FILTER (WHERE m.kind = 'group_meeting') AS problems_resolved_per_meeting,
           sum(m.problems_resolved) FILTER (WHERE m.kind = 'group_meeting' AND m.problems_raised IS NOT NULL) AS resolved_sum,
           sum(m.problems_raised) FILTER (WHERE m.kind = 'group_meeting' AND m.problems_resolved IS NOT NULL) AS raised_sum,
           avg(CAST(m.production_linked AS INTEGER)) FILTER (WHERE m.kind = 'group_meeting') AS production_linked_share,
           avg(CAST(m.study_only AS INTEGER)) FILTER (WHERE m.kind = 'group_meeting') AS study_only_share,
           count(*) FILTER (WHERE m.kind = 'demo_day') AS demo_days_held
    FROM meetings AS m
    JOIN cal AS c ON c.d = m.held_on
    WHERE m.group_id IS NOT NULL AND m.kind IN ('group_meeting', 'demo_day')
    GROUP BY m.group_id, c.pidx
),
gm_months AS (
    SELECT DISTINCT group_id, CAST(date_trunc('month', held_on) AS DATE) AS m_start
    FROM meetings
    WHERE group_id IS NOT NULL AND kind = 'group_meeting'
),
gm_month AS (
    -- Whole months the group existed in, ending in the period, for which its unit has
    -- group-level meeting records, and whether it met in each. A month the unit has no such
    -- records (a year not loaded, a file forgotten) is not required: no records is not "did
    -- not meet". A group with no month required has no row (compliance NULL, not 0).
    SELECT gp.group_id, gp.pidx,
           count(*) AS months_required,
           count(x.m_start) AS months_met
    FROM gp
    JOIN slots AS s ON s.every = 'month' AND s.pidx = gp.pidx
    JOIN meeting_months AS rec ON rec.unit_id = gp.unit_id AND NOT rec.branch_level AND rec.m_start = s.s_lo
    LEFT JOIN gm_months AS x ON x.group_id = gp.group_id AND x.m_start = s.s_lo
    WHERE gp.g_from <= s.s_lo AND gp.g_to >= s.s_hi
    GROUP BY gp.group_id, gp.pidx
),
posts_held AS (
    -- Model posts in force on the last day of the period in teams mapped to the group that day.
    SELECT gm.group_id, gm.pidx, count(DISTINCT mp.post_id) AS model_posts_held
    FROM gmap AS gm
    JOIN periods AS p ON p.pidx = gm.pidx
    JOIN model_posts AS mp ON mp.team_id = gm.team_id
    WHERE gm.m_lo <= p.p_hi AND gm.m_hi >= p.p_hi
      AND mp.awarded_on <= p.p_hi AND (mp.revoked_on IS NULL OR mp.revoked_on > p.p_hi)
    GROUP BY gm.group_id, gm.pidx
),
posts_share AS (
    -- Share of the group's person-periods spent in teams holding one of the model-post kinds.
    -- Integer person-days divided once, as in staff (reproducible whatever the threads' order).
    SELECT x.group_id, x.pidx, sum(coalesce(x.headcount, 0) * x.held_days) / any_value(x.p_days) AS held_staff
    FROM (
        SELECT gm.group_id, gm.pidx, gm.team_id, gm.m_lo, gm.headcount, gm.p_days,
               least(gm.m_hi - gm.m_lo + 1,
                     sum(greatest(0, least(gm.m_hi, coalesce(mp.revoked_on - 1, DATE '9999-12-31'))
                                     - greatest(gm.m_lo, mp.awarded_on) + 1))) AS held_days
        FROM gmap AS gm
        JOIN model_posts AS mp ON mp.team_id = gm.team_id
        WHERE list_contains(string_split(CAST($model_post_kinds AS VARCHAR), ','), mp.kind)
          AND mp.awarded_on <= gm.m_hi AND (mp.revoked_on IS NULL OR mp.revoked_on > gm.m_lo)
        GROUP BY gm.group_id, gm.pidx, gm.team_id, gm.m_lo, gm.m_hi, gm.headcount, gm.p_days
    ) AS x
    GROUP BY x.group_id, x.pidx
),
leader AS (
    SELECT gp.group_id, gp.pidx,
           CASE WHEN gp.leader_id IS NULL THEN NULL
                WHEN EXISTS (SELECT 1 FROM trainings AS tr
                             WHERE tr.person_id = gp.leader_id AND tr.kind = 'leader_training'
                               AND year(tr.held_on) = year(gp.p_lo)) THEN 1 ELSE 0 END AS leader_trained
    FROM gp
),
activity AS (
    SELECT gp.group_id, gp.pidx,
           coalesce(gm.meetings_held, 0) AS meetings_held,
           CASE WHEN mo.months_required > 0 THEN mo.months_met / mo.months_required END AS monthly_compliance,
           gm.att_sum / nullif(gm.exp_sum, 0) AS attendance_rate,
           gm.critique_per_meeting,
           gm.problems_raised_per_meeting,
           gm.problems_resolved_per_meeting,
           gm.resolved_sum / nullif(gm.raised_sum, 0) AS resolution_rate,
           gm.production_linked_share,
           gm.study_only_share,
           coalesce(ph.model_posts_held, 0) AS model_posts_held,
           CASE WHEN st.staff > 0 THEN coalesce(ps.held_staff, 0) / st.staff END AS model_post_awarded,
           coalesce(gm.demo_days_held, 0) AS demo_days_held,
           ld.leader_trained
    FROM gp
    LEFT JOIN gm ON gm.group_id = gp.group_id AND gm.pidx = gp.pidx
    LEFT JOIN gm_month AS mo ON mo.group_id = gp.group_id AND mo.pidx = gp.pidx
    LEFT JOIN posts_held AS ph ON ph.group_id = gp.group_id AND ph.pidx = gp.pidx
    LEFT JOIN posts_share AS ps ON ps.group_id = gp.group_id AND ps.pidx = gp.pidx
    LEFT JOIN staff AS st ON st.group_id = gp.group_id AND st.pidx = gp.pidx
    LEFT JOIN leader AS ld ON ld.group_id = gp.group_id AND ld.pidx = gp.pidx
)
