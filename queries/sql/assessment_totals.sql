-- name: assessment_totals
-- description_zh: 党小组半年度考评总分（由逐项得分汇总，满分 100）：所选年度两个半年及上一年下半年，含项目数和维度数
-- description_en: Half-yearly group assessment totals (summed from item scores, out of 100) for the two halves of the year and the previous year's second half, with the number of items and dimensions scored
-- params: year, unit
-- uses: assess_totals
SELECT b.unit_id, u.name AS unit_name, g.branch_id, t.group_id, g.name AS group_name, t.half, t.year, t.h,
       t.total, t.raw_total, t.max_total, t.items, t.dimensions,
       g.formed_on, g.dissolved_on
FROM assess_totals AS t
JOIN party_groups AS g ON g.group_id = t.group_id
JOIN branches AS b ON b.branch_id = g.branch_id
LEFT JOIN units AS u ON u.unit_id = b.unit_id
WHERE (t.year = CAST($year AS INTEGER) OR (t.year = CAST($year AS INTEGER) - 1 AND t.h = 2))
  AND (CAST($unit AS VARCHAR) IS NULL OR b.unit_id = CAST($unit AS VARCHAR))
ORDER BY b.unit_id, g.branch_id, t.group_id, t.half
