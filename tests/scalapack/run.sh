#!/usr/bin/env bash
# ScaLAPACK over Open MPI with oxblas as the node library: Debian's libscalapack-openmpi
# links the system libblas.so.3/liblapack.so.3, so with an installed prefix's lib on the
# ranks' LD_LIBRARY_PATH (mpirun -x) every rank runs on oxblas alone.
#
#   tests/scalapack/run.sh PREFIX          two ranks (part of `make test`): a distributed
#                                          LU solve of our own (pdgesv.c) and Debian's LU
#                                          and QR testers on 1x2 and 2x1 grids
#   tests/scalapack/run.sh PREFIX --full   `make test-scalapack`: also Debian's testers
#                                          xdlu xzlu xdllt xdqr xdinv xdls xdsep xdsvd
#                                          xdnep and the PBLAS testers dpb1tst-dpb3tst with
#                                          their own input files on four ranks
#
# Every tester runs on reference BLAS/LAPACK and on oxblas alone; oxblas must fail no
# test that reference passes, and finish every run that reference finishes. Prints
# "N passed, N failed" (checks).
set -uo pipefail
prefix=$(realpath "${1:?usage: tests/scalapack/run.sh PREFIX [--full]}")
full=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
libdir=/usr/lib/$multiarch
testers=$libdir/scalapack/openmpi-tests
reference=$libdir/blas:$libdir/lapack
work=$(mktemp -d /tmp/oxblas-scalapack.XXXXXX)
trap 'rm -rf "$work"' EXIT
# Open MPI refuses to start as root without these; ranks beyond the cores are allowed
# (four ranks share two cores here), and each test's ranks must end within the limit.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun=(timeout 120 mpirun --oversubscribe)
passed=0 failed=0
result() { # ok?, name
  if [ "$1" -eq 0 ]; then passed=$((passed + 1)); echo "  ok    $2"; else failed=$((failed + 1)); echo "  FAIL  $2"; fi
}

