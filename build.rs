fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,liboxblas.so.0");
}
