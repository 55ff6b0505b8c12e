-- name: member_counts
-- description_zh: 每名党员每年获得的表彰数与示范岗数（含为零的党员），按单位；用于衡量奖励集中度（马太效应）
-- description_en: Awards and model posts per party member and year (members with none included), by unit; the input of the concentration measures (the Matthew effect)
-- params: from, to, unit
-- uses: member_years
SELECT unit_id, year, person_id, awards, model_posts
FROM mc
ORDER BY unit_id, year, person_id
