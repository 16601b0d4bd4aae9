//! The wasm toolchain: a Rust compiler that can rebuild std with atomics (`-Z build-std`), so the
//! module's memory can be shared between the main thread and the AudioWorklet.
//!
//! Two routes, tried in order (set `VECTORSCOPE_WASM_TOOLCHAIN=rustup|debian` to force one):
//! 1. **rustup**: the `nightly` toolchain with the `rust-src` component (installed when missing,
//!    if rustup can download). rust-lld is bundled.
//! 2. **debian**: Debian's `rustc-web`, `cargo-web`, `rust-web-src` and `lld-19` (installed with
//!    apt-get when running as root), built with `RUSTC_BOOTSTRAP=1` and `wasm-ld` from LLVM 19.
//!
//! rustup's *stable* wasm32 std is prebuilt without atomics and cannot link a shared memory.

use crate::util::{is_root, output, which};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A compiler able to build the shared-memory wasm module, and how to call it.
pub struct WasmToolchain {
    /// What it is, for messages (`rustup nightly 1.97.0-nightly ...`).
    pub description: String,
    /// Folder with its `cargo` and `rustc`; put first on `PATH` for wasm builds.
    bin_dir: PathBuf,
    /// Extra environment for wasm builds.
    env: Vec<(&'static str, String)>,
}

const DEBIAN_LINKER: &str = "/usr/lib/llvm-19/bin/wasm-ld";
const DEBIAN_STD_SRC: &str = "/usr/lib/rustlib/src/rust/library/std/Cargo.toml";

/// Environment that would make cargo pick another compiler or drop the wasm rustflags.
const SCRUBBED_ENV: &[&str] = &[
    "RUSTUP_TOOLCHAIN",
    "RUSTC",
    "RUSTDOC",
    "CARGO",
    "RUSTC_WRAPPER",
    "RUSTC_WORKSPACE_WRAPPER",
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_TARGET",
    "CARGO_BUILD_RUSTFLAGS",
];

impl WasmToolchain {
    /// `program` (e.g. `wasm-pack`) set up to build with this toolchain: its folder first on
    /// `PATH`, wasm output in `target/wasm` so native and wasm builds never rebuild each other.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        for var in SCRUBBED_ENV {
            cmd.env_remove(var);
        }
        let mut path = vec![self.bin_dir.clone()];
        if let Some(p) = std::env::var_os("PATH") {
            path.extend(std::env::split_paths(&p));
        }
        path.push(crate::util::cargo_home().join("bin"));
        cmd.env("PATH", std::env::join_paths(path).expect("PATH entries are valid"));
        cmd.env("CARGO_TARGET_DIR", crate::util::root().join("target/wasm"));
        // std rebuilt with the atomics target feature (the prebuilt one has none).
        cmd.env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }
}

/// Finds a working wasm toolchain, installing the missing pieces where it can.
pub fn ensure() -> Result<WasmToolchain, String> {
    let forced = std::env::var("VECTORSCOPE_WASM_TOOLCHAIN").ok();
    let mut notes = Vec::new();
    if forced.as_deref() != Some("debian") {
        match rustup_route() {
            Ok(t) => return Ok(t),
            Err(e) => notes.push(format!("rustup nightly + rust-src: {e}")),
        }
    }
    if forced.as_deref() != Some("rustup") {
        match debian_route() {
            Ok(t) => return Ok(t),
            Err(e) => notes.push(format!("Debian rustc-web: {e}")),
        }
    }
    Err(format!(
        "no Rust toolchain that can rebuild std for wasm32 with atomics was found or installed.\n  \
         {}\n  Fix one of them by hand, e.g.:\n    rustup toolchain install nightly --profile minimal --component rust-src\n  \
         or, on Debian as root:\n    apt-get update && apt-get install -y rustc-web cargo-web rust-web-src lld-19",
        notes.join("\n  ")
    ))
}

fn rustup_route() -> Result<WasmToolchain, String> {
    which("rustup").ok_or("rustup is not installed")?;
    let sysroot = || output(Command::new("rustup").args(["run", "nightly", "rustc", "--print", "sysroot"]));
    let sysroot = match sysroot() {
        Some(s) => s,
        None => {
            eprintln!("xtask: installing the rustup nightly toolchain (minimal, with rust-src)");
            let ok = Command::new("rustup")
                .args(["toolchain", "install", "nightly", "--profile", "minimal", "--component", "rust-src"])
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if !ok {
                return Err("no nightly toolchain, and rustup could not install one".into());
            }
            sysroot().ok_or("nightly installed but `rustc --print sysroot` fails")?
        }
    };
    let sysroot = PathBuf::from(sysroot);
    let std_src = sysroot.join("lib/rustlib/src/rust/library/std/Cargo.toml");
    if !std_src.is_file() {
        eprintln!("xtask: adding rust-src to the nightly toolchain");
        let ok = Command::new("rustup")
            .args(["component", "add", "rust-src", "--toolchain", "nightly"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok || !std_src.is_file() {
            return Err("nightly has no rust-src and rustup could not add it".into());
        }
    }
    let bin_dir = sysroot.join("bin");
    let version = output(Command::new(bin_dir.join("rustc")).arg("--version")).unwrap_or_default();
    Ok(WasmToolchain {
        description: format!("rustup {version}"),
        bin_dir,
        env: vec![],
    })
}

fn debian_route() -> Result<WasmToolchain, String> {
    let present = || {
        Path::new("/usr/bin/rustc").is_file()
            && Path::new("/usr/bin/cargo").is_file()
            && Path::new(DEBIAN_STD_SRC).is_file()
            && Path::new(DEBIAN_LINKER).is_file()
    };
    if !present() {
        if !(is_root() && which("apt-get").is_some()) {
            return Err("not installed, and this is not root on Debian (apt-get)".into());
        }
        eprintln!("xtask: installing Debian's rustc-web toolchain with apt-get");
        crate::setup::apt_install(&["rustc-web", "cargo-web", "rust-web-src", "lld-19"])?;
        if !present() {
            return Err("apt-get ran but the toolchain's files are not where expected".into());
        }
    }
    let version = output(Command::new("/usr/bin/rustc").arg("--version")).unwrap_or_default();
    Ok(WasmToolchain {
        description: format!("Debian {version} (RUSTC_BOOTSTRAP=1)"),
        bin_dir: PathBuf::from("/usr/bin"),
        env: vec![
            ("RUSTC_BOOTSTRAP", "1".into()),
            ("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", DEBIAN_LINKER.into()),
        ],
    })
}
