-- name: assessment_years
-- description_zh: 有考评记录的年度（按单位筛选时只看该单位），最近的在前；报告未指定年度时取第一行
-- description_en: The years that have assessment records (of the unit, when one is given), latest first; reports use the first when no year is given
-- params: unit
SELECT DISTINCT CAST(left(a.half, 4) AS INTEGER) AS year
FROM assessments a
JOIN party_groups g USING (group_id)
JOIN branches b ON b.branch_id = g.branch_id
WHERE $unit IS NULL OR $unit = '' OR b.unit_id = $unit
ORDER BY year DESC
