/* ScaLAPACK's distributed LU solve (pdgesv) on a 1 x P process grid, timed and checked.
 *
 *   mpirun -np 2 pdgesv N NB [REPS]
 *
 * A is uniform in [-1, 1] from a hash of the global (i, j), so every grid and every run
 * factors the same matrix; b = A * ones. Each repetition copies A, solves, and the last
 * one's answer is checked with the backward error HPL uses,
 * ||A x - b||_inf / (||A||_inf ||x||_inf n eps), computed by PBLAS (pdgemv) on the
 * distributed data. Rank 0 prints one line: the median seconds, GFLOP/s (2/3 n^3 + 2 n^2)
 * and the scaled residual, and the BLAS threads of every rank (from openblas_get_num_threads,
 * which OpenBLAS and oxblas both export; -1 when the BLAS has none); the exit status is 1 if
 * the residual is 16 or more. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <float.h>
#include <math.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void Cblacs_pinfo(int *me, int *procs);
void Cblacs_get(int ctxt, int what, int *val);
void Cblacs_gridinit(int *ctxt, const char *order, int nprow, int npcol);
void Cblacs_gridinfo(int ctxt, int *nprow, int *npcol, int *myrow, int *mycol);
void Cblacs_gridexit(int ctxt);
void Cblacs_exit(int keep_mpi);
int numroc_(const int *n, const int *nb, const int *iproc, const int *isrc, const int *nprocs);
void descinit_(int *desc, const int *m, const int *n, const int *mb, const int *nb,
               const int *irsrc, const int *icsrc, const int *ctxt, const int *lld, int *info);
void pdgesv_(const int *n, const int *nrhs, double *a, const int *ia, const int *ja,
             const int *desca, int *ipiv, double *b, const int *ib, const int *jb,
             const int *descb, int *info);
void pdgemv_(const char *trans, const int *m, const int *n, const double *alpha,
             const double *a, const int *ia, const int *ja, const int *desca, const double *x,
             const int *ix, const int *jx, const int *descx, const int *incx,
             const double *beta, double *y, const int *iy, const int *jy, const int *descy,
             const int *incy);

static double entry(int64_t i, int64_t j) {
  uint64_t z = (uint64_t)i * 0x9E3779B97F4A7C15ull + (uint64_t)j * 0xC2B2AE3D27D4EB4Full + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (double)(z >> 11) / (double)(1ull << 52) - 1.0; /* [-1, 1) */
}

