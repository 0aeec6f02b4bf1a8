//! Reference LAPACK compiled into liboxblas: every routine of LAPACK 3.12 that oxblas
//! does not implement itself, calling oxblas's BLAS and its native LAPACK routines —
//! the way OpenBLAS ships LAPACK.
//!
//! The source is the LAPACK tree the `netlib-src` crate carries (a build-dependency, so
//! cargo fetches it from the registry; only its sources are used, never its build).
//! gfortran compiles it twice: LP64, and ILP64 (`-fdefault-integer-8`) whose symbols are
//! then renamed to the `64_` family with `objcopy --redefine-syms`, so its internal
//! calls reach the ILP64 BLAS and the ILP64 copies of each other. A source file whose
//! routine oxblas exports natively (any `export_fns!` name) is left out of both, so the
//! reference code calls the native one and no routine is defined twice.
//!
//! The objects are cached under the target directory, shared by every profile and keyed
//! by the compiler and flags, so only a fresh tree pays for the compile (about a minute
//! per width on two cores); changing the native set only re-archives.
//!
//! A cdylib exports only Rust's own symbols, so this writes the export list for the
//! linker (a version script, merged with rustc's) and the wheels' `scipy_` spellings as
//! linker-script aliases of the same code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The LAPACK release the `netlib-src` build-dependency carries.
const NETLIB_SRC: &str = "netlib-src-0.9.0";

/// gfortran's flags for both widths: `-frecursive` keeps local arrays off static storage,
/// so concurrent callers are safe (reference LAPACK's CMake sets it for gfortran too).
const FFLAGS: [&str; 4] = ["-O2", "-frecursive", "-fPIC", "-w"];

/// The files of `INSTALL/` that reference `liblapack` builds in beside `SRC/`: the
/// machine constants, the version, the workspace rounding and the timers.
const INSTALL_FILES: [&str; 7] = [
    "dlamch.f",
    "slamch.f",
    "droundup_lwork.f",
    "sroundup_lwork.f",
    "ilaver.f",
    "second_INT_CPU_TIME.f",
    "dsecnd_INT_CPU_TIME.f",
];

/// Where LAPACK 3.12.1 (the tree `netlib-src` carries) tightened a workspace rule that
/// 3.11's callers rely on, 3.11's rule is kept: both accept what 3.12 callers pass, while
/// 3.12's reject what Debian's SciPy 1.10 computes (`eigh` of a 1×1 matrix through
/// `?syevr`: its wrapper insists on `liwork >= 10n` and 3.12 answers the query with 1)
/// and what the 3.11 testers pass (`ltb = 0` for n = 0). Each edit is (files, 3.12.1 text,
/// 3.11 text); a text not found fails the build, so a new LAPACK tree is looked at again.
const COMPAT_EDITS: [(&[&str], &str, &str); 4] = [
    // ?syevr/?heevr: the minimum workspace of n = 1 back to 3.11's max(1, 26n) & co.
    (
        &[
            "ssyevr.f",
            "dsyevr.f",
            "cheevr.f",
            "zheevr.f",
            "ssyevr_2stage.f",
            "dsyevr_2stage.f",
            "cheevr_2stage.f",
            "zheevr_2stage.f",
        ],
        "IF( N.LE.1 ) THEN",
        "IF( N.LE.0 ) THEN",
    ),
    // The Aasen two-stage factorisations: n = 0 with empty TB and WORK is legal again.
    (
        &[
            "ssytrf_aa_2stage.f",
            "dsytrf_aa_2stage.f",
            "chetrf_aa_2stage.f",
            "zhetrf_aa_2stage.f",
            "ssysv_aa_2stage.f",
            "dsysv_aa_2stage.f",
            "chesv_aa_2stage.f",
            "zhesv_aa_2stage.f",
        ],
        "LTB.LT.MAX( 1, 4*N )",
        "LTB.LT.4*N",
    ),
    (
        &[
            "ssytrf_aa_2stage.f",
            "dsytrf_aa_2stage.f",
            "chetrf_aa_2stage.f",
            "zhetrf_aa_2stage.f",
        ],
        "LWORK.LT.MAX( 1, N )",
        "LWORK.LT.N",
    ),
    (
        &[
            "ssysv_aa_2stage.f",
            "dsysv_aa_2stage.f",
            "chesv_aa_2stage.f",
            "zhesv_aa_2stage.f",
        ],
        "LWKMIN = MAX( 1, N )",
        "LWKMIN = N",
    ),
];

