//! The checked-in C header must match what build.rs generates from `src/abi/`.

#[test]
fn checked_in_header_is_current() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/oxblas.h"));
    let checked_in =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/oxblas.h"))
            .expect("include/oxblas.h is missing: run `make headers`");
    assert!(
        generated == checked_in,
        "include/oxblas.h is stale: run `make headers` and commit the result"
    );
    for symbol in [
        "dgemm_(",
        "cblas_dgemm(",
        "dgemm_64_(",
        "cblas_dgemm64_(",
        "scipy_cblas_dgemm64_(",
        "scipy_dgemm_(",
        "openblas_set_num_threads(",
        "oxblas_get_config(",
    ] {
        assert!(checked_in.contains(symbol), "header lacks {symbol}");
    }
}
