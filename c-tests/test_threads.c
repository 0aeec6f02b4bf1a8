/* 16 threads calling dgemm at once, each checking its own result. */
#include <oxblas.h>
#include <pthread.h>
#include <string.h>
#include "check.h"

#define THREADS 16
static int results[THREADS];

static void *worker(void *arg) {
  int id = (int)(intptr_t)arg;
  int n = 40 + 23 * id; /* from serial-sized to pool-sized products */
  uint64_t seed = 1234567u + (uint64_t)id * 7919u;
  double *a = malloc((size_t)n * n * sizeof(double)), *b = malloc((size_t)n * n * sizeof(double));
  double *c = malloc((size_t)n * n * sizeof(double)), *c0 = malloc((size_t)n * n * sizeof(double));
  for (size_t i = 0; i < (size_t)n * n; i++) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    a[i] = (double)(seed >> 40) / 16777216.0 - 0.5;
    b[i] = (double)((seed >> 20) & 0xfffff) / 1048576.0 - 0.5;
    c0[i] = c[i] = (double)(i % 7);
  }
  int ok = 1;
  for (int rep = 0; rep < 5 && ok; rep++) {
    memcpy(c, c0, (size_t)n * n * sizeof(double));
    cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, n, n, n, 1.0, a, n, b, n, 0.5, c, n);
    ok = gemm_error('T', 'N', n, n, n, 1.0, a, n, b, n, 0.5, c0, c, n) < 4.0;
  }
  results[id] = ok;
  free(a); free(b); free(c); free(c0);
  return NULL;
}

int main(void) {
  int failures = 0;
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  for (int i = 0; i < THREADS; i++) CHECK(results[i], "thread %d got a wrong result", i);
  printf("test_threads: %d threads, %d failures\n", THREADS, failures);
  return failures != 0;
}