/// The C compiler's flags for LAPACKE.
const CFLAGS: [&str; 3] = ["-O2", "-fPIC", "-w"];

/// LAPACKE's headers and reference LAPACK's C prototypes, installed with oxblas.
const HEADERS: [&str; 5] = [
    "lapack.h",
    "lapacke.h",
    "lapacke_64.h",
    "lapacke_config.h",
    "lapacke_utils.h",
];

/// The Fortran modules other files use, compiled first, in this order.
const MODULES: [&str; 2] = ["la_constants.f90", "la_xisnan.F90"];

/// One compile of a part of the tree: its compiler and flags, its files (those in
/// `serial` first, one at a time: Fortran modules others use), and whether its symbols
/// move to the ILP64 family afterwards.
struct Unit {
    name: &'static str,
    compiler: &'static str,
    flags: Vec<String>,
    serial: usize,
    files: Vec<PathBuf>,
    rename_to_ilp64: bool,
}

/// Builds the four archives (LAPACK and LAPACKE, LP64 and ILP64), tells cargo to link
/// them whole, installs LAPACKE's headers beside the library and writes the linker
/// inputs that export their symbols. `native` holds oxblas's own exports (`dgesv_`).
pub fn build(out: &Path, native: &BTreeSet<String>) {
    let source = source_dir();
    println!("cargo:rerun-if-env-changed=OXBLAS_LAPACK_SOURCE");
    let target = target_dir(out);
    let cache = cache_dir(&target);
    let lapack = lapack_files(&source, native);
    let lapacke = lapacke_files(&source);
    let fortran = |ilp64: bool| {
        let mut flags: Vec<String> = FFLAGS.iter().map(|f| f.to_string()).collect();
        flags.extend(["-I".into(), source.join("SRC").display().to_string()]);
        if ilp64 {
            flags.push("-fdefault-integer-8".into());
        }
        flags
    };
    let include = install_headers(&source, &target);
    let c = |ilp64: bool| {
        let mut flags: Vec<String> = CFLAGS.iter().map(|f| f.to_string()).collect();
        flags.extend(["-I".into(), include.display().to_string()]);
        if ilp64 {
            // Reference LAPACKE's 64-bit-index interface: LAPACKE_dgesv_64 over dgesv_64_.
            flags.extend(["-DLAPACK_ILP64", "-DLAPACKE_API64", "-DWeirdNEC"].map(String::from));
        }
        flags
    };
    // The 64-bit-index LAPACKE leaves out what has no index argument (reference's list).
    let no_index = [
        "lapacke_nancheck.c",
        "lapacke_make_complex_float.c",
        "lapacke_make_complex_double.c",
    ];
    let units = [
        Unit {
            name: "lapack_lp64",
            compiler: "gfortran",
            flags: fortran(false),
            serial: MODULES.len(),
            files: lapack.clone(),
            rename_to_ilp64: false,
        },
        Unit {
            name: "lapack_ilp64",
            compiler: "gfortran",
            flags: fortran(true),
            serial: MODULES.len(),
            files: lapack,
            rename_to_ilp64: true,
        },
        Unit {
            name: "lapacke_lp64",
            compiler: "cc",
            flags: c(false),
            serial: 0,
            files: lapacke.clone(),
            rename_to_ilp64: false,
        },
        Unit {
            name: "lapacke_ilp64",
            compiler: "cc",
            flags: c(true),
            serial: 0,
            files: lapacke
                .into_iter()
                .filter(|f| !no_index.iter().any(|n| f.ends_with(n)))
                .collect(),
            rename_to_ilp64: false,
        },
    ];
    let mut exported = Vec::new();
    for unit in &units {
        let objects = compile(&cache.join(unit.name), unit);
        let archive = out.join(format!("liboxblas_{}.a", unit.name));
        let _ = std::fs::remove_file(&archive);
        run(Command::new("ar").arg("crs").arg(&archive).args(&objects));
        if unit.rename_to_ilp64 {
            rename_to_ilp64(out, &archive);
        }
        exported.push(symbols(&archive, true));
        println!(
            "cargo:rustc-link-lib=static:+whole-archive=oxblas_{}",
            unit.name
        );
    }
    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=dylib=gfortran");
    write_exports(out, &exported);
}

