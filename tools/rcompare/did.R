# Compare mingdeng's did_twfe with R (docs/analysis.md, "Difference in differences").
#
#   mingdeng query team_events --period half --format csv --out te.csv
#   mingdeng analyze --period half --outcome violations_per_100_staff --format json   (did_twfe)
#   Rscript tools/rcompare/did.R te.csv group_formed_pidx      (or event_pidx for model posts)
suppressPackageStartupMessages({library(sandwich); library(lmtest)})
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
N <- nrow(d); T <- length(unique(d$pidx))
m  <- lm(violations_per_100_staff ~ D + factor(team_id) + factor(pidx), data = d)
V  <- vcovCL(m, cluster = ~cluster, type = "HC0", cadjust = TRUE) * (N - 1) / (N - T)
dt <- resid(lm(D ~ factor(team_id) + factor(pidx), data = d)); w <- dt / sum(dt^2)
a  <- tapply(w^2, d$cluster, sum); Gs <- sum(a)^2 / sum(a^2)
ct <- coeftest(m, vcov = V, df = Gs - 1)["D", ]
cat(sprintf("clusters %d, G* %.17g\nestimate %.17g se %.17g df %.17g p %.17g\n",
            length(unique(d$cluster)), Gs, ct[1], ct[2], Gs - 1, ct[4]))
