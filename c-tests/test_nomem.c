/* Allocation failure is reported, not fatal: with the address space capped just above
 * what the program already uses, dgemm cannot allocate its packing buffers; it must say
 * so on stderr, compute the right answer anyway, and return normally. */
#include <oxblas.h>
#include <string.h>
#include <sys/resource.h>
#include "check.h"

static long vm_size_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kib = -1;
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "VmSize:", 7) == 0) kib = atol(line + 7);
  if (f) fclose(f);
  return kib;
}

int main(void) {
  int failures = 0, n = 600;
  oxblas_set_num_threads(1);
  double *a = rnd_matrix((size_t)n * n), *b = rnd_matrix((size_t)n * n);
  double *c = calloc((size_t)n * n, sizeof(double)), *c0 = calloc((size_t)n * n, sizeof(double));
  long kib = vm_size_kib();
  CHECK(kib > 0, "cannot read VmSize");
  struct rlimit lim = {(rlim_t)(kib + 1024) * 1024, (rlim_t)(kib + 1024) * 1024};
  CHECK(setrlimit(RLIMIT_AS, &lim) == 0, "setrlimit failed");
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
  double err = gemm_error('N', 'N', n, n, n, 1.0, a, n, b, n, 0.0, c0, c, n);
  CHECK(err < 4.0, "wrong result without packing memory: ratio %g", err);
  printf("test_nomem: ratio %.3f, %d failures\n", err, failures);
  return failures != 0;
}