/// The LAPACK tree: `OXBLAS_LAPACK_SOURCE` if set, else the `netlib-src` crate's copy
/// in cargo's registry.
fn source_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("OXBLAS_LAPACK_SOURCE") {
        return PathBuf::from(dir);
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .expect("neither CARGO_HOME nor HOME is set");
    let registry = cargo_home.join("registry/src");
    let found = std::fs::read_dir(&registry).ok().and_then(|entries| {
        entries
            .filter_map(|e| e.ok())
            .map(|e| e.path().join(NETLIB_SRC).join("source"))
            .find(|p| p.join("SRC/dgesv.f").exists())
    });
    found.unwrap_or_else(|| {
        panic!(
            "reference LAPACK source not found: {NETLIB_SRC} is not unpacked under {} \
             (cargo fetches it as a build-dependency) and OXBLAS_LAPACK_SOURCE is not set",
            registry.display()
        )
    })
}

/// `<target>/<profile>`, from OUT_DIR (`<target>/<profile>/build/<pkg-hash>/out`).
fn target_dir(out: &Path) -> PathBuf {
    out.ancestors()
        .find(|p| p.file_name().is_some_and(|n| n == "build"))
        .and_then(|build| build.parent())
        .unwrap_or(out)
        .to_path_buf()
}

/// `<target>/reference-lapack/<key>`: beside the profiles, so `cargo build`, `cargo test`
/// and `cargo clippy` share one compile. The key changes with the compilers or the flags.
fn cache_dir(profile: &Path) -> PathBuf {
    let mut key = String::new();
    for compiler in ["gfortran", "cc"] {
        let version = Command::new(compiler)
            .arg("--version")
            .output()
            .unwrap_or_else(|e| panic!("{compiler} is needed to build reference LAPACK: {e}"));
        key += String::from_utf8_lossy(&version.stdout)
            .lines()
            .next()
            .unwrap_or_default();
    }
    key += &FFLAGS.join(" ");
    key += &CFLAGS.join(" ");
    key += NETLIB_SRC;
    let hash = fnv(&key);
    profile
        .parent()
        .unwrap_or(profile)
        .join(format!("reference-lapack/{hash:016x}"))
}

/// LAPACKE's headers, and reference LAPACK's `lapack.h`, in `<target>/<profile>/include`
/// (where `make install` takes them from); `lapacke_mangling.h` is reference's template
/// as is, whose default is gfortran's `name_`.
fn install_headers(source: &Path, profile: &Path) -> PathBuf {
    let include = profile.join("include");
    std::fs::create_dir_all(&include).unwrap();
    let from = source.join("LAPACKE/include");
    for header in HEADERS {
        std::fs::copy(from.join(header), include.join(header)).unwrap();
    }
    std::fs::copy(
        from.join("lapacke_mangling_with_flags.h.in"),
        include.join("lapacke_mangling.h"),
    )
    .unwrap();
    include
}

