/* Per-call cost of small dgemm in C (no Python in the loop): ns per call of
 * cblas_dgemm-compatible symbols from shared libraries loaded with dlopen, A/B
 * interleaved in rounds, median of rounds.
 * usage: small_gemm LIB:SYMBOL:SETTHREADS [LIB:SYMBOL:SETTHREADS ...]
 * Every library is called with 64-bit integers (ILP64 symbols) and one thread. */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*gemm64_fn)(int, int, int, int64_t, int64_t, int64_t, double, const double *,
                          int64_t, const double *, int64_t, double, double *, int64_t);
typedef void (*set_threads_fn)(int);

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  enum { MAXLIB = 4, ROUNDS = 7 };
  int nlib = argc - 1;
  if (nlib < 1 || nlib > MAXLIB) {
    fprintf(stderr, "usage: %s LIB:SYMBOL:SETTHREADS ...\n", argv[0]);
    return 2;
  }
  gemm64_fn fn[MAXLIB];
  char *names[MAXLIB];
  for (int l = 0; l < nlib; l++) {
    char *spec = strdup(argv[l + 1]);
    char *path = strtok(spec, ":"), *sym = strtok(NULL, ":"), *setter = strtok(NULL, ":");
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    fn[l] = (gemm64_fn)dlsym(h, sym);
    set_threads_fn st = (set_threads_fn)dlsym(h, setter);
    if (!fn[l] || !st) { fprintf(stderr, "missing %s or %s in %s\n", sym, setter, path); return 1; }
    st(1);
    names[l] = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  }
  const int sizes[] = {2, 4, 8, 16, 32, 64, 96};
  printf("%-6s", "n");
  for (int l = 0; l < nlib; l++) printf("%22.22s", names[l]);
  printf("   (ns per call, 1 thread, median of %d rounds)\n", ROUNDS);
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    int n = sizes[s];
    double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n),
           *c = malloc(sizeof(double) * n * n);
    for (int i = 0; i < n * n; i++) a[i] = b[i] = c[i] = 1.0 / (i + 1);
    long reps = (long)(2e7 / ((double)n * n * n + 200.0)) + 10;
    double t[MAXLIB][ROUNDS];
    for (int r = 0; r < ROUNDS; r++)
      for (int l = 0; l < nlib; l++) {
        for (long i = 0; i < reps / 10; i++) fn[l](102, 111, 111, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
        double t0 = now();
        for (long i = 0; i < reps; i++) fn[l](102, 111, 111, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
        t[l][r] = (now() - t0) / reps * 1e9;
      }
    printf("%-6d", n);
    for (int l = 0; l < nlib; l++) {
      qsort(t[l], ROUNDS, sizeof(double), cmp);
      printf("%22.1f", t[l][ROUNDS / 2]);
    }
    if (nlib > 1) printf("   ratio %.2f", t[0][ROUNDS / 2] / t[1][ROUNDS / 2]);
    printf("\n");
    free(a); free(b); free(c);
  }
  return 0;
}
