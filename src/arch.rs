//! One table per architecture: every kernel and block size a routine may run on, for
//! each element type, chosen once per process (BLIS's `bli_cntx_init_<arch>`).
//!
//! Nothing else in the crate asks the CPU what it has: a routine reads its entry of the
//! table it is handed (through [`Par`](crate::blas::Par)), so `OXBLAS_KERNEL` steers
//! matrix products, matrix·vector products, vector math and the band chase alike, and
//! tests can run any table this CPU supports.
//!
//! | table | d/s gemm | z/c gemm | gemv | vml | band chase |
//! |---|---|---|---|---|---|
//! | `avx512` | 24×8 / 48×8 kernels, small f64 kernel | interleaved complex kernels | AVX-512 | AVX-512 | pairs, 512-bit |
//! | `avx2` | 12×4 f64 kernel, f32 on faer | z: 1m on the f64 kernel; c: faer | portable | AVX2 | singles, 256-bit |
//! | `generic` | portable 4×4 f64 kernel, f32 on faer | z: 1m on it; c: faer | portable | portable | singles, portable |

use crate::blas::gemm::kernels::{Isa, generic};
#[cfg(target_arch = "x86_64")]
use crate::blas::gemm::kernels::{avx2, avx512};
use crate::scalar::PerPrecision;
use crate::vml::Path as VmlPath;
use std::sync::OnceLock;

/// Every kernel and block size of one instruction set.
#[derive(Clone, Copy, Debug)]
pub struct Arch {
    /// What `OXBLAS_KERNEL` calls it and `OXBLAS_VERBOSE` prints (`kernel=avx512`).
    pub name: &'static str,
    /// Matrix products, per precision.
    pub gemm: Gemm,
    /// The f64 matrix·vector kernels (?GEMV and the bidiagonalization's fused pass).
    pub gemv: GemvPath,
    /// The vector-math build.
    pub vml: VmlPath,
    /// The bulge chase's kernel (band → bidiagonal).
    pub band: BandPath,
}

/// The matrix-product paths of both precisions: `d`/`z` on f64 lanes, `s`/`c` on f32.
#[derive(Clone, Copy, Debug)]
pub struct Gemm {
    pub single: GemmPaths<f32>,
    pub double: GemmPaths<f64>,
}

/// The products of one precision: the real type's and the complex type's.
#[derive(Clone, Copy, Debug)]
pub struct GemmPaths<R: 'static> {
    /// The packed path for real products; `None` leaves them to faer's kernels.
    pub real: Option<Isa<R>>,
    /// How complex products of this precision run.
    pub complex: ComplexPath<R>,
}

/// How complex products run.
#[derive(Clone, Copy, Debug)]
pub enum ComplexPath<R: 'static> {
    /// A complex kernel over (re, im) pairs: A's rows and B's columns interleaved.
    Interleaved(Isa<R>),
    /// The 1m expansion onto a real kernel: A as a real 2m×2k matrix, B as 2k×n. Â
    /// streams twice a real A's bytes per flop from L2, so its depth is half the real
    /// path's (measured at 2000² on Zen 4, c128 0.88x OpenBLAS at the full depth, 0.97x
    /// at half). Even, as are MR and MC, so blocks hold whole complex elements.
    OneM(Isa<R>),
    /// faer's kernels.
    Faer,
}

/// The f64 matrix·vector kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GemvPath {
    /// 512-bit FMA over four columns per pass.
    Avx512,
    /// The portable loops (2-lane SSE2 on x86-64).
    Generic,
}

/// The bulge chase's kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BandPath {
    /// Reflectors applied in pairs by the 512-bit kernel; sweeps compiled for AVX2.
    Avx512Pairs,
    /// Reflectors one by one; sweeps compiled for AVX2 (same bits as portable).
    Avx2,
    /// Reflectors one by one, portable code.
    Generic,
}

/// Tables are told apart by name: one per instruction set (test tables with shrunk
/// blocks keep their set's name).
impl PartialEq for Arch {
    fn eq(&self, other: &Arch) -> bool {
        self.name == other.name
    }
}

impl PerPrecision for Gemm {
    type Of<R: 'static> = GemmPaths<R>;
    fn single(&self) -> &GemmPaths<f32> {
        &self.single
    }
    fn double(&self) -> &GemmPaths<f64> {
        &self.double
    }
}

