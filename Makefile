# oxblas: conventional targets of a C library.
#   make               release build (target/release/liboxblas.so, .a, include/oxblas.h)
#   make test          every test (Rust, C, Fortran, CMake, Netlib, NumPy)
#   make demo          the main job: NumPy workloads, stock vs under oxblas
#   make bench         side by side with the NumPy wheel's OpenBLAS and pip MKL: dgemm, the rest of the BLAS, LAPACK,
#                      vector math, small-call latency (p50/p90/p99) and calls after idle pauses
#   make install PREFIX=dir
#   make test-lapack   LAPACK's own testers on oxblas alone beside reference (part of make test)
#   make test-clients  Debian's SciPy suites, R and Octave on oxblas alone beside stock
#   make test-numpy-source   NumPy built from source against oxblas alone (LP64 and ILP64), its tests
#   make test-scalapack  Debian's ScaLAPACK and PBLAS testers on four ranks on oxblas alone beside reference
#   make scale         ScaLAPACK pdgesv on 2 ranks and a Dask tsqr on 2 workers, oxblas vs stock
#   make headers       regenerate include/oxblas.h after changing src/abi/

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
PREFIX  ?= /usr/local
LIBDIR  := $(PREFIX)/lib
CARGO   ?= cargo
SO      := target/release/liboxblas.so
# Where `make test` installs a private copy to test the installed layout.
TEST_PREFIX := $(CURDIR)/build/prefix

.PHONY: all build headers test test-clients test-lapack test-scalapack scale test-rust test-c test-netlib test-numpy test-numpy-source demo bench install deps venv clean

all: build

build:
	scripts/install-deps.sh build
	$(CARGO) build --release

headers:
	OXBLAS_BLESS_HEADERS=1 $(CARGO) build --release

install: build
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PREFIX)/include \
	  $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(LIBDIR)/cmake/OxBLAS
	install -m 755 $(SO) $(DESTDIR)$(LIBDIR)/liboxblas.so.$(VERSION)
	ln -sf liboxblas.so.$(VERSION) $(DESTDIR)$(LIBDIR)/liboxblas.so.0
	ln -sf liboxblas.so.0 $(DESTDIR)$(LIBDIR)/liboxblas.so
	install -m 644 target/release/liboxblas.a $(DESTDIR)$(LIBDIR)/liboxblas.a
	# Drop-in names for programs linked to the system BLAS/LAPACK (Debian's
	# alternatives): libblas.so.3, liblapack.so.3 and liblapacke.so.3 are empty libraries with those
	# SONAMEs that depend on liboxblas (found beside them), so one oxblas instance
	# serves both and every symbol resolves to it.
	for name in blas lapack lapacke; do \
	  $(CC) -shared -o $(DESTDIR)$(LIBDIR)/lib$$name.so.3 -Wl,-soname,lib$$name.so.3 \
	    -Wl,--no-as-needed -L$(DESTDIR)$(LIBDIR) -l:liboxblas.so.0 -Wl,-rpath,'$$ORIGIN' -xc /dev/null; \
	  ln -sf lib$$name.so.3 $(DESTDIR)$(LIBDIR)/lib$$name.so; done
	install -m 644 include/oxblas.h $(DESTDIR)$(PREFIX)/include/oxblas.h
	# Reference LAPACK's C prototypes and LAPACKE's headers (build.rs copies them from
	# the LAPACK tree it compiles in), and that tree's license.
	install -m 644 target/release/include/*.h $(DESTDIR)$(PREFIX)/include/
	install -d $(DESTDIR)$(PREFIX)/share/doc/oxblas
	install -m 644 licenses/LAPACK.txt $(DESTDIR)$(PREFIX)/share/doc/oxblas/LICENSE.LAPACK
	for pc in oxblas oxblas64; do \
	  sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' cmake/$$pc.pc.in \
	    > $(DESTDIR)$(LIBDIR)/pkgconfig/$$pc.pc; done
	for f in OxBLASConfig OxBLASConfigVersion; do \
	  sed -e 's|@VERSION@|$(VERSION)|g' cmake/$$f.cmake.in \
	    > $(DESTDIR)$(LIBDIR)/cmake/OxBLAS/$$f.cmake; done

# Tools and the Python venv the tests and the demo need (idempotent).
deps:
	scripts/install-deps.sh

venv:
	scripts/setup-venv.sh

test: build
	scripts/run-tests.sh

# Programs linked to the system BLAS/LAPACK on oxblas alone: Debian's SciPy suites, R,
# Octave (installs R and Octave if missing; ~5 minutes).
test-clients: build
	$(MAKE) --no-print-directory install PREFIX=$(TEST_PREFIX) >/dev/null
	tests/clients/run.sh $(TEST_PREFIX)

# LAPACK's own testers (every one, every input file) on oxblas alone beside reference
# BLAS/LAPACK, and the Netlib BLAS testers (also part of `make test`).
test-lapack: build
	scripts/install-deps.sh
	$(MAKE) --no-print-directory install PREFIX=$(TEST_PREFIX) >/dev/null
	tests/netlib/run.sh $(SO) $(TEST_PREFIX)

# ScaLAPACK over Open MPI on oxblas alone: every Debian tester the issue names, on four
# ranks, beside reference BLAS/LAPACK (two ranks of it are part of `make test`).
test-scalapack: build
	scripts/install-deps.sh
	$(MAKE) --no-print-directory install PREFIX=$(TEST_PREFIX) >/dev/null
	tests/scalapack/run.sh $(TEST_PREFIX) --full

# Beyond one machine: ScaLAPACK's pdgesv on two ranks and a Dask tsqr on two workers,
# with oxblas and with the stock library underneath (Debian's OpenBLAS, the NumPy wheel's).
scale: build venv
	scripts/install-deps.sh scale
	$(MAKE) --no-print-directory install PREFIX=$(TEST_PREFIX) >/dev/null
	.venv/bin/python bench/scale.py --prefix $(TEST_PREFIX)

test-numpy-source: build
	scripts/numpy-from-source.sh

demo: build venv
	.venv/bin/python bench/demo.py

bench: build
	scripts/bench.sh

clean:
	$(CARGO) clean
	rm -rf build
