-- name: award_spread
-- description_zh: 表彰与示范岗在党员中的分布：每年及全部年份（year 为空）获得 0、1、2…… 次的党员人数，按类别（awards 表彰、model_posts 示范岗）
-- description_en: How awards and model posts spread over members: per year and over all years (year empty), the number of members who received 0, 1, 2, … of each kind (awards, model_posts)
-- params: from, to, unit
-- uses: member_years
WITH per AS (
    SELECT year, person_id, awards, model_posts FROM mc
    UNION ALL
    SELECT NULL AS year, person_id, sum(awards) AS awards, sum(model_posts) AS model_posts FROM mc GROUP BY person_id
),
long AS (
    SELECT year, 'awards' AS kind, awards AS times FROM per
    UNION ALL
    SELECT year, 'model_posts' AS kind, model_posts AS times FROM per
)
SELECT kind, year, CAST(times AS BIGINT) AS times, count(*) AS members
FROM long
GROUP BY ALL
ORDER BY kind, year NULLS LAST, times
