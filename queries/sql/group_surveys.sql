-- name: group_surveys
-- description_zh: 职工与客户满意度（按党小组、期间、维度；反向题已转换，0–100 分）；只按整个半年计算（按年时为该年显示的两个半年按答卷人数加权；按月、季请求时给出半年），起止日期扩展到所涉及的整个半年（按年时为整年），period_from/period_to 为单元格实际覆盖的日期；答卷少于 5 份的单元格不显示，并对同一单位内唯一被隐藏的单元格做补充隐藏，防止相减反推
-- description_en: Employee and customer satisfaction by group, period and dimension (reverse-coded items turned, 0–100 points), computed over whole calendar halves only (a year is the respondent-weighted mean of its shown halves; month or quarter requests get halves); from/to widen to the whole halves (years, with period year) they touch, and period_from/period_to give the days each cell covers; cells with fewer than 5 respondents are suppressed, plus a complementary cell when a unit would otherwise have exactly one suppressed cell (no recovery by subtraction)
-- params: period, from, to, unit
-- uses: calendar, groups, surveys
SELECT unit_id, branch_id, group_id, group_name, period, audience,
       l.label_zh AS audience_zh, l.label_en AS audience_en,
       dimension, is_total,
       CASE WHEN suppressed IS NULL THEN score END AS score,
       CASE WHEN suppressed IS NULL THEN respondents END AS respondents,
       suppressed, period_from, period_to
FROM survey_marked AS marked
LEFT JOIN _labels AS l ON l.dataset = 'survey_items' AND l.column_name = 'audience' AND l.code = marked.audience
ORDER BY unit_id, branch_id, group_id, pidx, audience, is_total DESC, dimension
