/* Exports one routine, ROUTINE, that forwards to oxblas's (loaded privately, so nothing
 * else of oxblas is visible to the program). Compiled by tests/netlib/run.sh. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#define NAME2(a) #a
#define NAME(a) NAME2(a)
typedef void (*any_fn)(void *, void *, void *, void *, void *, void *, void *, void *,
                       void *, void *, void *, void *, void *, void *, void *, void *);
void ROUTINE(void *a, void *b, void *c, void *d, void *e, void *f, void *g, void *h,
             void *i, void *j, void *k, void *l, void *m, void *n, void *o, void *p) {
  static any_fn target;
  if (!target) {
    void *lib = dlopen(OXBLAS, RTLD_NOW | RTLD_LOCAL);
    target = lib ? (any_fn)dlsym(lib, NAME(ROUTINE)) : 0;
    if (!target) { fprintf(stderr, "forward: %s\n", dlerror()); abort(); }
  }
  target(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p);
}
