//! Thread control and configuration queries: the oxblas API and the OpenBLAS-compatible
//! names that threadpoolctl and other tools probe (incl. the `64_` and `scipy_…64_`
//! spellings of the NumPy/SciPy wheels).

use crate::runtime;
use std::ffi::{CString, c_char};
use std::sync::OnceLock;

/// The architecture table in use ("avx512", "avx2" or "generic").
pub fn kernel_path() -> &'static str {
    super::arch().name
}

fn config_string() -> *const c_char {
    static CONFIG: OnceLock<CString> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            // Fixed for the life of the process (the string is returned by pointer),
            // so the thread count, which setters change, is not part of it.
            let s = format!(
                "oxblas {} kernel={} max_threads={}",
                env!("CARGO_PKG_VERSION"),
                kernel_path(),
                runtime::config::MAX_THREADS
            );
            CString::new(s).expect("no NUL in config")
        })
        .as_ptr()
}

fn corename() -> *const c_char {
    static NAME: OnceLock<CString> = OnceLock::new();
    NAME.get_or_init(|| CString::new(kernel_path()).expect("no NUL"))
        .as_ptr()
}

export_fns! {
    /// Sets the number of threads for subsequent calls; n < 1 restores the default
    /// (OXBLAS_NUM_THREADS, OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, then the CPU count).
    #[export(
        lp64 = [oxblas_set_num_threads, openblas_set_num_threads, openblas_set_num_threads64_,
                scipy_openblas_set_num_threads, scipy_openblas_set_num_threads64_],
        ilp64 = []
    )]
    fn set_num_threads(n: i32) {
        runtime::set_budget(n as i64)
    }

    /// The number of threads calls will use.
    #[export(
        lp64 = [oxblas_get_num_threads, openblas_get_num_threads, openblas_get_num_threads64_,
                scipy_openblas_get_num_threads, scipy_openblas_get_num_threads64_],
        ilp64 = []
    )]
    fn get_num_threads() -> i32 {
        runtime::budget() as i32
    }

    /// A static string describing the build: version, kernel path, threads.
    #[export(
        lp64 = [oxblas_get_config, openblas_get_config, openblas_get_config64_,
                scipy_openblas_get_config, scipy_openblas_get_config64_],
        ilp64 = []
    )]
    fn get_config() -> *const c_char {
        config_string()
    }

    /// OpenBLAS parallel mode: 1 = threads (pthreads-style pool).
    #[export(
        lp64 = [openblas_get_parallel, openblas_get_parallel64_,
                scipy_openblas_get_parallel, scipy_openblas_get_parallel64_],
        ilp64 = []
    )]
    fn get_parallel() -> i32 {
        1
    }

    /// The kernel path in use ("avx512", "avx2" or "generic").
    #[export(
        lp64 = [openblas_get_corename, openblas_get_corename64_,
                scipy_openblas_get_corename, scipy_openblas_get_corename64_],
        ilp64 = []
    )]
    fn get_corename() -> *const c_char {
        corename()
    }
}