# A tester's tally from its output: passed, failed and skipped counts, and whether it
# reached its end. LAPACK-style testers print "N tests completed and passed residual
# checks", xdsvd one "Passed"/"Failed" line per test, the PBLAS testers a table.
tally() { # output file
  awk '
    /tests completed and passed/ {p += $1}
    /tests completed and failed/ {f += $1}
    /tests skipped/ {s += $1}
    /^ *Passed / {p++}
    /^ *Failed / {f++}
    /^ *\| *P[A-Z0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+/ {p += $4; f += $5; s += $6}
    /END OF TESTS|End of [Tt]ests/ {done = 1}
    END {printf "%d passed, %d failed, %d skipped%s\n", p, f, s, done ? "" : ", did not finish"}' "$1"
}

# Runs a tester with `libs` underneath until it reaches its end, at most three times:
# xdllt sometimes deadlocks in BLACS point-to-point messages on four ranks whatever the
# BLAS (seen here on reference BLAS and on Debian's OpenBLAS, ScaLAPACK 2.2.1;
# Reference-ScaLAPACK/scalapack#121), which the time limit ends. Each retry is reported.
run_until_finished() { # directory, ranks, libs, tester, output file
  local try
  for try in 1 2 3; do
    (cd "$1" && "${mpirun[@]}" -np "$2" -x LD_LIBRARY_PATH="$3" "$testers/$4" >"$5" 2>&1)
    [[ "$(tally "$5")" != *"did not finish"* ]] && return 0
    echo "    $(basename "$4") on $3 did not finish (attempt $try of 3)"
  done
}

# Runs one tester (path under $testers) on `ranks` ranks in a directory holding its input
# files, on reference and on oxblas; prints both tallies; succeeds when oxblas passed at
# least as many and failed no more, and finished if reference did.
tester() { # tester, ranks, input directory
  local t=$1 ranks=$2 inputs=$3 dir out_ref out_ox
  dir=$work/$(basename "$t")-$ranks
  mkdir -p "$dir" && cp "$inputs"/*.dat "$dir"/
  out_ref=$dir/reference.out out_ox=$dir/oxblas.out
  run_until_finished "$dir" "$ranks" "$reference" "$t" "$out_ref"
  run_until_finished "$dir" "$ranks" "$prefix/lib" "$t" "$out_ox"
  local ref ox
  ref=$(tally "$out_ref") ox=$(tally "$out_ox")
  echo "  $(basename "$t") on $ranks ranks: reference $ref; oxblas $ox"
  read -r rp _ rf _ <<<"${ref//,/}"
  read -r op _ of _ <<<"${ox//,/}"
  [ "$op" -ge "$rp" ] && [ "$of" -le "$rf" ] && [ "$op" -gt 0 ] &&
    { [[ "$ref" == *"did not finish"* ]] || [[ "$ox" != *"did not finish"* ]]; } ||
    { tail -n 20 "$out_ox" | sed 's/^/    /'; return 1; }
}

# Our own distributed solve, built against Debian's ScaLAPACK.
mpicc -O2 -o "$work/pdgesv" "$here/pdgesv.c" "$libdir/libscalapack-openmpi.so.2.2" -lm -ldl ||
  { echo "  FAIL  building pdgesv.c"; exit 1; }

# Both ranks run on oxblas: the libraries each rank's loader picks are the prefix's, and
# each rank's trace shows oxblas serving the factorization's products.
libs=$("${mpirun[@]}" -np 2 -x LD_LIBRARY_PATH="$prefix/lib" ldd "$work/pdgesv" |
  grep -E 'lib(open)?(blas|lapack)' | awk '{print $3}' | sort -u | tr '\n' ' ')
trace=$("${mpirun[@]}" -np 2 --tag-output -x LD_LIBRARY_PATH="$prefix/lib" -x OXBLAS_VERBOSE=1 \
  "$work/pdgesv" 600 32 1 2>&1)
echo "  ranks' BLAS/LAPACK: $libs"
echo "  $(grep -o 'pdgesv n=.*' <<<"$trace")"
ranks_traced=$(grep -oE '^\[1,[0-9]+\]<stderr>:OXBLAS_VERBOSE dgemm' <<<"$trace" | cut -d'<' -f1 | sort -u | wc -l)
other=$(tr ' ' '\n' <<<"$libs" | grep -v "^$prefix/lib/" | grep -v '^$')
[ -z "$other" ] && [ "$ranks_traced" -eq 2 ] && grep -q 'PASSED' <<<"$trace"
result $? "pdgesv 600 on 2 ranks on oxblas alone (both ranks traced, no other BLAS mapped)"

# Threads x ranks: ranks that are not bound to cores share the CPUs among the node's ranks
# (OMPI_COMM_WORLD_LOCAL_SIZE); OXBLAS_NUM_THREADS still sets them as given. Checked on
# the same answer, which must not change with the thread count.
cpus=$(nproc)
share=$((cpus / 2 > 0 ? cpus / 2 : 1))
shared=$("${mpirun[@]}" -np 2 --bind-to none -x LD_LIBRARY_PATH="$prefix/lib" "$work/pdgesv" 500 32 1)
given=$("${mpirun[@]}" -np 2 --bind-to none -x LD_LIBRARY_PATH="$prefix/lib" -x OXBLAS_NUM_THREADS=3 \
  "$work/pdgesv" 500 32 1)
echo "  unbound, default: ${shared#*residual=}"
echo "  unbound, OXBLAS_NUM_THREADS=3: ${given#*residual=}"
[[ "$shared" == *"blas_threads=$share-$share PASSED"* && "$given" == *"blas_threads=3-3 PASSED"* &&
  "$(grep -o 'residual=[^ ]*' <<<"$shared")" == "$(grep -o 'residual=[^ ]*' <<<"$given")" ]]
result $? "2 unbound ranks take $share thread(s) each of $cpus CPUs by default, the same answer at 3"

# Debian's LU and QR testers on two ranks: their input files with the process grids
# cut to 1x2 and 2x1.
two=$work/two-ranks
mkdir -p "$two"
for f in LU QR; do
  awk '/number of process grids/ {print "2\t\t\tnumber of process grids"; next}
       /values of P/ {print "1 2\t\t\tvalues of P"; next}
       /values of Q/ {print "2 1\t\t\tvalues of Q"; next} {print}' "$testers/$f.dat" >"$two/$f.dat"
done
tester xdlu 2 "$two"; result $? "Debian's xdlu on 2 ranks"
tester xdqr 2 "$two"; result $? "Debian's xdqr on 2 ranks"

if [ "$full" = --full ]; then
  for t in xdlu xzlu xdllt xdqr xdinv xdls xdsep xdsvd xdnep; do
    tester "$t" 4 "$testers"; result $? "Debian's $t on 4 ranks"
  done
  for t in dpb1tst dpb2tst dpb3tst; do
    tester "PBLAS/$t" 4 "$testers/PBLAS"; result $? "Debian's PBLAS $t on 4 ranks"
  done
fi
echo "  scalapack: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
