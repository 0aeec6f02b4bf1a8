/* The benchmark's timing loop in C, so a measurement is the library's call and not
 * Python's: `gemm_loop_seconds` makes `reps` calls of one cblas_dgemm-compatible
 * function on the same buffers and returns the seconds per call.
 * Built by bench/dgemm.py into build/libgemm_loop.so and loaded with ctypes. */
#include <stdint.h>
#include <time.h>

typedef void (*gemm64_fn)(int, int, int, int64_t, int64_t, int64_t, double, const double *,
                          int64_t, const double *, int64_t, double, double *, int64_t);
typedef void (*gemm32_fn)(int, int, int, int, int, int, double, const double *, int,
                          const double *, int, double, double *, int);

double gemm_loop_seconds(void *fn, int ilp64, long reps, int layout, int ta, int tb,
                         int64_t m, int64_t n, int64_t k, double alpha, const double *a,
                         int64_t lda, const double *b, int64_t ldb, double beta, double *c,
                         int64_t ldc) {
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (ilp64) {
    gemm64_fn f = (gemm64_fn)fn;
    for (long r = 0; r < reps; r++) f(layout, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  } else {
    gemm32_fn f = (gemm32_fn)fn;
    for (long r = 0; r < reps; r++)
      f(layout, ta, tb, (int)m, (int)n, (int)k, alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return ((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9) / (double)reps;
}
