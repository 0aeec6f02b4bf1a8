/* Shared helpers for the C tests: deterministic data and a naive reference dgemm. */
#ifndef OXBLAS_CTEST_CHECK_H
#define OXBLAS_CTEST_CHECK_H
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state = 88172645463325252ull;
static inline double rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (double)(rng_state >> 11) / 9007199254740992.0 * 2.0 - 1.0;
}

static inline double *rnd_matrix(size_t len) {
  double *p = malloc((len ? len : 1) * sizeof(double));
  for (size_t i = 0; i < len; i++) p[i] = rnd();
  return p;
}

/* Column-major C = alpha*op(A)*op(B) + beta*C by triple loop; returns max error ratio
 * of `got` against it, relative to |alpha|*sum|a||b| + |beta c|. */
static inline double gemm_error(char ta, char tb, int m, int n, int k, double alpha,
                         const double *a, int lda, const double *b, int ldb,
                         double beta, const double *c0, const double *got, int ldc) {
  double worst = 0.0;
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) {
      double s = 0.0, sabs = 0.0;
      for (int p = 0; p < k; p++) {
        double x = (ta == 'N' ? a[i + (size_t)p * lda] : a[p + (size_t)i * lda]) *
                   (tb == 'N' ? b[p + (size_t)j * ldb] : b[j + (size_t)p * ldb]);
        s += x;
        sabs += fabs(x);
      }
      double c = c0[i + (size_t)j * ldc];
      double want = beta == 0.0 ? alpha * s : alpha * s + beta * c;
      double scale = fabs(alpha) * sabs + (beta == 0.0 ? 0.0 : fabs(beta * c)) + 1e-300;
      double err = fabs(got[i + (size_t)j * ldc] - want) / scale;
      if (!(err == err)) return INFINITY; /* NaN */
      if (err > worst) worst = err;
    }
  return worst / ((k + 2) * 2.220446049250313e-16);
}

#define CHECK(cond, ...)                                         \
  do {                                                           \
    if (!(cond)) {                                               \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);       \
      fprintf(stderr, __VA_ARGS__);                              \
      fprintf(stderr, "\n");                                     \
      failures++;                                                \
    }                                                            \
  } while (0)

#endif