/// Every source file of reference `liblapack` but those oxblas implements: `SRC/` (the
/// modules first), `SRC/DEPRECATED/` (Debian's and OpenBLAS's libraries export those
/// too) and the `INSTALL/` files. `xerbla` and `lsame` are oxblas's. Left out as well, as
/// reference LAPACK's default build leaves them out: the `?XLASRC` routines (`?gesvxx`
/// and their helpers), which need the extra-precision XBLAS.
fn lapack_files(source: &Path, native: &BTreeSet<String>) -> Vec<PathBuf> {
    let cmake = source.join("SRC/CMakeLists.txt");
    let xblas: BTreeSet<String> = ["SXLASRC", "DXLASRC", "CXLASRC", "ZXLASRC"]
        .iter()
        .flat_map(|list| cmake_list(&cmake, list))
        .collect();
    let fortran = |p: &PathBuf| {
        p.extension()
            .is_some_and(|e| ["f", "f90", "F", "F90"].contains(&e.to_str().unwrap_or("")))
    };
    let listing = |dir: &Path| {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(fortran)
            .collect();
        v.sort();
        v
    };
    let mut files: Vec<PathBuf> = MODULES.iter().map(|m| source.join("SRC").join(m)).collect();
    let rest = listing(&source.join("SRC"))
        .into_iter()
        .chain(listing(&source.join("SRC/DEPRECATED")))
        .chain(INSTALL_FILES.iter().map(|f| source.join("INSTALL").join(f)))
        .filter(|p| !MODULES.iter().any(|m| p.ends_with(m)));
    for path in rest {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_lowercase();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !native.contains(&format!("{stem}_")) && !xblas.contains(&name) {
            files.push(path);
        }
    }
    files
}

/// LAPACKE's sources: `src/` (all but the `EXTENDED` routines, which need XBLAS, and
/// the `MATGEN` ones, which need the test-matrix library) and `utils/`.
fn lapacke_files(source: &Path) -> Vec<PathBuf> {
    let dir = source.join("LAPACKE");
    let cmake = dir.join("src/CMakeLists.txt");
    let left_out: BTreeSet<String> = ["EXTENDED", "MATGEN"]
        .iter()
        .flat_map(|list| cmake_list(&cmake, list))
        .collect();
    let listing = |sub: &str| {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "c"))
            .collect();
        v.sort();
        v
    };
    listing("src")
        .into_iter()
        .filter(|p| !left_out.contains(p.file_name().unwrap().to_str().unwrap()))
        .chain(listing("utils"))
        .collect()
}

/// The file names of `set(<list> ...)` in a CMakeLists.txt.
fn cmake_list(cmake_lists: &Path, list: &str) -> Vec<String> {
    let text = std::fs::read_to_string(cmake_lists)
        .unwrap_or_else(|e| panic!("{}: {e}", cmake_lists.display()));
    let opening = format!("set({list}");
    let start = text
        .find(&opening)
        .unwrap_or_else(|| panic!("no {list} in {}", cmake_lists.display()));
    let body = &text[start + opening.len()..];
    let files: Vec<String> = body[..body.find(')').unwrap()]
        .split_whitespace()
        .map(str::to_string)
        .collect();
    assert!(
        files.len() > 5,
        "{list} in {} looks wrong: {files:?}",
        cmake_lists.display()
    );
    files
}

/// Compiles what of `unit` is not in the cache yet (the serial files one at a time, then
/// the rest on cargo's job count) and returns its objects in order.
fn compile(dir: &Path, unit: &Unit) -> Vec<PathBuf> {
    let modules = dir.join("modules");
    std::fs::create_dir_all(&modules).unwrap();
    // An edited file's object is named after its edits too, so changing them recompiles it.
    let object = |src: &Path| {
        let name = src.file_name().unwrap().to_str().unwrap();
        let edits = format!("{:?}", edits_of(name));
        dir.join(format!("{name}.{:016x}.o", fnv(&edits)))
    };
    let compile_one = |src: &Path| {
        let obj = object(src);
        if obj.exists() {
            return;
        }
        // Written under a private name and renamed: two cargo processes may share the cache.
        let tmp = obj.with_extension(format!("tmp{}", std::process::id()));
        let src = edited(src, dir);
        let mut cmd = Command::new(unit.compiler);
        cmd.args(&unit.flags);
        if unit.compiler == "gfortran" {
            cmd.arg("-J").arg(&modules).arg("-I").arg(&modules);
        }
        run(cmd.arg("-c").arg(&src).arg("-o").arg(&tmp));
        std::fs::rename(&tmp, &obj).unwrap();
    };
    let (serial, rest) = unit.files.split_at(unit.serial);
    if serial.iter().any(|m| !object(m).exists()) {
        // A module's .mod must be rewritten before the files that use it compile.
        for m in serial {
            let _ = std::fs::remove_file(object(m));
            compile_one(m);
        }
    }
    let jobs: usize = std::env::var("NUM_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or(2);
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| {
                while let Some(src) =
                    rest.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                {
                    compile_one(src);
                }
            });
        }
    });
    unit.files.iter().map(|f| object(f)).collect()
}