/* The global index of local index l in a block-cyclic distribution. */
static int global_index(int l, int nb, int me, int nprocs) {
  return (l / nb * nprocs + me) * nb + l % nb;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  MPI_Init(&argc, &argv);
  if (argc < 3) {
    fprintf(stderr, "usage: pdgesv N NB [REPS]\n");
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  int n = atoi(argv[1]), nb = atoi(argv[2]), reps = argc > 3 ? atoi(argv[3]) : 3;
  if (reps < 1) reps = 1;
  int me, procs, ctxt, nprow, npcol, myrow, mycol, info, zero = 0, one = 1;
  Cblacs_pinfo(&me, &procs);
  Cblacs_get(-1, 0, &ctxt);
  Cblacs_gridinit(&ctxt, "Row", 1, procs);
  Cblacs_gridinfo(ctxt, &nprow, &npcol, &myrow, &mycol);

  int mloc = numroc_(&n, &nb, &myrow, &zero, &nprow);
  int nloc = numroc_(&n, &nb, &mycol, &zero, &npcol);
  int bloc = numroc_(&one, &nb, &mycol, &zero, &npcol);
  int lld = mloc > 1 ? mloc : 1;
  int desca[9], descb[9];
  descinit_(desca, &n, &n, &nb, &nb, &zero, &zero, &ctxt, &lld, &info);
  descinit_(descb, &n, &one, &nb, &nb, &zero, &zero, &ctxt, &lld, &info);

  size_t asize = (size_t)lld * (nloc > 0 ? nloc : 1), bsize = (size_t)lld * (bloc > 0 ? bloc : 1);
  double *a = malloc(asize * sizeof *a), *lu = malloc(asize * sizeof *lu);
  double *b = calloc(bsize, sizeof *b), *x = malloc(bsize * sizeof *x);
  double *ones = malloc(bsize * sizeof *ones);
  int *ipiv = malloc((size_t)(mloc + nb) * sizeof *ipiv);
  double row_sum_max = 0;
  for (int lj = 0; lj < nloc; lj++)
    for (int li = 0; li < mloc; li++)
      a[li + (size_t)lj * lld] = entry(global_index(li, nb, myrow, nprow),
                                       global_index(lj, nb, mycol, npcol));
  for (size_t k = 0; k < bsize; k++) ones[k] = 1.0;
  double dzero = 0.0, done = 1.0, dminus = -1.0;
  /* b = A * ones, and ||A||_inf from the same generator (A's rows are global). */
  pdgemv_("N", &n, &n, &done, a, &one, &one, desca, ones, &one, &one, descb, &one, &dzero, b,
          &one, &one, descb, &one);
  if (me == 0)
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int j = 0; j < n; j++) s += fabs(entry(i, j));
      if (s > row_sum_max) row_sum_max = s;
    }

  double *seconds = malloc((size_t)reps * sizeof *seconds);
  for (int r = 0; r < reps; r++) {
    memcpy(lu, a, asize * sizeof *a);
    memcpy(x, b, bsize * sizeof *b);
    MPI_Barrier(MPI_COMM_WORLD);
    double t0 = MPI_Wtime();
    pdgesv_(&n, &one, lu, &one, &one, desca, ipiv, x, &one, &one, descb, &info);
    MPI_Barrier(MPI_COMM_WORLD);
    seconds[r] = MPI_Wtime() - t0;
    if (info != 0) {
      if (me == 0) fprintf(stderr, "pdgesv: info = %d\n", info);
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
  }
  /* r = b - A x on the distributed data; its largest entry and x's, over all ranks. */
  pdgemv_("N", &n, &n, &dminus, a, &one, &one, desca, x, &one, &one, descb, &one, &done, b,
          &one, &one, descb, &one);
  double local[2] = {0, 0}, global[2];
  if (bloc > 0)
    for (int li = 0; li < mloc; li++) {
      if (fabs(b[li]) > local[0]) local[0] = fabs(b[li]);
      if (fabs(x[li]) > local[1]) local[1] = fabs(x[li]);
    }
  MPI_Allreduce(local, global, 2, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  double residual = global[0] / (row_sum_max * global[1] * n * DBL_EPSILON);
  MPI_Bcast(&residual, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  int (*get_threads)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "openblas_get_num_threads");
  int threads[2] = {get_threads ? get_threads() : -1, 0}, fewest, most;
  threads[1] = -threads[0];
  MPI_Allreduce(&threads[0], &most, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Allreduce(&threads[1], &fewest, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  fewest = -fewest;
  if (me == 0) {
    qsort(seconds, (size_t)reps, sizeof *seconds, by_value);
    double t = seconds[reps / 2], flops = 2.0 / 3.0 * n * (double)n * n + 2.0 * n * (double)n;
    printf("pdgesv n=%d nb=%d grid=%dx%d reps=%d median_s=%.4f gflops=%.2f residual=%.17g "
           "blas_threads=%d-%d %s\n",
           n, nb, nprow, npcol, reps, t, flops / t * 1e-9, residual, fewest, most,
           residual < 16 ? "PASSED" : "FAILED");
  }
  free(seconds); free(a); free(lu); free(b); free(x); free(ones); free(ipiv);
  Cblacs_gridexit(ctxt);
  Cblacs_exit(1);
  MPI_Finalize();
  return residual < 16 ? 0 : 1;
}
