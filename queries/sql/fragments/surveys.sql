-- fragment: surveys
-- description: survey scores per group, period, audience and dimension (dimension NULL: all items), with distinct respondents; responses reach a group through their team's mapping on the response date.
-- uses: calendar, groups
answers AS (
    SELECT gt.group_id, c.pidx, i.audience, i.dimension,
           r.survey_id || chr(31) || r.response_id AS respondent,
           (CASE WHEN coalesce(i.reverse, false) THEN i.scale_max + 1 - r.score ELSE r.score END - 1)
               / (i.scale_max - 1) * 100 AS points
    FROM survey_responses AS r
    JOIN survey_items AS i ON i.survey_id = r.survey_id AND i.item_code = r.item_code
    JOIN cal AS c ON c.d = r.responded_on
    JOIN group_teams AS gt ON gt.team_id = r.team_id
        AND r.responded_on >= gt.valid_from AND (gt.valid_to IS NULL OR r.responded_on <= gt.valid_to)
),
survey_cells AS (
    SELECT a.group_id, a.pidx, a.audience, a.dimension,
           avg(a.points) AS score,
           count(DISTINCT a.respondent) AS respondents
    FROM answers AS a
    JOIN gp ON gp.group_id = a.group_id AND gp.pidx = a.pidx
    GROUP BY GROUPING SETS ((a.group_id, a.pidx, a.audience, a.dimension), (a.group_id, a.pidx, a.audience))
),
satisfaction AS (
    -- Overall scores per audience for the panel; cells under 5 respondents stay empty.
    SELECT group_id, pidx,
           max(score) FILTER (WHERE audience = 'employee' AND respondents >= 5) AS employee_satisfaction,
           max(score) FILTER (WHERE audience = 'customer' AND respondents >= 5) AS customer_satisfaction,
           max(respondents) FILTER (WHERE audience = 'employee') AS employee_respondents,
           max(respondents) FILTER (WHERE audience = 'customer') AS customer_respondents
    FROM survey_cells
    WHERE dimension IS NULL
    GROUP BY group_id, pidx
)
