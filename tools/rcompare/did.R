# Compare mingdeng's did_twfe and did_pretrend with R (docs/analysis.md, "Difference in
# differences"): the DiD with CR2 standard errors clustered by linked teams and Bell–McCaffrey
# (Satterthwaite) degrees of freedom, as clubSandwich computes them; the pre-trend check with CR1
# (sandwich's vcovCL) and the effective number of clusters less one as df.
#
#   mingdeng query team_events --period half --format csv --out te.csv
#   mingdeng analyze --period half --outcome violations_per_100_staff --format json   (did_*)
#   Rscript tools/rcompare/did.R te.csv group_formed_pidx      (or event_pidx for model posts)
#
# queries/stats/testdata/did_cr2.csv is a small file of the same form; its output is the
# reference of TestDiDCR2AgainstClubSandwich.
suppressPackageStartupMessages({library(clubSandwich); library(sandwich); library(lmtest)})
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE, fileEncoding = "UTF-8-BOM")
start <- d[[args[2]]]
d$D <- as.numeric(!is.na(start) & d$pidx >= start)
# Clusters: teams linked through any group they were ever in (connected components).
teams <- unique(d[, c("team_id", "group_ids")])
lab <- setNames(teams$team_id, teams$team_id)
groups <- strsplit(teams$group_ids, ",")
repeat {
  changed <- FALSE
  for (g in unique(unlist(groups))) {
    members <- teams$team_id[vapply(groups, function(x) g %in% x, TRUE)]
    m <- min(lab[members])
    if (any(lab[members] != m)) { lab[lab %in% lab[members]] <- m; changed <- TRUE }
  }
  if (!changed) break
}
d$cluster <- lab[d$team_id]
cr2 <- function(f, data, what) {
  m  <- lm(f, data = data)
  ct <- coef_test(m, vcov = "CR2", cluster = data$cluster, test = "Satterthwaite", coefs = what)
  cat(sprintf("%s: estimate %.17g se %.17g df %.17g p %.17g\n", what, ct$beta, ct$SE, ct$df_Satt, ct$p_Satt))
}
cat(sprintf("clusters %d\n", length(unique(d$cluster))))
cr2(violations_per_100_staff ~ D + factor(team_id) + factor(pidx), d, "D")
# Pre-trend: untreated rows, treated × period; CR1 and G* − 1 df (Carter, Schnepel and
# Steigerwald 2017), singleton teams dropped as the fixed-effects fit drops them.
pre <- d[d$D == 0, ]
pre$trend <- ifelse(!is.na(start[d$D == 0]), pre$pidx, 0)
pre <- pre[ave(pre$pidx, pre$team_id, FUN = length) > 1, ]
N <- nrow(pre); T <- length(unique(pre$pidx))
m  <- lm(violations_per_100_staff ~ trend + factor(team_id) + factor(pidx), data = pre)
V  <- vcovCL(m, cluster = ~cluster, type = "HC0", cadjust = TRUE) * (N - 1) / (N - T)
xt <- resid(lm(trend ~ factor(team_id) + factor(pidx), data = pre)); w <- xt / sum(xt^2)
a  <- tapply(w^2, pre$cluster, sum); Gs <- sum(a)^2 / sum(a^2)
ct <- coeftest(m, vcov = V, df = Gs - 1)["trend", ]
cat(sprintf("trend: estimate %.17g se %.17g df %.17g p %.17g\n", ct[1], ct[2], Gs - 1, ct[4]))
