//! One macro that emits every symbol family from one Rust body.
//!
//! ```text
//! export_fns! {
//!     /// doc
//!     #[export(lp64 = [dgemm_, scipy_dgemm_], ilp64 = [dgemm_64_, scipy_dgemm_64_])]
//!     fn dgemm(m: *const Int, ...) { body using Int }
//! }
//! ```
//!
//! For every name in `lp64` the body is instantiated with `Int = i32`, for every name
//! in `ilp64` with `Int = i64`. Each instance sits in its own anonymous `const` block,
//! so the `Int` alias never clashes. `build.rs` parses these same invocations to
//! generate the C headers, so the signature written here is the single source of
//! truth for both the symbol and its declaration.

#[macro_export]
#[doc(hidden)]
macro_rules! export_fns {
    ($(
        $(#[doc = $doc:expr])*
        #[export(lp64 = [$($n32:ident),* $(,)?], ilp64 = [$($n64:ident),* $(,)?] $(,)?)]
        fn $name:ident($($arg:ident : $ty:ty),* $(,)?) $(-> $ret:ty)? $body:block
    )*) => {$(
        $crate::export_fns!(@each {$(#[doc = $doc])*} [$($n32),*] [$($n64),*]
            ($($arg: $ty),*) {$($ret)?} $body);
    )*};
    (@each $attrs:tt [$($n32:ident),*] [$($n64:ident),*] $sig:tt $ret:tt $body:block) => {
        $( $crate::export_fns!(@one $attrs $n32 i32 $sig $ret $body); )*
        $( $crate::export_fns!(@one $attrs $n64 i64 $sig $ret $body); )*
    };
    (@one {$($attr:tt)*} $sym:ident $int:ident ($($arg:ident : $ty:ty),*) {$($ret:ty)?} $body:block) => {
        const _: () = {
            #[allow(dead_code)]
            type Int = $int;
            $($attr)*
            #[unsafe(no_mangle)]
            #[allow(clippy::missing_safety_doc, clippy::too_many_arguments, unused_unsafe)]
            pub unsafe extern "C" fn $sym($($arg: $ty),*) $(-> $ret)? $body
        };
    };
}
