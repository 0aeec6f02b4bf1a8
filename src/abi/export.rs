//! One macro that emits every symbol family from one Rust body.
//!
//! ```text
//! export_fns! {
//!     /// doc
//!     #[export(lp64 = [dgemm_, scipy_dgemm_], ilp64 = [dgemm_64_, scipy_dgemm_64_])]
//!     fn dgemm(m: *const Int, ...) { body using Int }
//!
//!     /// doc
//!     #[export(lp64 = [saxpy_], ilp64 = [saxpy_64_], scalar = f32)]
//!     #[export(lp64 = [zaxpy_], ilp64 = [zaxpy_64_], scalar = c64)]
//!     fn axpy(n: *const Int, alpha: *const T, ...) { body using Int and T }
//! }
//! ```
//!
//! The usual families have a shorthand: `#[export(fortran = dswap, scalar = f64)]` is
//! `lp64 = [dswap_, scipy_dswap_], ilp64 = [dswap_64_, scipy_dswap_64_]`, and
//! `#[export(cblas = dswap, scalar = f64)]` is `lp64 = [cblas_dswap, scipy_cblas_dswap],
//! ilp64 = [cblas_dswap64_, scipy_cblas_dswap64_]` (the wheels' spellings beside the
//! reference ones).
//!
//! For every name in `lp64` the body is instantiated with `Int = i32`, for every name
//! in `ilp64` with `Int = i64`; an `#[export]` with `scalar = X` also sets the element
//! type `T = X` (and `R`, its real type: `f32` for S and C, `f64` for D and Z), so one
//! body serves S, D, C and Z. Each instance sits in its own
//! anonymous `const` block, so the aliases never clash. `build.rs` parses these same
//! invocations to generate the C headers (complex `T` pointers become `void *`, as in
//! reference `cblas.h`), so the signature written here is the single source of truth
//! for both the symbol and its declaration.
//!
//! Every instance runs its body under [`guard`](super::guard), so no panic crosses the
//! C boundary: it is reported with the symbol's name and the call returns
//! [`OnPanic::on_panic`](super::types::OnPanic::on_panic) instead.

#[macro_export]
#[doc(hidden)]
macro_rules! export_fns {
    ($(
        $(#[doc = $doc:expr])*
        $(#[export $spec:tt])+
        fn $name:ident $params:tt $(-> $ret:ty)? $body:block
    )*) => {$(
        $crate::export_fns!(@specs {$(#[doc = $doc])*} $params {$($ret)?} $body [$($spec)+]);
    )*};
    (@specs $attrs:tt $params:tt $ret:tt $body:block []) => {};
    (@specs $attrs:tt $params:tt $ret:tt $body:block [$spec:tt $($rest:tt)*]) => {
        $crate::export_fns!(@spec $attrs $params $ret $body $spec);
        $crate::export_fns!(@specs $attrs $params $ret $body [$($rest)*]);
    };
    (@spec $attrs:tt $params:tt $ret:tt $body:block
        (lp64 = [$($n32:ident),* $(,)?], ilp64 = [$($n64:ident),* $(,)?] $(, scalar = $t:ty)? $(,)?)
    ) => {
        $crate::export_fns!(@names $attrs [$($t)?] $params $ret $body [$($n32)*] [$($n64)*]);
    };
    (@spec $attrs:tt $params:tt $ret:tt $body:block
        (fortran = $f:ident $(, scalar = $t:ty)? $(,)?)
    ) => {
        $crate::__paste::paste! {
            $crate::export_fns!(@names $attrs [$($t)?] $params $ret $body
                [[<$f _>] [<scipy_ $f _>]] [[<$f _64_>] [<scipy_ $f _64_>]]);
        }
    };
    (@spec $attrs:tt $params:tt $ret:tt $body:block
        (cblas = $f:ident $(, scalar = $t:ty)? $(,)?)
    ) => {
        $crate::__paste::paste! {
            $crate::export_fns!(@names $attrs [$($t)?] $params $ret $body
                [[<cblas_ $f>] [<scipy_cblas_ $f>]] [[<cblas_ $f 64_>] [<scipy_cblas_ $f 64_>]]);
        }
    };
    (@names $attrs:tt $scalar:tt $params:tt $ret:tt $body:block [$($n32:ident)*] [$($n64:ident)*]) => {
        $( $crate::export_fns!(@one $attrs $n32 i32 $scalar $params $ret $body); )*
        $( $crate::export_fns!(@one $attrs $n64 i64 $scalar $params $ret $body); )*
    };
    (@one {$($attr:tt)*} $sym:ident $int:ident [$($t:ty)?] ($($arg:ident : $ty:ty),* $(,)?) {$($ret:ty)?} $body:block) => {
        const _: () = {
            #[allow(dead_code)]
            type Int = $int;
            $(
                #[allow(dead_code)] type T = $t;
                #[allow(dead_code)] type R = <$t as $crate::scalar::Scalar>::Re;
            )?
            $($attr)*
            #[unsafe(no_mangle)]
            #[allow(clippy::missing_safety_doc, clippy::too_many_arguments, unused_unsafe)]
            pub unsafe extern "C" fn $sym($($arg: $ty),*) $(-> $ret)? {
                $crate::abi::guard(
                    stringify!($sym),
                    $crate::abi::types::OnPanic::on_panic(),
                    #[inline(always)]
                    || $body,
                )
            }
        };
    };
}
