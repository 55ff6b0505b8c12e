# What CR2 would give for panel_fe (docs/analysis.md, "Calibration study": tried, not adopted):
# clubSandwich's CR2 clustered by group with Bell–McCaffrey (Satterthwaite) df, next to the CR1
# that panel_fe reports (tools/rcompare/panel_fe.R), on one row per group and period:
#
#   mingdeng query panel --period year --format csv --out panel.csv
#   Rscript tools/rcompare/panel_fe_cr2.R panel.csv Y X1,X2,... 0      (the rows of lag 0)
#
# The fit is lm with group and period dummies; clubSandwich on plm's two-way within model is
# printed too and gives the same numbers (clubSandwich puts the absorbed period effects back as
# dummies: they cross the clusters, and a CR2 adjustment from the two-way demeaned regressors
# alone would not be the dummy regression's).
suppressPackageStartupMessages({library(clubSandwich); library(plm)})
args <- commandArgs(trailingOnly = TRUE)
w <- read.csv(args[1], stringsAsFactors = FALSE, fileEncoding = "UTF-8-BOM")
y <- args[2]; xs <- strsplit(args[3], ",")[[1]]
if (length(args) >= 4) w <- w[w$lag == as.integer(args[4]), ]
w <- w[complete.cases(w[, c(y, xs)]), ]
# Singletons: groups and periods with one row, dropped repeatedly as analyze does.
repeat {
  n0 <- nrow(w)
  w <- w[w$group_id %in% names(which(table(w$group_id) > 1)) & w$period %in% names(which(table(w$period) > 1)), ]
  if (nrow(w) == n0) break
}
cat(sprintf("rows %d groups %d periods %d\n", nrow(w), length(unique(w$group_id)), length(unique(w$period))))
f <- as.formula(paste(y, "~", paste(xs, collapse = " + "), "+ factor(group_id) + factor(period)"))
m <- lm(f, data = w)
ct <- coef_test(m, vcov = "CR2", cluster = w$group_id, test = "Satterthwaite", coefs = xs)
for (j in seq_along(xs))
  cat(sprintf("dummies %s: estimate %.17g se %.17g df %.17g p %.17g\n", xs[j], ct$beta[j], ct$SE[j], ct$df_Satt[j], ct$p_Satt[j]))
fp <- as.formula(paste(y, "~", paste(xs, collapse = " + ")))
mp <- plm(fp, data = pdata.frame(w, index = c("group_id", "period")), model = "within", effect = "twoways")
cp <- coef_test(mp, vcov = "CR2", cluster = "individual", test = "Satterthwaite")
for (j in seq_along(xs))
  cat(sprintf("plm twoways %s: estimate %.17g se %.17g df %.17g p %.17g\n", xs[j], cp$beta[j], cp$SE[j], cp$df_Satt[j], cp$p_Satt[j]))