/// f32 on AVX-512: blocks of the f64 path's bytes, twice as deep (a B sliver still fills
/// 24 KiB of L1) over the same rows (576 KiB of A in L2). Measured at 2000² on Zen 4:
/// 0.92x OpenBLAS at f64's depth, 0.97x at twice it.
#[cfg(target_arch = "x86_64")]
const AVX512_F32: Isa<f32> = Isa {
    name: "avx512",
    kernel: avx512::kernel_f32,
    mr: avx512::MR_F32,
    nr: avx512::NR,
    kc: 2 * AVX512_F64.kc,
    mc: AVX512_F64.mc.next_multiple_of(avx512::MR_F32),
    nc: AVX512_F64.nc,
    small: None,
    pack_rows: Some(avx512::pack_rows_f32),
    complex: false,
};

#[cfg(target_arch = "x86_64")]
const AVX512_F64: Isa = Isa {
    name: "avx512",
    kernel: avx512::kernel,
    mr: avx512::MR,
    nr: avx512::NR,
    kc: 384,
    mc: 192,
    // A wide panel (12 MB of B in L3): every panel repacks all of A, which at 8000²
    // strides 64 KiB between columns (6 repacks at 1536 wide, 2 at 4000).
    nc: 4000,
    small: Some(avx512::small),
    pack_rows: Some(avx512::pack_rows),
    complex: false,
};

#[cfg(target_arch = "x86_64")]
const AVX2_F64: Isa = Isa {
    name: "avx2",
    kernel: avx2::kernel,
    mr: avx2::MR,
    nr: avx2::NR,
    kc: 256,
    mc: 144,
    nc: 3072,
    small: None,
    pack_rows: None,
    complex: false,
};

const GENERIC_F64: Isa = Isa {
    name: "generic",
    kernel: generic::kernel,
    mr: generic::MR,
    nr: generic::NR,
    kc: 256,
    mc: 128,
    nc: 2048,
    small: None,
    pack_rows: None,
    complex: false,
};

/// A real path's blocking for the 1m expansion: half the depth, kept even.
const fn one_m<R>(real: Isa<R>) -> Isa<R> {
    let kc = (real.kc / 2) & !1;
    Isa {
        kc: if kc < 2 { 2 } else { kc },
        small: None,
        ..real
    }
}

#[cfg(target_arch = "x86_64")]
pub const AVX512: Arch = Arch {
    name: "avx512",
    gemm: Gemm {
        single: GemmPaths {
            real: Some(AVX512_F32),
            // The f32 path's blocking, filled by a 24-complex by 4-column tile.
            complex: ComplexPath::Interleaved(Isa {
                kernel: avx512::kernel_c32,
                pack_rows: None,
                complex: true,
                ..AVX512_F32
            }),
        },
        double: GemmPaths {
            real: Some(AVX512_F64),
            // The f64 path's blocking, filled with the same bytes (a 24-real by
            // 8-half-column tile).
            complex: ComplexPath::Interleaved(Isa {
                kernel: avx512::kernel_c64,
                small: None,
                pack_rows: None,
                complex: true,
                ..AVX512_F64
            }),
        },
    },
    gemv: GemvPath::Avx512,
    vml: VmlPath::Avx512,
    band: BandPath::Avx512Pairs,
};

#[cfg(target_arch = "x86_64")]
pub const AVX2: Arch = Arch {
    name: "avx2",
    gemm: Gemm {
        single: GemmPaths {
            real: None,
            complex: ComplexPath::Faer,
        },
        double: GemmPaths {
            real: Some(AVX2_F64),
            complex: ComplexPath::OneM(one_m(AVX2_F64)),
        },
    },
    gemv: GemvPath::Generic,
    vml: VmlPath::Avx2,
    band: BandPath::Avx2,
};

pub const GENERIC: Arch = Arch {
    name: "generic",
    gemm: Gemm {
        single: GemmPaths {
            real: None,
            complex: ComplexPath::Faer,
        },
        double: GemmPaths {
            real: Some(GENERIC_F64),
            complex: ComplexPath::OneM(one_m(GENERIC_F64)),
        },
    },
    gemv: GemvPath::Generic,
    vml: VmlPath::Generic,
    band: BandPath::Generic,
};

/// Every table this build has, best first, with whether this CPU can run it.
fn tables() -> Vec<(&'static Arch, bool)> {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        let avx2 = has!("avx2") && has!("fma");
        let avx512 = avx2 && has!("avx512f");
        vec![(&AVX512, avx512), (&AVX2, avx2), (&GENERIC, true)]
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        vec![(&GENERIC, true)]
    }
}

