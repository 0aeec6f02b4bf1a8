#!/usr/bin/env python3
"""Prints the constants of ln's table method (src/vml/functions.rs): the sixteen 1/c,
ln c split as a multiple of 2^-43 plus a remainder, and the polynomial for
ln(1 + r) = r + r^2 P(r) on the reduced range. Needs mpmath (not in the
project's venv: a developer's tool, run by hand when the method changes).

  python3 scripts/vml-ln-table.py
"""
import math
import struct

import mpmath as mp

mp.mp.prec = 200
OFF = 0x3FE6800000000000  # 0.703125: z in [OFF, 2 OFF), 1 in the middle of piece 9
GRID = mp.mpf(2) ** -43
# Pieces next to c = 1, where ln z can be smaller than r: 1/c with few bits there, so
# that z/c - 1 is exact in one fused step (see the source's comment).
EXACT = {7: 17 / 16, 8: 33 / 32, 9: 1.0, 10: 15 / 16}


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


invc, hi, lo = [], [], []
rmin, rmax = 0.0, 0.0
for j in range(16):
    zlo, zhi = from_bits(OFF + j * 2**48), from_bits(OFF + (j + 1) * 2**48)
    ic = EXACT.get(j, 1 / ((zlo + zhi) / 2))
    logc = -mp.log(mp.mpf(ic))
    h = mp.nint(logc / GRID) * GRID
    invc.append(ic)
    hi.append(float(h))
    lo.append(float(logc - h))
    assert mp.mpf(hi[-1]) == h
    for z in (zlo, math.nextafter(zhi, 0)):
        r = float(mp.mpf(z) * ic - 1)
        rmin, rmax = min(rmin, r), max(rmax, r)

for name, table in (("LN_INVC", invc), ("LN_LOGC_HI", hi), ("LN_LOGC_LO", lo)):
    print(f"const {name}: [f64; 16] = [")
    for v in table:
        print(f"    f64::from_bits(0x{bits(v):016x}),")
    print("];")
print(f"// r in [{rmin!r}, {rmax!r}]")

# P by least squares on Chebyshev nodes, weighted by |r| (the error of r^2 P counts
# against ln(1 + r) ~ r), then checked on a fine grid.
f = lambda r: (mp.log1p(r) - r) / r**2
a, b = mp.mpf(rmin), mp.mpf(rmax)
DEG, N = 8, 300
nodes = [(a + b) / 2 + (b - a) / 2 * mp.cos(mp.pi * (k + 0.5) / N) for k in range(N)]
A = mp.matrix(N, DEG + 1)
y = mp.matrix(N, 1)
for i, r in enumerate(nodes):
    for k in range(DEG + 1):
        A[i, k] = abs(r) * r**k
    y[i] = abs(r) * f(r)
c = mp.lu_solve(A.T * A, A.T * y)
coef = [float(c[k]) for k in range(DEG + 1)]
worst = max(
    abs(r * (sum(mp.mpf(coef[i]) * r**i for i in range(DEG + 1)) - f(r)))
    for r in (a + (b - a) * k / 4000 for k in range(4001))
    if r != 0
)
print(f"const LN_P: [f64; {DEG + 1}] = [")
for v in coef:
    print(f"    {v!r},")
print("];")
print(f"// max |r (P - f)| = 2^{float(mp.log(worst, 2)):.1f}")
