-- name: unit_surveys
-- description_zh: 各单位满意度调查各维度得分（0–100 分）：只用 group_surveys 显示的单元格（答卷少于 5 份及补充隐藏的不计），按答卷人数加权平均（单元格只按整个半年计算，起止日期扩展到整个半年，按年时为整年）；respondents 为这些单元格的答卷人数之和，cells 与 suppressed_cells 为单元格数和其中被隐藏的数
-- description_en: Survey dimension scores per unit (0–100): the respondent-weighted mean of the cells group_surveys shows (cells under 5 respondents and complementary suppressions left out; cells cover whole halves, the dates widened to them, whole years with period year); respondents sums those cells, cells and suppressed_cells count the group cells and the hidden ones
-- params: period, from, to, unit
-- uses: calendar, groups, surveys
SELECT marked.unit_id, any_value(u.name) AS unit_name, marked.audience,
       any_value(l.label_zh) AS audience_zh, any_value(l.label_en) AS audience_en, marked.dimension,
       -- Summed in group order: a float sum in the order DuckDB's threads happen to deliver
       -- differs in the last bit from run to run.
       sum(marked.score * marked.respondents ORDER BY marked.group_id, marked.pidx) FILTER (WHERE marked.shown)
           / sum(marked.respondents) FILTER (WHERE marked.shown) AS score,
       sum(marked.respondents) FILTER (WHERE marked.shown) AS respondents,
       count(*) AS cells,
       count(*) FILTER (WHERE marked.suppressed IS NOT NULL) AS suppressed_cells
FROM (SELECT *, suppressed IS NULL AND score IS NOT NULL AND respondents > 0 AS shown FROM survey_marked) AS marked
LEFT JOIN units AS u ON u.unit_id = marked.unit_id
LEFT JOIN _labels AS l ON l.dataset = 'survey_items' AND l.column_name = 'audience' AND l.code = marked.audience
WHERE NOT marked.is_total
GROUP BY marked.unit_id, marked.audience, marked.dimension
ORDER BY marked.unit_id, marked.audience, marked.dimension
