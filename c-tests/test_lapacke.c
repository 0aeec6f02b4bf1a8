/* LAPACKE (reference's C interface, compiled into oxblas) as a C user calls it:
 * row-major LAPACKE_dgesv against a naive residual, LAPACKE_zheevd against A v = w v,
 * the 64-bit-index LAPACKE_dgesv_64, and reference's argument and NaN checks. */
#include <complex.h>
#include <lapacke.h>
#include <lapacke_64.h>
#include "check.h"

#define N 50
#define NRHS 3

static int fails = 0;
#define EXPECT(cond, ...)                                                                \
  do {                                                                                   \
    if (!(cond)) { fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                   \
                   fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); fails++; }         \
  } while (0)

/* max |A x - b| / (|A| |x| + |b|) over row-major A (n x n), x and b (n x nrhs). */
static double solve_residual(const double *a, const double *x, const double *b, int n, int nrhs) {
  double worst = 0;
  for (int j = 0; j < nrhs; j++)
    for (int i = 0; i < n; i++) {
      double s = -b[i * nrhs + j], scale = fabs(b[i * nrhs + j]);
      for (int p = 0; p < n; p++) {
        s += a[i * n + p] * x[p * nrhs + j];
        scale += fabs(a[i * n + p] * x[p * nrhs + j]);
      }
      worst = fmax(worst, fabs(s) / scale);
    }
  return worst;
}

int main(void) {
  double *a = rnd_matrix(N * N), *b = rnd_matrix(N * NRHS);
  double lu[N * N], x[N * NRHS];
  lapack_int ipiv[N];
  for (int i = 0; i < N * N; i++) lu[i] = a[i];
  for (int i = 0; i < N * NRHS; i++) x[i] = b[i];
  lapack_int info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, N, NRHS, lu, N, ipiv, x, NRHS);
  EXPECT(info == 0, "LAPACKE_dgesv info %d", (int)info);
  double r = solve_residual(a, x, b, N, NRHS);
  EXPECT(r < 1e-13, "LAPACKE_dgesv row-major residual %g", r);
  for (int i = 0; i < N; i++) EXPECT(ipiv[i] >= 1 && ipiv[i] <= N, "pivot %d is %d", i, (int)ipiv[i]);

  /* The 64-bit-index interface: the same solve through dgesv_64_. */
  int64_t ipiv64[N];
  for (int i = 0; i < N * N; i++) lu[i] = a[i];
  for (int i = 0; i < N * NRHS; i++) x[i] = b[i];
  int64_t info64 = LAPACKE_dgesv_64(LAPACK_ROW_MAJOR, N, NRHS, lu, N, ipiv64, x, NRHS);
  EXPECT(info64 == 0, "LAPACKE_dgesv_64 info %lld", (long long)info64);
  r = solve_residual(a, x, b, N, NRHS);
  EXPECT(r < 1e-13, "LAPACKE_dgesv_64 residual %g", r);

  /* Reference's checks: a bad layout is argument 1; a NaN in A is argument 4 and A is
   * left as it was. */
  EXPECT(LAPACKE_dgesv(0, N, NRHS, lu, N, ipiv, x, NRHS) == -1, "bad layout not reported");
  for (int i = 0; i < N * N; i++) lu[i] = a[i];
  lu[7] = NAN;
  EXPECT(LAPACKE_dgesv(LAPACK_ROW_MAJOR, N, NRHS, lu, N, ipiv, x, NRHS) == -4, "NaN not reported");
  EXPECT(isnan(lu[7]) && lu[8] == a[8], "A changed by a rejected call");

  /* zheevd, column-major: A v_j = w_j v_j, eigenvalues ascending, V unitary. */
  lapack_complex_double h[N * N], v[N * N];
  double w[N];
  for (int j = 0; j < N; j++)
    for (int i = 0; i <= j; i++) {
      double complex z = i == j ? rnd() : rnd() + I * rnd();
      h[i + j * N] = z;
      h[j + i * N] = conj(z);
    }
  for (int i = 0; i < N * N; i++) v[i] = h[i];
  info = LAPACKE_zheevd(LAPACK_COL_MAJOR, 'V', 'U', N, v, N, w);
  EXPECT(info == 0, "LAPACKE_zheevd info %d", (int)info);
  double worst = 0, hnorm = 0;
  for (int i = 0; i < N * N; i++) hnorm = fmax(hnorm, cabs(h[i]));
  for (int j = 0; j < N; j++) {
    if (j > 0) EXPECT(w[j] >= w[j - 1], "eigenvalues not ascending at %d", j);
    for (int i = 0; i < N; i++) {
      double complex s = -w[j] * v[i + j * N];
      for (int p = 0; p < N; p++) s += h[i + p * N] * v[p + j * N];
      worst = fmax(worst, cabs(s));
    }
  }
  EXPECT(worst < 1e-12 * N * hnorm, "LAPACKE_zheevd residual %g", worst);
  free(a);
  free(b);
  if (fails) return 1;
  puts("test_lapacke: ok");
  return 0;
}
