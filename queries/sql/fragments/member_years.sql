-- fragment: member_years
-- description: every party member in scope (unit filter) and year of the period with the awards and model posts they received that year, zeros included (mc).
-- params: from, to, unit
span AS (
    SELECT year(coalesce(CAST($from AS DATE), least((SELECT min(awarded_on) FROM awards), (SELECT min(awarded_on) FROM model_posts)))) AS y0,
           year(coalesce(CAST($to AS DATE), greatest((SELECT max(awarded_on) FROM awards), (SELECT max(awarded_on) FROM model_posts)))) AS y1
),
yrs AS (
    SELECT unnest(generate_series(y0, y1)) AS y FROM span WHERE y0 IS NOT NULL AND y1 IS NOT NULL
),
members AS (
    SELECT p.person_id, coalesce(t.unit_id, b.unit_id) AS unit_id
    FROM people AS p
    LEFT JOIN teams AS t ON t.team_id = p.team_id
    LEFT JOIN party_groups AS g ON g.group_id = p.group_id
    LEFT JOIN branches AS b ON b.branch_id = g.branch_id
    WHERE coalesce(p.is_member, p.group_id IS NOT NULL)
),
aw AS (
    SELECT person_id, year(awarded_on) AS y, count(*) AS n FROM awards GROUP BY ALL
),
po AS (
    SELECT person_id, year(awarded_on) AS y, count(*) AS n FROM model_posts WHERE person_id IS NOT NULL GROUP BY ALL
),
mc AS (
    SELECT m.unit_id, yrs.y AS year, m.person_id,
           coalesce(aw.n, 0) AS awards, coalesce(po.n, 0) AS model_posts
    FROM members AS m
    CROSS JOIN yrs
    LEFT JOIN aw ON aw.person_id = m.person_id AND aw.y = yrs.y
    LEFT JOIN po ON po.person_id = m.person_id AND po.y = yrs.y
    WHERE m.unit_id IS NOT NULL
      AND (CAST($unit AS VARCHAR) IS NULL OR m.unit_id = CAST($unit AS VARCHAR))
)
