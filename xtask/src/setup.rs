//! Installs what the build and the tests need, when it is missing: the wasm toolchain,
//! `wasm-bindgen` (the version in Cargo.lock), `wasm-pack`, node packages (binaryen's `wasm-opt`,
//! `playwright-core`, `puppeteer-core`), Debian's Chromium, and for the other engines' core suite
//! Firefox ESR, WebKitGTK's WebDriver and MiniBrowser, Xvfb and PulseAudio. Each step is skipped when its tool is present; when
//! a step cannot run here it stops with the exact command to run by hand.

use crate::toolchain::{self, WasmToolchain};
use crate::util::{host_cargo, is_root, output, root, run, which, Options};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

/// The wasm-pack release the build is known to work with (`--mode force` on build-std).
const WASM_PACK_VERSION: &str = "0.15.1";
/// Debian's Chromium, driven by playwright-core (never a downloaded browser).
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi (tests/engines/).
pub const FIREFOX: &str = "/usr/bin/firefox-esr";
/// WebKitGTK's WebDriver (Debian's `webkit2gtk-driver`), which drives its MiniBrowser.
pub const WEBKIT_WEBDRIVER: &str = "/usr/bin/WebKitWebDriver";
/// The browser WebKitWebDriver starts (also from `webkit2gtk-driver`'s dependencies).
pub const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// The browser engines the tests run on: (name, its executable, the Debian packages that bring
/// it and what it needs to run headful: a virtual display and a sound server).
pub const ENGINES: [(&str, &str, &[&str]); 3] = [
    ("chromium", CHROMIUM, &["chromium", "chromium-driver"]),
    ("firefox", FIREFOX, &["firefox-esr", "xvfb", "pulseaudio"]),
    ("webkit", WEBKIT_WEBDRIVER, &["webkit2gtk-driver", "xvfb", "pulseaudio"]),
];

/// What a wasm build needs.
pub struct BuildTools {
    /// The compiler with a std that can be rebuilt with atomics.
    pub toolchain: WasmToolchain,
    /// `wasm-pack`.
    pub wasm_pack: PathBuf,
    /// binaryen's `wasm-opt` from npm.
    pub wasm_opt: PathBuf,
    /// esbuild from npm (bundles the worklet for the npm package).
    pub esbuild: PathBuf,
}

/// `cargo xtask setup`.
pub fn main(args: &[String]) -> Result<(), String> {
    Options::parse(args, &[], &[])?;
    let tools = build_tools()?;
    test_tools()?;
    println!("wasm toolchain: {}", tools.toolchain.description);
    println!("wasm-pack:      {}", tools.wasm_pack.display());
    println!("wasm-opt:       {}", tools.wasm_opt.display());
    println!("chromium:       {CHROMIUM}");
    let engines: Vec<&str> = ENGINES.iter().map(|e| e.0).collect();
    engine_tools(&engines)?;
    println!("firefox:        {FIREFOX}");
    println!("webkit:         {WEBKIT_WEBDRIVER} ({MINIBROWSER})");
    Ok(())
}

/// Ensures everything `cargo xtask build` needs.
pub fn build_tools() -> Result<BuildTools, String> {
    let toolchain = toolchain::ensure()?;
    ensure_wasm_bindgen()?;
    let wasm_pack = ensure_cargo_tool("wasm-pack", WASM_PACK_VERSION, true)?;
    ensure_node()?;
    npm_ci(&root().join("xtask"))?;
    let wasm_opt = root().join("xtask/node_modules/.bin/wasm-opt");
    if !wasm_opt.is_file() {
        return Err(format!("{} is missing after npm ci", wasm_opt.display()));
    }
    let esbuild = root().join("xtask/node_modules/.bin/esbuild");
    if !esbuild.is_file() {
        return Err(format!("{} is missing after npm ci", esbuild.display()));
    }
    Ok(BuildTools {
        toolchain,
        wasm_pack,
        wasm_opt,
        esbuild,
    })
}

