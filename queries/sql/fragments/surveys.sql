-- fragment: surveys
-- description: survey scores per group, period, audience and dimension (dimension NULL: all items), with distinct respondents; responses reach a group through their team's mapping on the response date. Cells are computed over whole calendar halves only, whatever from/to say: the span is widened to the whole halves (whole years with period year) it touches, a year is the respondent-weighted mean of its shown halves, and month or quarter requests get half cells.
-- uses: calendar, groups
-- params: period
-- shared: survey_marked
survey_span AS (
    -- Why whole halves: a cell over an arbitrary date window could be differenced with the
    -- cell of a window one day longer, and the difference (one day's one or two respondents)
    -- is a cell under 5 that no suppression saw. With every cell over a fixed half, two
    -- requests give either the same cell or disjoint ones; a year is built from the halves
    -- shown, never from the respondents of a hidden half.
    SELECT CAST($period AS VARCHAR) = 'year' AS by_year,
           CASE WHEN CAST($period AS VARCHAR) = 'year' THEN year(lo) * 2 ELSE year(lo) * 2 + CAST(month(lo) > 6 AS INTEGER) END AS h_first,
           CASE WHEN CAST($period AS VARCHAR) = 'year' THEN year(hi) * 2 + 1 ELSE year(hi) * 2 + CAST(month(hi) > 6 AS INTEGER) END AS h_last
    FROM bounds
),
survey_halves AS (
    SELECT h AS hidx, h // 2 AS yr,
           CAST(h // 2 AS VARCHAR) || CASE WHEN h % 2 = 0 THEN 'H1' ELSE 'H2' END AS half,
           make_date(CAST(h // 2 AS INTEGER), CASE WHEN h % 2 = 0 THEN 1 ELSE 7 END, 1) AS h_lo,
           make_date(CAST(h // 2 AS INTEGER), CASE WHEN h % 2 = 0 THEN 6 ELSE 12 END, CASE WHEN h % 2 = 0 THEN 30 ELSE 31 END) AS h_hi
    FROM survey_span, range(survey_span.h_first, survey_span.h_last + 1) AS t(h)
),
ghalf AS (
    -- Groups in scope and the halves of the span they existed in; g_rank is the group's place in
    -- code order, for the complementary suppression's "then group code" (half_marked).
    SELECT grp.group_id, grp.group_name, grp.branch_id, grp.unit_id, sh.hidx, sh.yr, sh.half, sh.h_lo, sh.h_hi,
           dense_rank() OVER (ORDER BY grp.group_id) AS g_rank
    FROM grp
    JOIN survey_halves AS sh ON grp.g_from <= sh.h_hi AND grp.g_to >= sh.h_lo
),
survey_bits AS (
    -- Each item with its dimension's bit within its questionnaire (survey and audience): a
    -- respondent's answered dimensions are one integer (dims_answered below), so the dimension
    -- cells count respondents without a row per respondent and dimension. A questionnaire with
    -- more than 64 dimensions has its further ones counted respondent by respondent (wide_dims).
    SELECT survey_id, item_code, audience, dimension, reverse, scale_max,
           dense_rank() OVER (PARTITION BY survey_id, audience ORDER BY dimension) - 1 AS dim_bit
    FROM survey_items
),
scored AS NOT MATERIALIZED (
    -- Not materialised: it is read more than once (through answers, and by respondent_sums),
    -- and DuckDB would otherwise store all 8.5 M scored answers at province scale first.
    -- Points are counted in 1/2520ths of the scale (2520 = lcm(1..9); the data contract keeps
    -- scale_max in 2..10, ingest rejects the rest), so every sum below is an exact integer and a cell's score one
    -- division: the same in every run whatever order DuckDB's threads add in, and equal
    -- averages stay equal (with float points, 70 vs 69.99999999999999 moved rank ties).
    SELECT r.survey_id, r.response_id, r.team_id, r.responded_on, i.audience, i.dimension, i.dim_bit,
           (CASE WHEN coalesce(i.reverse, false) THEN i.scale_max + 1 - r.score ELSE r.score END - 1)
               * (2520 // (i.scale_max - 1)) AS points
    FROM survey_responses AS r
    JOIN survey_bits AS i ON i.survey_id = r.survey_id AND i.item_code = r.item_code
),
answers AS NOT MATERIALIZED (
    SELECT gt.group_id, sh.hidx AS pidx, s.audience, s.dimension, s.dim_bit, s.survey_id, s.response_id, s.points
    FROM scored AS s
    -- The half by arithmetic and an equality: BETWEEN the halves' dates is a nested-loop join
    -- over every answer.
    JOIN survey_halves AS sh ON sh.hidx = year(s.responded_on) * 2 + CAST(month(s.responded_on) > 6 AS INTEGER)
    JOIN group_teams AS gt ON gt.team_id = s.team_id
        AND s.responded_on >= gt.valid_from AND (gt.valid_to IS NULL OR s.responded_on <= gt.valid_to)
),
-- A dimension cell's score is its answers' points over its answers, summed straight into the
-- cell; its respondents come from each respondent's set of answered dimensions (dim_counts).
-- At province scale (8.5 M answers) a row per respondent and dimension was 7.2 M groups, most
-- of the survey cells' time.
dim_sums AS (
    SELECT a.group_id, a.pidx, a.audience, a.dimension,
           sum(a.points) AS points_sum, count(a.points) AS points_n
    FROM answers AS a
    JOIN ghalf AS gh ON gh.group_id = a.group_id AND gh.hidx = a.pidx
    GROUP BY a.group_id, a.pidx, a.audience, a.dimension
),
-- The totals (all items) sum each respondent's answers before the team mapping and the calendar:
-- 1.6 M respondents instead of 8.5 M answers to map at province scale. A respondent answers on
-- one day for one team; the second step still merges one who did not, within a cell.
respondent_sums AS (
    SELECT survey_id, response_id, team_id, responded_on, audience,
           sum(points) AS points_sum, count(points) AS points_n,
           bit_or(CASE WHEN dim_bit < 64 THEN CAST(1 AS UBIGINT) << CAST(dim_bit AS INTEGER) END) AS dims_answered
    FROM scored
    GROUP BY survey_id, response_id, team_id, responded_on, audience
),
respondent_totals AS (
    SELECT gt.group_id, sh.hidx AS pidx, x.audience, x.survey_id, x.response_id,
           sum(x.points_sum) AS points_sum, sum(x.points_n) AS points_n, bit_or(x.dims_answered) AS dims_answered
    FROM respondent_sums AS x
    JOIN survey_halves AS sh ON sh.hidx = year(x.responded_on) * 2 + CAST(month(x.responded_on) > 6 AS INTEGER)
    JOIN group_teams AS gt ON gt.team_id = x.team_id
        AND x.responded_on >= gt.valid_from AND (gt.valid_to IS NULL OR x.responded_on <= gt.valid_to)
    WHERE EXISTS (SELECT 1 FROM ghalf AS gh WHERE gh.group_id = gt.group_id AND gh.hidx = sh.hidx)
    GROUP BY gt.group_id, sh.hidx, x.audience, x.survey_id, x.response_id
),
dim_masks AS (
    -- Respondents and their points per cell, questionnaire and set of answered dimensions: a
    -- handful of rows a cell, read by the totals and the dimension cells alike (respondent_totals
    -- read twice would be stored whole, and a filter to the totals would no longer reach it).
    SELECT group_id, pidx, audience, survey_id, dims_answered, count(*) AS n,
           sum(points_sum) AS points_sum, sum(points_n) AS points_n
    FROM respondent_totals
    GROUP BY group_id, pidx, audience, survey_id, dims_answered
),
wide_dims AS (
    -- Dimensions from a questionnaire's 65th on (no bit): respondents counted one by one.
    SELECT group_id, pidx, audience, dimension, count(*) AS n
    FROM (
        SELECT DISTINCT a.group_id, a.pidx, a.audience, a.dimension, a.survey_id, a.response_id
        FROM answers AS a
        JOIN ghalf AS gh ON gh.group_id = a.group_id AND gh.hidx = a.pidx
        WHERE a.dim_bit >= 64
    )
    GROUP BY group_id, pidx, audience, dimension
),
dim_counts AS (
    SELECT group_id, pidx, audience, dimension, CAST(sum(n) AS BIGINT) AS respondents
    FROM (
        SELECT m.group_id, m.pidx, m.audience, b.dimension, m.n
        FROM dim_masks AS m
        JOIN (SELECT DISTINCT survey_id, audience, dimension, dim_bit FROM survey_bits WHERE dim_bit < 64) AS b
            ON b.survey_id = m.survey_id AND b.audience = m.audience
           AND (m.dims_answered >> CAST(b.dim_bit AS INTEGER)) & CAST(1 AS UBIGINT) = 1
        UNION ALL
        SELECT group_id, pidx, audience, dimension, n FROM wide_dims
    )
    GROUP BY group_id, pidx, audience, dimension
),
survey_cells AS (
    SELECT s.group_id, s.pidx, s.audience, s.dimension,
           100 * s.points_sum / nullif(2520 * s.points_n, 0) AS score,
           c.respondents
    FROM dim_sums AS s
    JOIN dim_counts AS c ON c.group_id = s.group_id AND c.pidx = s.pidx AND c.audience = s.audience AND c.dimension = s.dimension
    UNION ALL
    SELECT group_id, pidx, audience, CAST(NULL AS VARCHAR) AS dimension,
           100 * sum(points_sum) / nullif(2520 * sum(points_n), 0) AS score,
           CAST(sum(n) AS BIGINT) AS respondents
    FROM dim_masks
    GROUP BY group_id, pidx, audience
),
half_marked AS (
    -- Every half cell with its suppression: fewer than 5 respondents, or the complement (the
    -- smallest other cell of the same unit, half, audience and dimension: fewest respondents,
    -- then group code) when a unit would otherwise have exactly one suppressed cell, which its
    -- total would give away by subtraction. One window over the parent (a rank within the
    -- parent and its kind was a second window sorting every cell), and windows rather than an
    -- aggregate joined back, so a filter on the parent's columns (the panel reads the totals
    -- only) still reaches the cells below. The smallest cell is the least cell_order, respondents
    -- then the group's code order in one integer (a cell's respondents are far below 2^31): the
    -- minimum of a struct of count and code cost about 0.9 of their 11 CPU-s at province scale.
    SELECT *,
           CASE WHEN primary_sup THEN 'fewer_than_5'
                WHEN sup_in_parent = 1 AND cells_in_parent >= 2
                     AND smallest_shown = cell_order THEN 'complementary'
           END AS suppressed
    FROM (
        SELECT *,
               count(*) FILTER (WHERE primary_sup) OVER parent AS sup_in_parent,
               count(*) OVER parent AS cells_in_parent,
               min(cell_order) FILTER (WHERE NOT primary_sup) OVER parent AS smallest_shown
        FROM (
            SELECT gh.unit_id, gh.branch_id, gh.group_id, gh.group_name, gh.half AS period, gh.hidx AS pidx, gh.yr,
                   gh.h_lo AS period_from, gh.h_hi AS period_to,
                   CAST(sc.respondents AS BIGINT) * 4294967296 + gh.g_rank AS cell_order,
                   sc.audience, sc.dimension, sc.dimension IS NULL AS is_total,
                   sc.score, sc.respondents, sc.respondents < 5 AS primary_sup
            FROM survey_cells AS sc
            JOIN ghalf AS gh ON gh.group_id = sc.group_id AND gh.hidx = sc.pidx
        ) AS cells
        WINDOW parent AS (PARTITION BY unit_id, pidx, audience, dimension)
    ) AS ranked
),
survey_marked AS (
    -- The cells every survey path reads, in the requested grain: the half cells, or with
    -- period year each year as the respondent-weighted mean of its shown halves (a year whose
    -- halves are all hidden is hidden for the same reason). Nothing here reads a hidden half's
    -- respondents, so no figure of any grain or window differs from another by a hidden cell.
    SELECT unit_id, branch_id, group_id, group_name, period, pidx, period_from, period_to,
           audience, dimension, is_total, score, respondents, suppressed
    FROM half_marked
    WHERE NOT (SELECT by_year FROM survey_span)
    UNION ALL
    SELECT unit_id, branch_id, group_id, any_value(group_name), CAST(yr AS VARCHAR), yr,
           min(period_from), max(period_to), audience, dimension, is_total,
           sum(score * respondents ORDER BY pidx) FILTER (WHERE suppressed IS NULL)
               / sum(respondents) FILTER (WHERE suppressed IS NULL),
           sum(respondents) FILTER (WHERE suppressed IS NULL),
           CASE WHEN count(*) FILTER (WHERE suppressed IS NULL) = 0 THEN min(suppressed) END
    FROM half_marked
    WHERE (SELECT by_year FROM survey_span)
    GROUP BY unit_id, branch_id, group_id, yr, audience, dimension, is_total
),
satisfaction AS (
    -- Overall scores per audience for the panel: only the cells group_surveys shows, and only
    -- for a panel by half or year (survey cells exist by half at the finest).
    SELECT group_id, pidx,
           max(score) FILTER (WHERE audience = 'employee') AS employee_satisfaction,
           max(score) FILTER (WHERE audience = 'customer') AS customer_satisfaction,
           max(respondents) FILTER (WHERE audience = 'employee') AS employee_respondents,
           max(respondents) FILTER (WHERE audience = 'customer') AS customer_respondents
    FROM survey_marked
    WHERE dimension IS NULL AND suppressed IS NULL AND CAST($period AS VARCHAR) IN ('half', 'year')
    GROUP BY group_id, pidx
)
