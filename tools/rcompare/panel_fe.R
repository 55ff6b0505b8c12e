# Compare mingdeng's panel_fe with R's plm + sandwich on one panel (docs/analysis.md, "R").
#
#   mingdeng query panel --period half --lag 0,1 [--unit U] --format csv --out panel.csv
#   mingdeng analyze --period half --lag 0,1 [--unit U] --activity A1,A2 --outcome Y --format json --out fe.json
#   Rscript tools/rcompare/panel_fe.R panel.csv Y A1,A2 0,1
#
# Prints, per regressor, β, the df and p mingdeng uses (G* − 1) and the standard error under
# four conventions:
#   mingdeng  CR1 with c = G/(G−1)·(N−1)/(N−K), K = regressors + (T−1) (group effects nested in
#             the clusters, not counted; Stata xtreg, fe vce(cluster) / reghdfe)
#   plm_HC0   vcovHC(plm, method = "arellano", type = "HC0", cluster = "group") (no factor)
#   plm_HC1   vcovHC(..., type = "HC1"): factor N/(N−k), k = regressors only
#   lm_CL     sandwich::vcovCL on lm with group and period dummies, type = "HC1":
#             G/(G−1)·(N−1)/(N−k_all), k_all counting every dummy
suppressPackageStartupMessages({library(plm); library(sandwich)})
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE, fileEncoding = "UTF-8-BOM")
y <- args[2]; xs <- strsplit(args[3], ",")[[1]]; lags <- as.integer(strsplit(args[4], ",")[[1]])
# One row per group and period with the activity of every lag, as analyze pivots the panel.
w <- NULL
for (l in lags) {
  s <- d[d$lag == l, c("group_id", "period", y, xs)]
  names(s)[match(xs, names(s))] <- paste0(xs, "_", l)
  if (l != lags[1]) s[[y]] <- NULL
  w <- if (is.null(w)) s else merge(w, s, by = c("group_id", "period"))
}
regs <- as.vector(outer(xs, lags, paste, sep = "_"))
w <- w[complete.cases(w[, c(y, regs)]), ]
# Singletons: groups and periods with one row, dropped repeatedly as analyze does.
repeat {
  n0 <- nrow(w)
  w <- w[w$group_id %in% names(which(table(w$group_id) > 1)) & w$period %in% names(which(table(w$period) > 1)), ]
  if (nrow(w) == n0) break
}
f <- as.formula(paste(y, "~", paste(regs, collapse = " + ")))
m <- plm(f, data = pdata.frame(w, index = c("group_id", "period")), model = "within", effect = "twoways")
b <- coef(m)
N <- nrow(w); G <- length(unique(w$group_id)); T <- length(unique(w$period)); k <- length(b)
K <- k + T - 1
hc0 <- sqrt(diag(vcovHC(m, method = "arellano", type = "HC0", cluster = "group")))
hc1 <- sqrt(diag(vcovHC(m, method = "arellano", type = "HC1", cluster = "group")))
ours <- hc0 * sqrt(G / (G - 1) * (N - 1) / (N - K))
fl <- as.formula(paste(y, "~", paste(regs, collapse = " + "), "+ factor(group_id) + factor(period)"))
ml <- lm(fl, data = w)
cl <- sqrt(diag(vcovCL(ml, cluster = ~group_id, type = "HC1")))[names(b)]
# Degrees of freedom: G* − 1, G* the effective number of clusters of each coefficient.
X <- model.matrix(m)                        # the demeaned regressors
W <- X %*% solve(crossprod(X))              # row i: x̃_i'(X̃'X̃)⁻¹
a <- rowsum(W^2, w$group_id)                # per group and coefficient
Gs <- colSums(a)^2 / colSums(a^2)
p <- 2 * pt(abs(b / ours), df = Gs - 1, lower.tail = FALSE)
cat(sprintf("N = %d, G = %d, T = %d, k = %d\n", N, G, T, k))
out <- data.frame(beta = b, mingdeng = ours, df = Gs - 1, p = p, plm_HC0 = hc0, plm_HC1 = hc1, lm_CL = cl,
                  ratio_HC1 = ours / hc1, ratio_CL = ours / cl)
print(format(out, digits = 17))