/// The names `OXBLAS_KERNEL` accepts.
pub fn names() -> Vec<&'static str> {
    tables().iter().map(|(t, _)| t.name).collect()
}

/// Why a requested table is not used.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No table has that name.
    Unknown,
    /// This CPU lacks its instructions.
    Unsupported,
}

/// The best table this CPU runs, or the one `requested` names; the reason a request
/// is not honoured comes back beside the table used instead.
pub fn select(requested: Option<&str>) -> (&'static Arch, Option<Refusal>) {
    let tables = tables();
    let best = tables
        .iter()
        .find(|(_, ok)| *ok)
        .map(|(t, _)| *t)
        .expect("the generic table always runs");
    let Some(name) = requested else {
        return (best, None);
    };
    match tables.iter().find(|(t, _)| t.name == name) {
        Some((t, true)) => (t, None),
        Some((_, false)) => (best, Some(Refusal::Unsupported)),
        None => (best, Some(Refusal::Unknown)),
    }
}

/// The best table this CPU runs (what the process uses without `OXBLAS_KERNEL`).
pub fn detected() -> &'static Arch {
    select(None).0
}

/// The process-wide table: chosen once. `requested` (the runtime's reading of
/// `OXBLAS_KERNEL`) wins when the CPU runs it; otherwise `refused` is told why, once.
pub fn active(
    requested: impl FnOnce() -> Option<String>,
    refused: impl FnOnce(&str, Refusal, &Arch),
) -> &'static Arch {
    static ACTIVE: OnceLock<&'static Arch> = OnceLock::new();
    ACTIVE.get_or_init(|| {
        let wanted = requested();
        let (arch, refusal) = select(wanted.as_deref());
        if let (Some(name), Some(why)) = (wanted.as_deref(), refusal) {
            refused(name, why, arch);
        }
        arch
    })
}

impl Arch {
    /// Every table this CPU runs, then each again with tiny blocks (KC 5, two MR tiles
    /// of rows, three NR tiles of columns, no small kernel) so small test products run
    /// the multi-block loops.
    #[cfg(test)]
    pub fn test_tables() -> Vec<Arch> {
        let usable: Vec<Arch> = tables()
            .into_iter()
            .filter(|(_, ok)| *ok)
            .map(|(t, _)| *t)
            .collect();
        let tiny = usable.iter().map(|t| t.with_tiny_blocks());
        usable.iter().copied().chain(tiny).collect()
    }

    #[cfg(test)]
    fn with_tiny_blocks(&self) -> Arch {
        fn tiny<R>(isa: Isa<R>, kc: usize) -> Isa<R> {
            Isa {
                kc,
                mc: 2 * isa.mr,
                nc: 3 * isa.nr,
                small: None,
                ..isa
            }
        }
        fn paths<R>(p: GemmPaths<R>) -> GemmPaths<R> {
            GemmPaths {
                real: p.real.map(|isa| tiny(isa, 5)),
                complex: match p.complex {
                    ComplexPath::Interleaved(isa) => ComplexPath::Interleaved(tiny(isa, 5)),
                    ComplexPath::OneM(isa) => ComplexPath::OneM(tiny(isa, 2)),
                    ComplexPath::Faer => ComplexPath::Faer,
                },
            }
        }
        Arch {
            gemm: Gemm {
                single: paths(self.gemm.single),
                double: paths(self.gemm.double),
            },
            ..*self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_honoured_only_for_a_table_this_cpu_runs() {
        let best = detected();
        assert_eq!(select(Some("generic")).0.name, "generic");
        assert_eq!(select(Some("generic")).1, None);
        assert_eq!(select(Some("bogus")), (best, Some(Refusal::Unknown)));
        for (table, runs) in tables() {
            let (got, why) = select(Some(table.name));
            if runs {
                assert_eq!((got.name, why), (table.name, None));
            } else {
                assert_eq!((got.name, why), (best.name, Some(Refusal::Unsupported)));
            }
        }
    }

    #[test]
    fn every_table_names_its_kernels_after_itself() {
        for (t, _) in tables() {
            let d = t.gemm.double.real.expect("every table has an f64 kernel");
            assert_eq!(d.name, t.name);
            if let Some(s) = t.gemm.single.real {
                assert_eq!(s.name, t.name);
            }
            if let ComplexPath::OneM(isa) = t.gemm.double.complex {
                assert!(isa.kc % 2 == 0 && isa.mr % 2 == 0 && isa.mc % 2 == 0);
            }
        }
    }
}
