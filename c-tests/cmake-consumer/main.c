#include <oxblas.h>
#include <stdio.h>

int main(void) {
  double a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8}, c[4] = {0};
  /* column-major [1 3; 2 4] * [5 7; 6 8] = [23 31; 34 46] */
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1.0, a, 2, b, 2, 0.0, c, 2);
  int ok = c[0] == 23 && c[1] == 34 && c[2] == 31 && c[3] == 46;
  printf("consumer: %s (%s)\n", ok ? "ok" : "WRONG", oxblas_get_config());
  return !ok;
}
