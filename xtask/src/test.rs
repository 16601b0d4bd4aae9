//! `cargo xtask test`: every test. Native first (`cargo test --workspace`, clippy), then the
//! wasm package is built as it ships, served by the real dev server on a free loopback port, and
//! the browser suite in `tests/e2e/` runs under node's test runner, driving Debian's Chromium
//! through playwright-core.

use crate::build::{self, Profile};
use crate::serve::{self, ServerConfig};
use crate::setup::{self, CHROMIUM};
use crate::util::{host_cargo, root, run, Options};
use std::net::SocketAddr;
use std::process::Command;
use std::time::Instant;

/// `cargo xtask test`.
pub fn main(args: &[String]) -> Result<(), String> {
    let o = Options::parse(args, &["--native", "--e2e"], &["--filter"])?;
    let start = Instant::now();
    let mut report = Vec::new();
    if !o.flag("--e2e") {
        let t = Instant::now();
        native()?;
        report.push(format!("native tests + clippy: {:.1} s", t.elapsed().as_secs_f64()));
    }
    if !o.flag("--native") {
        let t = Instant::now();
        e2e(o.value("--filter"), &mut report)?;
        report.push(format!("browser build + tests: {:.1} s", t.elapsed().as_secs_f64()));
    }
    for line in &report {
        eprintln!("xtask: {line}");
    }
    eprintln!("xtask: all tests passed in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}

fn native() -> Result<(), String> {
    run(host_cargo()
        .args(["test", "--workspace", "--all-targets"])
        .current_dir(root()))?;
    run(host_cargo()
        .args(["test", "--workspace", "--doc"])
        .current_dir(root()))?;
    run(host_cargo()
        .args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])
        .current_dir(root()))?;
    wasm_clippy()?;
    miri()
}

/// Clippy on the wasm32 build too: the renderer and the web plumbing only compile there.
fn wasm_clippy() -> Result<(), String> {
    let toolchain = crate::toolchain::ensure()?;
    let mut probe = toolchain.command("cargo");
    if !probe.args(["clippy", "--version"]).output().is_ok_and(|o| o.status.success()) {
        eprintln!("xtask: the wasm toolchain has no clippy ({}); wasm32 clippy skipped", toolchain.description);
        return Ok(());
    }
    run(toolchain
        .command("cargo")
        .args(["clippy", "--lib", "--target", "wasm32-unknown-unknown", "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root().join("target/wasm-clippy"))
        .current_dir(root()))
}

/// The crate's unit tests and the two-thread ring test under Miri, which checks the `unsafe`
/// code and the threads for undefined behaviour and data races. Needs rustup's nightly with the
/// `miri` component (added when missing); skipped, saying so, where it cannot be had.
fn miri() -> Result<(), String> {
    let nightly = |args: &[&str]| {
        let mut cmd = Command::new("rustup");
        cmd.args(["run", "nightly"]).args(args).current_dir(root());
        for var in ["CARGO", "RUSTC", "RUSTDOC", "RUSTUP_TOOLCHAIN", "RUSTFLAGS", "CARGO_TARGET_DIR"] {
            cmd.env_remove(var);
        }
        cmd
    };
    let available = || {
        nightly(&["cargo", "miri", "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !available() {
        let _ = Command::new("rustup")
            .args(["component", "add", "miri", "--toolchain", "nightly"])
            .status();
    }
    if !available() {
        eprintln!("xtask: Miri is not available here (rustup nightly + miri could not be installed); Miri tests skipped");
        return Ok(());
    }
    let target = root().join("target/miri");
    let target = target.to_string_lossy();
    // Only the modules with `unsafe` or threads: the renderer's numerical-integration tests
    // would take many minutes under the interpreter and have nothing for Miri to find.
    run(nightly(&[
        "cargo", "miri", "test", "--lib", "--test", "ring_stress", "--target-dir", &target, "--",
        "ring::", "worklet::", "dsp::", "ten_million", "never_waits",
    ])
    .env("MIRIFLAGS", "-Zmiri-permissive-provenance"))
}

fn e2e(filter: Option<&str>, report: &mut Vec<String>) -> Result<(), String> {
    let tools = setup::build_tools()?;
    setup::test_tools()?;
    let secs = build::wasm(&tools, Profile { release: true, wasm_opt: true })?;
    report.push(format!("wasm release build (incl. wasm-opt): {secs:.1} s"));
    build::print_sizes();
    let server = serve::spawn(ServerConfig::project(SocketAddr::from(([127, 0, 0, 1], 0)), false))?;
    let dir = root().join("tests/e2e");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .filter(|p| filter.is_none_or(|f| p.file_name().unwrap().to_string_lossy().contains(f)))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no test file in tests/e2e matches {filter:?}"));
    }
    // A test that hangs (a browser call that never returns) fails after 4 minutes, naming
    // itself, instead of holding the run until CI's own limit; the longest takes about 10 s.
    run(Command::new("node")
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec", "--test-timeout=240000"])
        .args(&files)
        .env("VECTORSCOPE_URL", format!("http://{}", server.addr))
        .env("VECTORSCOPE_ROOT", root())
        .env("CHROMIUM", CHROMIUM)
        .current_dir(root()))
}
