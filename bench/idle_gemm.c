/* What a call costs after the process has been idle: dgemm n×n×n on 1 and 2 threads,
 * each call after a pause (0 µs to 5 ms) during which the pool's workers finish
 * spinning and go to sleep. A worker asleep takes ~100+ µs to wake on a VM; the caller
 * must not wait for it (it does the work itself), so 2 threads should never cost more
 * than 1. Timings only; `make bench` runs it.
 *
 * usage: idle_gemm LIB.so [N]   (LIB exports cblas_dgemm64_ and oxblas_set_num_threads) */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef void (*dgemm_fn)(int, int, int, int64_t, int64_t, int64_t, double, const double *, int64_t,
                         const double *, int64_t, double, double *, int64_t);

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum { CALLS = 400 };

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s LIB.so [N]\n", argv[0]);
        return 2;
    }
    int n = argc > 2 ? atoi(argv[2]) : 128;
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    dgemm_fn dgemm = (dgemm_fn)dlsym(lib, "cblas_dgemm64_");
    void (*set_threads)(int) = (void (*)(int))dlsym(lib, "oxblas_set_num_threads");
    if (!dgemm || !set_threads) {
        fprintf(stderr, "%s: not an oxblas library\n", argv[1]);
        return 1;
    }
    double *a = malloc(sizeof(double) * n * n), *b = malloc(sizeof(double) * n * n),
           *c = malloc(sizeof(double) * n * n);
    for (int i = 0; i < n * n; i++) {
        a[i] = i * 1e-3;
        b[i] = 1.0 / (i + 1);
    }
    static double t[CALLS];
    const int pauses_us[] = {0, 50, 150, 300, 1000, 5000};
    printf("dgemm %d³ per call, µs, after a pause (p50 / p90 / p99 of %d calls)\n", n, CALLS);
    for (size_t p = 0; p < sizeof pauses_us / sizeof *pauses_us; p++) {
        printf("pause %5d µs:", pauses_us[p]);
        for (int threads = 1; threads <= 2; threads++) {
            set_threads(threads);
            for (int s = 0; s < 20; s++) dgemm(102, 111, 111, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
            for (int s = 0; s < CALLS; s++) {
                if (pauses_us[p]) {
                    struct timespec pause = {0, pauses_us[p] * 1000L};
                    nanosleep(&pause, NULL);
                }
                double t0 = now_ns();
                dgemm(102, 111, 111, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
                t[s] = (now_ns() - t0) / 1e3;
            }
            qsort(t, CALLS, sizeof *t, by_value);
            printf("   %dT %6.1f / %6.1f / %6.1f", threads, t[CALLS / 2], t[CALLS * 9 / 10],
                   t[CALLS * 99 / 100]);
        }
        printf("\n");
    }
    return 0;
}
