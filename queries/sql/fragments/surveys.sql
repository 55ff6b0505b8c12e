-- fragment: surveys
-- description: survey scores per group, period, audience and dimension (dimension NULL: all items), with distinct respondents; responses reach a group through their team's mapping on the response date.
-- uses: calendar, groups
scored AS NOT MATERIALIZED (
    -- Not materialised: it is read twice (answers, respondent_sums), and DuckDB would otherwise
    -- store all 8.5 M scored answers at province scale before either read them.
    -- Points are counted in 1/2520ths of the scale (2520 = lcm(1..9); the data contract keeps
    -- scale_max in 2..10, ingest rejects the rest), so every sum below is an exact integer and a cell's score one
    -- division: the same in every run whatever order DuckDB's threads add in, and equal
    -- averages stay equal (with float points, 70 vs 69.99999999999999 moved rank ties).
    SELECT r.survey_id, r.response_id, r.team_id, r.responded_on, i.audience, i.dimension,
           (CASE WHEN coalesce(i.reverse, false) THEN i.scale_max + 1 - r.score ELSE r.score END - 1)
               * (2520 // (i.scale_max - 1)) AS points
    FROM survey_responses AS r
    JOIN survey_items AS i ON i.survey_id = r.survey_id AND i.item_code = r.item_code
),
answers AS (
    SELECT gt.group_id, c.pidx, s.audience, s.dimension, s.survey_id, s.response_id, s.points
    FROM scored AS s
    JOIN cal AS c ON c.d = s.responded_on
    JOIN group_teams AS gt ON gt.team_id = s.team_id
        AND s.responded_on >= gt.valid_from AND (gt.valid_to IS NULL OR s.responded_on <= gt.valid_to)
),
-- Respondents are counted in two steps (one row per respondent and cell, then rows per cell)
-- rather than with count(DISTINCT) over every answer: at province scale (8.5 M answers) the
-- distinct aggregate took 18 s of the panel's 44 s.
respondent_dims AS (
    SELECT a.group_id, a.pidx, a.audience, a.dimension, a.survey_id, a.response_id,
           sum(a.points) AS points_sum, count(a.points) AS points_n
    FROM answers AS a
    JOIN gp ON gp.group_id = a.group_id AND gp.pidx = a.pidx
    GROUP BY a.group_id, a.pidx, a.audience, a.dimension, a.survey_id, a.response_id
),
-- The totals (all items) sum each respondent's answers before the team mapping and the calendar:
-- 1.6 M respondents instead of 8.5 M answers to map at province scale. A respondent answers on
-- one day for one team; the second step still merges one who did not, within a cell.
respondent_sums AS (
    SELECT survey_id, response_id, team_id, responded_on, audience,
           sum(points) AS points_sum, count(points) AS points_n
    FROM scored
    GROUP BY survey_id, response_id, team_id, responded_on, audience
),
respondent_totals AS (
    SELECT gt.group_id, c.pidx, x.audience, x.survey_id, x.response_id,
           sum(x.points_sum) AS points_sum, sum(x.points_n) AS points_n
    FROM respondent_sums AS x
    JOIN cal AS c ON c.d = x.responded_on
    JOIN group_teams AS gt ON gt.team_id = x.team_id
        AND x.responded_on >= gt.valid_from AND (gt.valid_to IS NULL OR x.responded_on <= gt.valid_to)
    WHERE EXISTS (SELECT 1 FROM gp WHERE gp.group_id = gt.group_id AND gp.pidx = c.pidx)
    GROUP BY gt.group_id, c.pidx, x.audience, x.survey_id, x.response_id
),
survey_cells AS (
    SELECT group_id, pidx, audience, dimension,
           100 * sum(points_sum) / nullif(2520 * sum(points_n), 0) AS score,
           count(*) AS respondents
    FROM respondent_dims
    GROUP BY group_id, pidx, audience, dimension
    UNION ALL
    SELECT group_id, pidx, audience, CAST(NULL AS VARCHAR) AS dimension,
           100 * sum(points_sum) / nullif(2520 * sum(points_n), 0) AS score,
           count(*) AS respondents
    FROM respondent_totals
    GROUP BY group_id, pidx, audience
),
survey_marked AS (
    -- Every cell with its suppression: fewer than 5 respondents, or the complement (the
    -- smallest other cell of the same unit, period, audience and dimension) when a unit would
    -- otherwise have exactly one suppressed cell, which its total would give away by subtraction.
    -- Every path that shows survey scores reads this, so none shows a cell another suppresses.
    SELECT *,
           CASE WHEN primary_sup THEN 'fewer_than_5'
                WHEN sup_in_parent = 1 AND cells_in_parent >= 2 AND rank_in_kind = 1 THEN 'complementary'
           END AS suppressed
    FROM (
        SELECT *,
               count(*) FILTER (WHERE primary_sup) OVER parent AS sup_in_parent,
               count(*) OVER parent AS cells_in_parent,
               row_number() OVER (PARTITION BY unit_id, pidx, audience, dimension, primary_sup
                                  ORDER BY respondents, group_id) AS rank_in_kind
        FROM (
            SELECT gp.unit_id, gp.branch_id, gp.group_id, gp.group_name, gp.period, gp.pidx,
                   sc.audience, sc.dimension, sc.dimension IS NULL AS is_total,
                   sc.score, sc.respondents, sc.respondents < 5 AS primary_sup
            FROM survey_cells AS sc
            JOIN gp ON gp.group_id = sc.group_id AND gp.pidx = sc.pidx
        ) AS cells
        WINDOW parent AS (PARTITION BY unit_id, pidx, audience, dimension)
    ) AS ranked
),
satisfaction AS (
    -- Overall scores per audience for the panel: only the cells group_surveys shows.
    SELECT group_id, pidx,
           max(score) FILTER (WHERE audience = 'employee') AS employee_satisfaction,
           max(score) FILTER (WHERE audience = 'customer') AS customer_satisfaction,
           max(respondents) FILTER (WHERE audience = 'employee') AS employee_respondents,
           max(respondents) FILTER (WHERE audience = 'customer') AS customer_respondents
    FROM survey_marked
    WHERE dimension IS NULL AND suppressed IS NULL
    GROUP BY group_id, pidx
)
