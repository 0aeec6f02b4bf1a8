/* cblas_dgemm and dgemm_ through the installed header, against a naive loop:
 * every transpose, both layouts, padded leading dimensions. */
#include <oxblas.h>
#include <string.h>
#include "check.h"

static int failures = 0;

/* Row-major op(A) m x k is the column-major transpose problem: check via C^T. */
static void one(int row_major, char ta, char tb, int m, int n, int k, double alpha, double beta) {
  int pad = 3;
  int ar = ta == 'N' ? m : k, ac = ta == 'N' ? k : m;
  int br = tb == 'N' ? k : n, bc = tb == 'N' ? n : k;
  /* Column-major storage of the transposed problem when row_major. */
  int lda = (row_major ? ac : ar) + pad, ldb = (row_major ? bc : br) + pad;
  int ldc = (row_major ? n : m) + pad;
  double *a = rnd_matrix((size_t)lda * (row_major ? ar : ac));
  double *b = rnd_matrix((size_t)ldb * (row_major ? br : bc));
  size_t clen = (size_t)ldc * (row_major ? m : n);
  double *c = rnd_matrix(clen), *c0 = malloc(clen * sizeof(double));
  memcpy(c0, c, clen * sizeof(double));
  int cta = ta == 'N' ? CblasNoTrans : ta == 'T' ? CblasTrans : CblasConjTrans;
  int ctb = tb == 'N' ? CblasNoTrans : tb == 'T' ? CblasTrans : CblasConjTrans;
  cblas_dgemm(row_major ? CblasRowMajor : CblasColMajor, cta, ctb, m, n, k, alpha, a, lda, b,
              ldb, beta, c, ldc);
  double err;
  char fta = ta == 'N' ? 'N' : 'T', ftb = tb == 'N' ? 'N' : 'T';
  if (row_major) /* C^T = op(B)^T op(A)^T, all column-major */
    err = gemm_error(ftb, fta, n, m, k, alpha, b, ldb, a, lda, beta, c0, c, ldc);
  else
    err = gemm_error(fta, ftb, m, n, k, alpha, a, lda, b, ldb, beta, c0, c, ldc);
  CHECK(err < 4.0, "cblas_dgemm %s %c%c m=%d n=%d k=%d ratio %g", row_major ? "row" : "col", ta,
        tb, m, n, k, err);
  /* Padding rows untouched. */
  for (int j = 0; j < (row_major ? m : n); j++)
    for (int i = (row_major ? n : m); i < ldc; i++)
      CHECK(c[i + (size_t)j * ldc] == c0[i + (size_t)j * ldc], "padding written");

  if (!row_major) { /* the Fortran interface on the same problem */
    memcpy(c, c0, clen * sizeof(double));
    char lta = ta + ('a' - 'A'); /* lower case is accepted too */
    dgemm_(&lta, &tb, &m, &n, &k, &alpha, a, &lda, b, &ldb, &beta, c, &ldc);
    err = gemm_error(fta, ftb, m, n, k, alpha, a, lda, b, ldb, beta, c0, c, ldc);
    CHECK(err < 4.0, "dgemm_ %c%c m=%d n=%d k=%d ratio %g", ta, tb, m, n, k, err);
  }
  free(a); free(b); free(c); free(c0);
}

int main(void) {
  const char tr[3] = {'N', 'T', 'C'};
  const int sizes[][3] = {{1, 1, 1}, {7, 5, 3}, {33, 17, 65}, {128, 96, 200}, {301, 257, 129}};
  int cases = 0;
  for (int layout = 0; layout < 2; layout++)
    for (int x = 0; x < 3; x++)
      for (int y = 0; y < 3; y++)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
          one(layout, tr[x], tr[y], sizes[s][0], sizes[s][1], sizes[s][2], 0.75, 0.0);
          one(layout, tr[x], tr[y], sizes[s][0], sizes[s][1], sizes[s][2], -1.0, 1.5);
          cases += 2;
        }
  printf("test_cblas: %d cases, %d failures\n", cases, failures);
  return failures != 0;
}
