# R's everyday linear algebra on whatever BLAS/LAPACK R loads; prints one number per
# call (to 15 digits) and then the BLAS/LAPACK libraries mapped.
set.seed(1); n <- 300; a <- matrix(rnorm(n * n), n); h <- crossprod(a) + diag(n)
b <- rnorm(n)
x <- solve(a, b); q <- qr(a); ch <- chol(h); e <- eigen(h, symmetric = TRUE)
g <- eigen(a, only.values = TRUE); s <- svd(a); d <- determinant(a)$modulus
fit <- lm(b ~ a[, 1:5]); p <- a %*% h
cat(sprintf("%.15e\n", c(sum(x), sum(abs(qr.R(q))), sum(ch), sum(e$values), sum(Mod(g$values)),
                         sum(s$d), d, sum(coef(fit)), sum(p))))
maps <- readLines("/proc/self/maps")
cat(unique(sub(".* ", "", grep("blas|lapack", maps, value = TRUE))), sep = "\n")
