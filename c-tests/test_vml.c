/* The MKL VM interface from C through the installed header: results against libm
 * (within 1 ulp both ways, so within 2 of each other), in place, strided, the 64-bit
 * names, modes and status codes. Run once per vector path (OXBLAS_KERNEL). */
#include <oxblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int failures = 0;
#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      failures++;                                          \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                        \
      fputc('\n', stderr);                                 \
    }                                                      \
  } while (0)

static double ulp_diff(double a, double b) {
  if (a == b || (isnan(a) && isnan(b))) return 0.0;
  return fabs(a - b) / (nextafter(fabs(b), INFINITY) - fabs(b));
}

int main(void) {
  enum { N = 100003 };
  double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
  for (int i = 0; i < N; i++) x[i] = 1e-3 + 50.0 * i / N;
  struct { const char *name; void (*f)(int32_t, const double *, double *); double (*ref)(double); } fns[] = {
      {"vdExp", vdExp, exp}, {"vdLn", vdLn, log}, {"vdLog10", vdLog10, log10}, {"vdSqrt", vdSqrt, sqrt},
      {"vdExpm1", vdExpm1, expm1}, {"vdLog1p", vdLog1p, log1p}};
  for (size_t k = 0; k < sizeof fns / sizeof fns[0]; k++) {
    fns[k].f(N, x, y);
    double worst = 0.0;
    for (int i = 0; i < N; i++) worst = fmax(worst, ulp_diff(y[i], fns[k].ref(x[i])));
    CHECK(worst <= 2.0, "%s: %.2f ulp from libm", fns[k].name, worst);
  }
  vdSqr(N, x, y);
  CHECK(y[N - 1] == x[N - 1] * x[N - 1], "vdSqr");
  /* In place, 64-bit n, mode variant, strided. */
  double z[4] = {0.0, 1.0, 2.0, 3.0}, w[8] = {0};
  vdExp(4, z, z);
  CHECK(z[0] == 1.0 && z[2] == exp(2.0), "in place: %g %g", z[0], z[2]);
  vdLn_64(4, z, w);
  CHECK(w[0] == 0.0 && fabs(w[3] - 3.0) < 1e-15, "vdLn_64");
  vmdLn(4, z, w, VML_LA);
  CHECK(fabs(w[2] - 2.0) < 1e-15, "vmdLn");
  double s[3] = {4.0, 9.0, 16.0};
  vdSqrtI(2, s, 2, w, 3);
  CHECK(w[0] == 2.0 && w[3] == 4.0, "vdSqrtI: %g %g", w[0], w[3]);
  /* Modes and status. */
  unsigned prev = vmlSetMode(VML_EP);
  CHECK((prev & 0xF) == VML_HA && vmlGetMode() == VML_EP, "modes");
  vmlSetMode(prev);
  vdExp(-1, x, y);
  CHECK(vmlGetErrStatus() == VML_STATUS_BADSIZE, "n < 0 status");
  vmlClearErrStatus();
  CHECK(vmlGetErrStatus() == VML_STATUS_OK, "clear");
  free(x);
  free(y);
  if (failures == 0) puts("test_vml: ok");
  return failures != 0;
}