/// FNV-1a, to name cache entries.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The `COMPAT_EDITS` (from, to) of the file `name`.
fn edits_of(name: &str) -> Vec<(&'static str, &'static str)> {
    COMPAT_EDITS
        .iter()
        .filter(|(files, ..)| files.contains(&name))
        .map(|&(_, from, to)| (from, to))
        .collect()
}

/// `src` itself, or a copy in `dir` with its `COMPAT_EDITS` made.
fn edited(src: &Path, dir: &Path) -> PathBuf {
    let name = src.file_name().unwrap().to_str().unwrap();
    let edits = edits_of(name);
    if edits.is_empty() {
        return src.to_path_buf();
    }
    let mut text = std::fs::read_to_string(src).unwrap();
    for (from, to) in edits {
        assert!(
            text.contains(from),
            "{name}: `{from}` not found; look at COMPAT_EDITS again"
        );
        text = text.replacen(from, to, 1);
    }
    let copy = dir.join(format!("edited-{}-{name}", std::process::id()));
    std::fs::write(&copy, text).unwrap();
    copy
}

/// Renames every Fortran external of the ILP64 archive, defined or called, to the `64_`
/// family (`dgesv_` → `dgesv_64_`, `dgemm_` → `dgemm_64_`), and its module procedures
/// apart from the LP64 copy's.
fn rename_to_ilp64(out: &Path, archive: &Path) {
    let mut map = String::new();
    for name in symbols(archive, false) {
        if is_fortran_external(&name) {
            map += &format!("{name} {name}64_\n");
        } else if let Some(rest) = name.strip_prefix("__la_") {
            map += &format!("{name} __la64_{rest}\n");
        }
    }
    let map_file = out.join("ilp64-renames.txt");
    std::fs::write(&map_file, map).unwrap();
    let mut arg = std::ffi::OsString::from("--redefine-syms=");
    arg.push(&map_file);
    run(Command::new("objcopy").arg(arg).arg(archive));
}

/// A Fortran external as gfortran spells it: lower case, one trailing underscore.
fn is_fortran_external(name: &str) -> bool {
    name.ends_with('_')
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The global symbols of `archive`, defined ones only or every one.
fn symbols(archive: &Path, defined_only: bool) -> BTreeSet<String> {
    let mut cmd = Command::new("nm");
    cmd.args(["-P", "-g"]);
    if defined_only {
        cmd.arg("--defined-only");
    }
    let listing = cmd.arg(archive).output().expect("nm");
    assert!(listing.status.success(), "nm {} failed", archive.display());
    String::from_utf8_lossy(&listing.stdout)
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let name = parts.next()?;
            // Member headers read `archive[member.o]:`.
            (!name.ends_with(':') && parts.next().is_some()).then(|| name.to_string())
        })
        .collect()
}

/// The linker inputs that export the archives' routines: a version script naming each
/// routine and its wheel spelling (`scipy_dstevr_`, `scipy_dstevr_64_`), and an implicit
/// linker script defining those spellings as aliases (same address and type).
fn write_exports(out: &Path, exported: &[BTreeSet<String>]) {
    let mut version = String::from("{\n  global:\n");
    let mut aliases = String::new();
    for name in exported.iter().flatten() {
        version += &format!("    {name};\n");
        if is_fortran_external(name) {
            version += &format!("    scipy_{name};\n");
            aliases += &format!("scipy_{name} = {name};\n");
        }
    }
    version += "};\n";
    let version_script = out.join("reference-lapack.map");
    let alias_script = out.join("reference-lapack-aliases.ld");
    std::fs::write(&version_script, version).unwrap();
    std::fs::write(&alias_script, aliases).unwrap();
    println!(
        "cargo:rustc-cdylib-link-arg=-Wl,--version-script={}",
        version_script.display()
    );
    println!("cargo:rustc-cdylib-link-arg={}", alias_script.display());
}

fn run(cmd: &mut Command) {
    let status = cmd.status().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(status.success(), "{cmd:?} failed");
}
