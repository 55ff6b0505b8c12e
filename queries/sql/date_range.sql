-- name: date_range
-- description_zh: 分析所用的日期范围：未指定起止日期时为有活动或生产记录的完整年度
-- description_en: The date range used: when from and to are not given, the whole years that have activity or outcome records
-- params: period, from, to
-- uses: calendar
SELECT lo AS "from", hi AS "to" FROM bounds
