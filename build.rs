//! The signature page's WebAssembly: with the command line (feature "cli"), builds the
//! library's core for `wasm32-unknown-unknown` (no default features: no files, clipboard,
//! renderer) as a cdylib with the `page-wasm` profile, gzips it, and leaves it in
//! `$OUT_DIR/page.wasm.gz` for `sigblock page` to embed (src/page/document.rs).
//!
//! The inner build has a target folder of its own (`<target>/page-wasm`): a cargo inside
//! a build script that used the outer one would wait on its lock for ever. It reruns only
//! when a file the WebAssembly is made from changes (the inner build's own dep-info says
//! which), so editing the command line's code costs nothing here.

use std::env;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "page-wasm";

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    println!("cargo::rerun-if-changed=Cargo.lock");
    if env::var_os("CARGO_FEATURE_CLI").is_none() {
        // The core alone (the page's own build, a library user): nothing to embed.
        return;
    }
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    if !target_installed(&rustc) {
        fail(&format!(
            "the signature page needs Rust's WebAssembly target: run `rustup target add {TARGET}`"
        ));
    }
    let target_dir = target_root(&out_dir).join(PROFILE);
    let mut cargo = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cargo
        .current_dir(&manifest)
        .args(["rustc", "--lib", "--crate-type", "cdylib", "--locked"])
        .args([
            "--target",
            TARGET,
            "--no-default-features",
            "--profile",
            PROFILE,
        ])
        .arg("--target-dir")
        .arg(&target_dir);
    for (name, _) in env::vars_os() {
        if outer_only(&name) {
            cargo.env_remove(&name);
        }
    }
    let output = cargo
        .output()
        .unwrap_or_else(|e| fail(&format!("cannot run cargo for the page's WebAssembly: {e}")));
    if !output.status.success() {
        // Its own words, which cargo shows under this script's failure.
        println!("cargo::error=building the signature page's WebAssembly failed (below)");
        let _ = std::io::stderr().write_all(&output.stderr);
        std::process::exit(1);
    }
    let built = target_dir.join(TARGET).join(PROFILE);
    let wasm = std::fs::read(built.join("sigblock.wasm"))
        .unwrap_or_else(|e| fail(&format!("cannot read the page's WebAssembly: {e}")));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&wasm).expect("gzip into memory");
    let gz = gz.finish().expect("gzip into memory");
    write_if_changed(&out_dir.join("page.wasm.gz"), &gz);
    write_if_changed(
        &out_dir.join("page.wasm.len"),
        wasm.len().to_string().as_bytes(),
    );
    // What the WebAssembly is made of, as its own build saw it: rerun when one changes.
    let deps = std::fs::read_to_string(built.join("sigblock.d")).unwrap_or_default();
    for path in dep_info(&deps) {
        println!("cargo::rerun-if-changed={}", path.display());
    }
}

/// Says why the build stops, on one line, and stops it (cargo fails a build whose
/// script logged an error; exiting 0 keeps its message the only one).
fn fail(message: &str) -> ! {
    println!("cargo::error={message}");
    std::process::exit(0)
}

/// Whether rustup (or the toolchain) has the standard library for [`TARGET`].
fn target_installed(rustc: &OsString) -> bool {
    Command::new(rustc)
        .args(["--print", "target-libdir", "--target", TARGET])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .is_some_and(|dir| {
            std::fs::read_dir(dir).is_ok_and(|entries| {
                entries.flatten().any(|e| {
                    let name = e.file_name();
                    let name = name.to_string_lossy();
                    name.starts_with("libcore-") && name.ends_with(".rlib")
                })
            })
        })
}

/// The outer build's target folder (cargo marks it with `CACHEDIR.TAG`), from `OUT_DIR`
/// (`<target>/[<triple>/]<profile>/build/sigblock-<hash>/out`).
fn target_root(out_dir: &Path) -> PathBuf {
    out_dir
        .ancestors()
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .map(Path::to_owned)
        .unwrap_or_else(|| out_dir.join("target"))
}

/// Variables the outer cargo set for this build script or for its own compiler: they
/// would make the inner build another one (clippy's driver as the compiler, the outer
/// target folder, coverage or other flags meant for the host, this script's features).
fn outer_only(name: &OsString) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    const EXACT: &[&str] = &[
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTFLAGS",
        "RUSTDOCFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_ENCODED_RUSTDOCFLAGS",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_CRATE_NAME",
        "CARGO_INCREMENTAL",
        "LLVM_PROFILE_FILE",
        "OUT_DIR",
        "TARGET",
        "HOST",
        "NUM_JOBS",
        "OPT_LEVEL",
        "PROFILE",
        "DEBUG",
        "RUSTC_LINKER",
    ];
    const PREFIXES: &[&str] = &[
        "CARGO_FEATURE_",
        "CARGO_CFG_",
        "CARGO_PKG_",
        "CARGO_MANIFEST_",
        "CARGO_TARGET_",
        "CARGO_BUILD_",
        "CARGO_PROFILE_",
        "CARGO_LLVM_COV",
        "CLIPPY_",
        "DEP_",
    ];
    EXACT.contains(&name) || PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The files a cargo dep-info file (`out: dep dep…`, spaces in names escaped) lists.
fn dep_info(text: &str) -> Vec<PathBuf> {
    let Some((_, deps)) = text.lines().next().and_then(|l| l.split_once(": ")) else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    let mut current = String::new();
    let mut chars = deps.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // `\ ` is a space in a name; any other backslash is a Windows separator.
            '\\' if chars.peek() == Some(&' ') => current.push(chars.next().unwrap_or(' ')),
            ' ' => {
                if !current.is_empty() {
                    paths.push(PathBuf::from(std::mem::take(&mut current)));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        paths.push(PathBuf::from(current));
    }
    paths
}

/// Writes `bytes` unless the file already holds them, so an unchanged WebAssembly does
/// not make cargo rebuild what embeds it.
fn write_if_changed(path: &Path, bytes: &[u8]) {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return;
    }
    std::fs::write(path, bytes)
        .unwrap_or_else(|e| fail(&format!("cannot write {}: {e}", path.display())));
}
