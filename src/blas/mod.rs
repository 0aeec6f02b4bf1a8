//! BLAS algorithms on safe views. Nothing here reads the environment or a global: the
//! parallelism is passed in.

pub mod gemm;
pub mod gemv;
pub mod gemv_kernels;
pub mod level1;
pub mod level2;
pub mod matcopy;
pub mod rotation;
pub mod structured;
pub mod symm;
pub mod symv;
pub mod syrk;
pub mod trmm;
pub mod trsm;

use crate::arch::Arch;
use crate::runtime::Team;

/// Starts `threads` members of a team running a job (the runtime's pool).
pub type Launch = dyn Fn(usize, &(dyn Fn(&Team) + Sync)) + Sync;

/// How a routine may run, passed down from the ABI layer (faer's `Par` pattern): the
/// architecture table whose kernels it uses, the caller's thread budget (each routine
/// decides how much of it a call of its size can use), and the launcher.
#[derive(Clone, Copy)]
pub struct Par<'a> {
    pub arch: &'a Arch,
    pub threads: usize,
    pub launch: &'a Launch,
}

/// What a call ran on, for its trace line: the threads it used and, where a routine
/// has several, the path (`small`, `packed`, `faer`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ran {
    pub threads: usize,
    pub path: &'static str,
}

impl Par<'_> {
    /// Runs `f` on each part, parts claimed by the members of a team of at most
    /// `threads` (see [`Team::each`]), and returns the results in order. Parts are
    /// disjoint borrows, so the members share nothing they write; with a team of one
    /// they run in order.
    pub fn run_parts<T: Send, R: Send>(&self, parts: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
        use std::sync::Mutex;
        let count = parts.len();
        let work: Vec<Mutex<Option<T>>> = parts.into_iter().map(|p| Mutex::new(Some(p))).collect();
        let results: Vec<Mutex<Option<R>>> = (0..count).map(|_| Mutex::new(None)).collect();
        let job = |team: &Team| {
            team.each(count, |who| {
                let taken = work[who].lock().unwrap_or_else(|e| e.into_inner()).take();
                if let Some(part) = taken {
                    let r = f(part);
                    *results[who].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                }
            })
        };
        (self.launch)(count.min(self.threads).max(1), &job);
        results
            .into_iter()
            .map(|r| {
                r.into_inner()
                    .unwrap_or_else(|e| e.into_inner())
                    .expect("every part ran")
            })
            .collect()
    }

    /// Serial execution on the caller's thread.
    pub fn seq(arch: &Arch) -> Par<'_> {
        fn solo(_: usize, job: &(dyn Fn(&Team) + Sync)) {
            job(&Team::solo())
        }
        Par {
            arch,
            threads: 1,
            launch: &solo,
        }
    }

    /// The same table and launcher with at most `threads` members.
    pub fn with_threads(self, threads: usize) -> Self {
        Par { threads, ..self }
    }
}

/// Which triangle of a matrix holds the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Uplo {
    Upper,
    Lower,
}

impl Uplo {
    pub fn from_fortran(c: u8) -> Option<Uplo> {
        match c.to_ascii_uppercase() {
            b'U' => Some(Uplo::Upper),
            b'L' => Some(Uplo::Lower),
            _ => None,
        }
    }
    pub fn flip(self) -> Uplo {
        match self {
            Uplo::Upper => Uplo::Lower,
            Uplo::Lower => Uplo::Upper,
        }
    }
}

/// Whether a triangular matrix has an implicit unit diagonal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Diag {
    Unit,
    NonUnit,
}

impl Diag {
    pub fn from_fortran(c: u8) -> Option<Diag> {
        match c.to_ascii_uppercase() {
            b'U' => Some(Diag::Unit),
            b'N' => Some(Diag::NonUnit),
            _ => None,
        }
    }
}

/// Which side a triangular matrix multiplies from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

impl Side {
    pub fn from_fortran(c: u8) -> Option<Side> {
        match c.to_ascii_uppercase() {
            b'L' => Some(Side::Left),
            b'R' => Some(Side::Right),
            _ => None,
        }
    }
}

/// Whether an operand is used as stored or transposed (`op(X) = X` or `Xᵀ`).
/// For real matrices, conjugate-transpose is transpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trans {
    No,
    Yes,
}

impl Trans {
    /// Parses a Fortran `TRANS` character: N, T or C in either case.
    pub fn from_fortran(c: u8) -> Option<Trans> {
        match c.to_ascii_uppercase() {
            b'N' => Some(Trans::No),
            b'T' | b'C' => Some(Trans::Yes),
            _ => None,
        }
    }

    pub fn as_char(self) -> char {
        match self {
            Trans::No => 'N',
            Trans::Yes => 'T',
        }
    }
}
