/* fork() after the pool has run: the child and a grandchild must compute correctly
 * and not hang (an alarm turns a hang into a failure). */
#include <oxblas.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static int failures = 0;

static int run_gemm(int n) {
  double *a = rnd_matrix((size_t)n * n), *b = rnd_matrix((size_t)n * n);
  double *c = calloc((size_t)n * n, sizeof(double)), *c0 = calloc((size_t)n * n, sizeof(double));
  cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
  double err = gemm_error('N', 'N', n, n, n, 1.0, a, n, b, n, 0.0, c0, c, n);
  free(a); free(b); free(c); free(c0);
  return err < 4.0;
}

static int wait_ok(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return 0;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(void) {
  oxblas_set_num_threads(2);
  CHECK(run_gemm(300), "parent before fork");
  pid_t child = fork();
  if (child == 0) {
    alarm(60);
    if (!run_gemm(300)) _exit(1);
    pid_t grandchild = fork();
    if (grandchild == 0) {
      alarm(60);
      _exit(run_gemm(256) ? 0 : 1);
    }
    if (!run_gemm(200)) _exit(1);
    _exit(wait_ok(grandchild) ? 0 : 1);
  }
  CHECK(run_gemm(280), "parent while the child runs");
  CHECK(wait_ok(child), "child or grandchild failed or hung");
  CHECK(run_gemm(300), "parent after fork");
  printf("test_fork: %d failures\n", failures);
  return failures != 0;
}
