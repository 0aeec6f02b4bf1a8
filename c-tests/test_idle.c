/* After a multithreaded dgemm, an idle process must not burn CPU: the pool's workers
 * sleep instead of spinning (OpenBLAS users have long complained of sched_yield loops).
 * This checks CPU time consumed while the process sleeps, not speed. */
#include <oxblas.h>
#include <sys/resource.h>
#include <unistd.h>
#include "check.h"

static double cpu_seconds(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

int main(void) {
  int failures = 0, n = 400;
  oxblas_set_num_threads(2);
  double *a = rnd_matrix((size_t)n * n), *b = rnd_matrix((size_t)n * n), *c = rnd_matrix((size_t)n * n);
  for (int rep = 0; rep < 3; rep++)
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
  usleep(200 * 1000); /* let any post-call spinning end */
  double before = cpu_seconds();
  sleep(1);
  double burned = cpu_seconds() - before;
  CHECK(burned < 0.05, "idle process used %.3f s of CPU in 1 s of sleep", burned);
  printf("test_idle: %.4f s CPU while idle, %d failures\n", burned, failures);
  free(a); free(b); free(c);
  return failures != 0;
}
