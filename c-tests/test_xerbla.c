/* Error exits: this program defines its own xerbla_ and cblas_xerbla, which the
 * library must call (resolved dynamically) with the reference routine name and
 * argument position, leaving C untouched and never exiting. */
#include <oxblas.h>
#include <string.h>
#include "check.h"

static int failures = 0;
static int calls = 0, last_info = 0;
static char last_name[32];

void xerbla_(const char *srname, const int32_t *info, size_t len) {
  calls++;
  last_info = *info;
  size_t n = len < sizeof last_name - 1 ? len : sizeof last_name - 1;
  memcpy(last_name, srname, n);
  last_name[n] = 0;
  while (n > 0 && last_name[n - 1] == ' ') last_name[--n] = 0;
}

void cblas_xerbla(int info, const char *rout, const char *form, ...) {
  (void)form;
  calls++;
  last_info = info;
  strncpy(last_name, rout, sizeof last_name - 1);
}

static double C[16];

static void expect(const char *what, const char *name, int info) {
  CHECK(calls == 1, "%s: handler called %d times", what, calls);
  CHECK(last_info == info, "%s: position %d, want %d", what, last_info, info);
  CHECK(strcmp(last_name, name) == 0, "%s: routine '%s', want '%s'", what, last_name, name);
  for (int i = 0; i < 16; i++) CHECK(C[i] == 42.0, "%s: C written", what);
  calls = 0;
  last_info = 0;
  last_name[0] = 0;
}

static void fortran(const char *what, char ta, char tb, int m, int n, int k, int lda, int ldb,
                    int ldc, int want) {
  double A[16] = {0}, B[16] = {0}, alpha = 1.0, beta = 0.0;
  for (int i = 0; i < 16; i++) C[i] = 42.0;
  dgemm_(&ta, &tb, &m, &n, &k, &alpha, A, &lda, B, &ldb, &beta, C, &ldc);
  expect(what, "DGEMM", want);
}

static void cblas(const char *what, int layout, int ta, int tb, int m, int n, int k, int lda,
                  int ldb, int ldc, int want) {
  double A[16] = {0}, B[16] = {0};
  for (int i = 0; i < 16; i++) C[i] = 42.0;
  cblas_dgemm(layout, ta, tb, m, n, k, 1.0, A, lda, B, ldb, 0.0, C, ldc);
  expect(what, "cblas_dgemm", want);
}

int main(void) {
  const int N = CblasNoTrans, T = CblasTrans, COL = CblasColMajor, ROW = CblasRowMajor;
  /* Fortran: transa 1, transb 2, m 3, n 4, k 5, lda 8, ldb 10, ldc 13. */
  fortran("transa", 'X', 'N', 0, 0, 0, 1, 1, 1, 1);
  fortran("transb", 'N', '/', 0, 0, 0, 1, 1, 1, 2);
  fortran("m", 'N', 'N', -1, 0, 0, 1, 1, 1, 3);
  fortran("n", 'N', 'N', 0, -1, 0, 1, 1, 1, 4);
  fortran("k", 'N', 'N', 0, 0, -1, 1, 1, 1, 5);
  fortran("lda", 'N', 'N', 2, 0, 0, 1, 1, 2, 8);
  fortran("lda T", 'T', 'N', 0, 0, 2, 1, 2, 1, 8);
  fortran("ldb", 'N', 'N', 0, 0, 2, 1, 1, 1, 10);
  fortran("ldb T", 'N', 'T', 0, 2, 0, 1, 1, 1, 10);
  fortran("ldc", 'N', 'N', 2, 0, 0, 2, 1, 1, 13);
  fortran("lowest wins", 'N', 'N', -1, -1, -1, 0, 0, 0, 3);
  /* CBLAS column-major: layout 1, transa 2, transb 3, m 4, n 5, k 6, lda 9, ldb 11, ldc 14. */
  cblas("layout", 99, N, N, 0, 0, 0, 1, 1, 1, 1);
  cblas("transa", COL, 0, N, 0, 0, 0, 1, 1, 1, 2);
  cblas("transb", COL, N, 114, 0, 0, 0, 1, 1, 1, 3);
  cblas("m", COL, N, N, -1, 0, 0, 1, 1, 1, 4);
  cblas("n", COL, N, N, 0, -1, 0, 1, 1, 1, 5);
  cblas("k", COL, N, N, 0, 0, -1, 1, 1, 1, 6);
  cblas("lda", COL, N, N, 2, 0, 0, 1, 1, 2, 9);
  cblas("ldb", COL, N, N, 0, 0, 2, 1, 1, 1, 11);
  cblas("ldc", COL, N, T, 2, 0, 0, 2, 1, 1, 14);
  /* Row-major: reference CBLAS transposes and calls Fortran, so positions follow the
   * transposed problem: m <-> n (4 <-> 5) and lda <-> ldb (9 <-> 11). */
  cblas("row transa", ROW, 0, N, 0, 0, 0, 1, 1, 1, 2);
  cblas("row transb", ROW, N, 0, 0, 0, 0, 1, 1, 1, 3);
  cblas("row m", ROW, N, N, -1, 0, 0, 1, 1, 1, 5);
  cblas("row n", ROW, N, N, 0, -1, 0, 1, 1, 1, 4);
  cblas("row k", ROW, N, N, 0, 0, -1, 1, 1, 1, 6);
  cblas("row lda", ROW, N, N, 2, 0, 2, 1, 1, 1, 11);
  cblas("row ldb", ROW, N, N, 0, 2, 2, 2, 1, 2, 9);
  cblas("row ldc", ROW, N, N, 0, 2, 0, 1, 2, 1, 14);
  printf("test_xerbla: %d failures\n", failures);
  return failures != 0;
}
