-- fragment: recorded
-- description: the months in which each unit has meeting records, at group level (a group's own meetings) and at branch level (meetings with no group); a month a unit has no records at a level is missing data (无记录), never a meeting its groups failed to hold.
-- uses:
meeting_months AS (
    SELECT DISTINCT b.unit_id, m.group_id IS NULL AS branch_level,
           CAST(date_trunc('month', m.held_on) AS DATE) AS m_start
    FROM meetings AS m
    LEFT JOIN party_groups AS g ON g.group_id = m.group_id
    JOIN branches AS b ON b.branch_id = coalesce(g.branch_id, m.branch_id)
)