/// Ensures everything the browser tests need besides the build: Chromium and playwright-core.
pub fn test_tools() -> Result<(), String> {
    ensure_node()?;
    npm_ci(&root().join("tests"))?;
    if !Path::new(CHROMIUM).is_file() {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    Ok(())
}

/// Ensures the browsers of `engines` (names of [`ENGINES`]) and, for Firefox and WebKit, Xvfb
/// and PulseAudio, which they need to run here (headful, with a running AudioContext).
pub fn engine_tools(engines: &[&str]) -> Result<(), String> {
    let mut missing: Vec<&str> = Vec::new();
    for (name, exe, packages) in ENGINES {
        if !engines.contains(&name) {
            continue;
        }
        let helpers_missing = name != "chromium" && (which("Xvfb").is_none() || which("pulseaudio").is_none());
        let browser_missing = !Path::new(exe).is_file() || (name == "webkit" && !Path::new(MINIBROWSER).is_file());
        if browser_missing || helpers_missing {
            for p in packages {
                if !missing.contains(p) {
                    missing.push(p);
                }
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        apt_install(&missing)
    }
}

/// The exact `wasm-bindgen` version Cargo.lock pins; the CLI must match it.
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = ")) {
                return Ok(v.trim_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

fn ensure_wasm_bindgen() -> Result<(), String> {
    let version = locked_wasm_bindgen_version()?;
    // wasm-pack looks for `wasm-bindgen` on PATH; a mismatch makes it start a long install.
    ensure_cargo_tool("wasm-bindgen", &version, false).map(|_| ())
}

/// Finds `bin` at `version` or installs it with `cargo install` (crate `bin`, or `bin-cli` for
/// wasm-bindgen). `locked`: pass `--locked` (wasm-bindgen-cli must not: its lock pins a version
/// the registry no longer serves).
fn ensure_cargo_tool(bin: &str, version: &str, locked: bool) -> Result<PathBuf, String> {
    if let Some(path) = which(bin) {
        let v = output(Command::new(&path).arg("--version")).unwrap_or_default();
        if v.split_whitespace().any(|w| w == version) {
            return Ok(path);
        }
        eprintln!("xtask: found {} ({v}); need {version}", path.display());
    }
    let krate = if bin == "wasm-bindgen" { "wasm-bindgen-cli" } else { bin };
    eprintln!("xtask: installing {krate} {version} with cargo install (several minutes, once)");
    let mut cmd = host_cargo();
    cmd.args(["install", krate, "--version", version, "--force"]);
    if locked {
        cmd.arg("--locked");
    }
    run(&mut cmd)?;
    which(bin).ok_or_else(|| format!("{bin} installed but not found in PATH or ~/.cargo/bin"))
}

fn ensure_node() -> Result<(), String> {
    if which("node").is_some() && which("npm").is_some() {
        return Ok(());
    }
    apt_install(&["nodejs", "npm"])
}

/// `npm ci` in `dir` unless its node_modules already match its package-lock.json.
fn npm_ci(dir: &Path) -> Result<(), String> {
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&installed)) {
        (Ok(l), Ok(i)) => match (l.modified(), i.modified()) {
            (Ok(l), Ok(i)) => i >= l,
            _ => false,
        },
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir))
}

static APT_UPDATED: AtomicBool = AtomicBool::new(false);

/// `apt-get install -y PACKAGES` (after one `apt-get update`), or the command to run by hand.
pub fn apt_install(packages: &[&str]) -> Result<(), String> {
    let by_hand = format!(
        "run as root: apt-get update && apt-get install -y {}",
        packages.join(" ")
    );
    if which("apt-get").is_none() {
        return Err(format!("{} are missing and this is not Debian; install the equivalent packages", packages.join(", ")));
    }
    if !is_root() {
        return Err(format!("{} are missing; {by_hand}", packages.join(", ")));
    }
    if !APT_UPDATED.swap(true, Ordering::SeqCst) {
        run(Command::new("apt-get").args(["update", "-q"]))?;
    }
    run(Command::new("apt-get")
        .args(["install", "-y", "-q"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
    .map_err(|e| format!("{e}; {by_hand}"))
}

