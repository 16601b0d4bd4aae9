//! `cargo xtask test`: every test. Native first (`cargo test --workspace`, clippy), then the
//! wasm package is built as it ships, served by the real dev server on a free loopback port, and
//! the browser suite in `tests/e2e/` runs under node's test runner, driving Debian's Chromium
//! through playwright-core. Then the core suite (`tests/engines/`) runs on each engine: Chromium,
//! Firefox ESR (puppeteer-core over WebDriver BiDi) and WebKitGTK's MiniBrowser (classic
//! WebDriver); for the last two an Xvfb display and a PulseAudio null sink are started here and
//! stopped after. `--browser NAME[,NAME]` runs only those engines (chromium: the full suite too).

use crate::build::{self, Profile};
use crate::dist;
use crate::serve::{self, ServerConfig};
use crate::setup::{self, CHROMIUM, ENGINES, FIREFOX, MINIBROWSER, WEBKIT_WEBDRIVER};
use crate::util::{host_cargo, root, run, Options};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `cargo xtask test`.
pub fn main(args: &[String]) -> Result<(), String> {
    let o = Options::parse(args, &["--native", "--e2e"], &["--filter", "--browser"])?;
    let engines = engines(o.value("--browser"))?;
    let start = Instant::now();
    let mut report = Vec::new();
    if !o.flag("--e2e") {
        let t = Instant::now();
        native()?;
        report.push(format!("native tests + clippy: {:.1} s", t.elapsed().as_secs_f64()));
    }
    if !o.flag("--native") {
        let t = Instant::now();
        e2e(o.value("--filter"), &engines, &mut report)?;
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

/// The engines `--browser` names (comma-separated; `all` or nothing: every one).
fn engines(arg: Option<&str>) -> Result<Vec<&'static str>, String> {
    let all: Vec<&'static str> = ENGINES.iter().map(|e| e.0).collect();
    let Some(arg) = arg.filter(|a| *a != "all") else {
        return Ok(all);
    };
    arg.split(',')
        .map(|name| {
            all.iter()
                .find(|e| **e == name.trim())
                .copied()
                .ok_or_else(|| format!("--browser {name}: one of {} or all", all.join(", ")))
        })
        .collect()
}

fn e2e(filter: Option<&str>, engines: &[&'static str], report: &mut Vec<String>) -> Result<(), String> {
    let tools = setup::build_tools()?;
    setup::test_tools()?;
    setup::engine_tools(engines)?;
    let secs = build::wasm(&tools, Profile { release: true, wasm_opt: true })?;
    report.push(format!("wasm release build (incl. wasm-opt): {secs:.1} s"));
    build::print_sizes();
    // The release, for tests/e2e/dist.test.mjs (and so that `dist` itself is tested).
    let release = dist::make(&tools)?;
    dist::report(&release);
    let server = serve::spawn(ServerConfig::project(SocketAddr::from(([127, 0, 0, 1], 0)), false))?;
    let url = format!("http://{}", server.addr);
    let chromium_files = if engines.contains(&"chromium") { test_files("tests/e2e", filter)? } else { Vec::new() };
    let core = test_files("tests/engines", filter)?;
    if chromium_files.is_empty() && core.is_empty() {
        return Err(format!("no test file in tests/e2e or tests/engines matches {filter:?}"));
    }
    if !chromium_files.is_empty() {
        let t = Instant::now();
        node_test(&chromium_files, &url, None, &[])?;
        report.push(format!("chromium: full e2e suite: {:.1} s", t.elapsed().as_secs_f64()));
    }
    if core.is_empty() {
        return Ok(());
    }
    for engine in engines {
        let t = Instant::now();
        // Firefox and WebKit run headful (headless Firefox has no WebGL here) and need a sound
        // server for their AudioContext to leave `suspended`.
        let _servers;
        let mut env: Vec<(&str, String)> = Vec::new();
        if *engine != "chromium" {
            let display = Xvfb::start()?;
            let sound = PulseAudio::start()?;
            env.push(("DISPLAY", display.display.clone()));
            env.push(("PULSE_SERVER", sound.server.clone()));
            _servers = (display, sound);
        }
        node_test(&core, &url, Some(engine), &env)?;
        report.push(format!("{engine}: core suite: {:.1} s", t.elapsed().as_secs_f64()));
    }
    Ok(())
}

/// The `*.test.mjs` files in `dir` (under the root) whose name contains `filter`, sorted.
fn test_files(dir: &str, filter: Option<&str>) -> Result<Vec<PathBuf>, String> {
    let dir = root().join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .filter(|p| filter.is_none_or(|f| p.file_name().unwrap().to_string_lossy().contains(f)))
        .collect();
    files.sort();
    Ok(files)
}

/// node's test runner over `files`, against the server at `url`; `engine` (for the core
/// suite) says which browser they drive.
fn node_test(files: &[PathBuf], url: &str, engine: Option<&str>, env: &[(&str, String)]) -> Result<(), String> {
    let mut cmd = Command::new("node");
    // A test that hangs (a browser call that never returns) fails after 4 minutes, naming
    // itself, instead of holding the run until CI's own limit; the longest takes about 10 s.
    cmd.args(["--test", "--test-concurrency=1", "--test-reporter=spec", "--test-timeout=240000"])
        .args(files)
        .env("VECTORSCOPE_URL", url)
        .env("VECTORSCOPE_ROOT", root())
        .env("CHROMIUM", CHROMIUM)
        .env("FIREFOX", FIREFOX)
        .env("WEBKIT_WEBDRIVER", WEBKIT_WEBDRIVER)
        .env("MINIBROWSER", MINIBROWSER)
        .current_dir(root());
    if let Some(engine) = engine {
        cmd.env("VECTORSCOPE_ENGINE", engine);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(&mut cmd).map_err(|e| match engine {
        Some(engine) => format!("{engine}: {e}"),
        None => e,
    })
}

/// A child process killed (and reaped) when dropped.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Waits up to 10 s for `path` to exist (a server's socket), else fails naming `what`.
fn wait_for(path: &Path, what: &str, child: &mut Child) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !path.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("{what} exited ({status}) before it was ready"));
        }
        if Instant::now() > deadline {
            return Err(format!("{what} did not create {} within 10 s", path.display()));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// A virtual X display (Xvfb) on the first free display number from :90.
struct Xvfb {
    display: String,
    _child: Guard,
}

impl Xvfb {
    fn start() -> Result<Self, String> {
        let n = (90..200)
            .find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() && !Path::new(&format!("/tmp/.X{n}-lock")).exists())
            .ok_or("no free X display number from :90 to :199")?;
        let display = format!(":{n}");
        eprintln!("xtask: starting Xvfb {display}");
        let mut child = Command::new("Xvfb")
            .args([display.as_str(), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start Xvfb: {e}"))?;
        wait_for(Path::new(&format!("/tmp/.X11-unix/X{n}")), "Xvfb", &mut child)?;
        Ok(Self { display, _child: Guard(child) })
    }
}

/// A PulseAudio server of this run's own (its socket in a temporary folder, so it meets no
/// other), with a null sink as its only output. Firefox's stereo check adds its own input to
/// it while it runs (`tests/engines/pulse-microphone.mjs`: a second null sink's monitor as the
/// default source, a WAV looped into it).
struct PulseAudio {
    server: String,
    dir: PathBuf,
    _child: Guard,
}

impl PulseAudio {
    fn start() -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!("vectorscope-pulse-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let socket = dir.join("native");
        let _ = std::fs::remove_file(&socket);
        eprintln!("xtask: starting PulseAudio with a null sink ({})", socket.display());
        let mut child = Command::new("pulseaudio")
            .args(["-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no", "--log-target=stderr", "--log-level=error"])
            .arg("-L")
            .arg(format!("module-native-protocol-unix socket={} auth-anonymous=1", socket.display()))
            .args(["-L", "module-null-sink sink_name=null"])
            .env("PULSE_RUNTIME_PATH", &dir)
            .env("PULSE_STATE_PATH", &dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start pulseaudio: {e}"))?;
        wait_for(&socket, "pulseaudio", &mut child)?;
        Ok(Self { server: format!("unix:{}", socket.display()), dir, _child: Guard(child) })
    }
}

impl Drop for PulseAudio {
    fn drop(&mut self) {
        // (The guard, dropped after this, stops the server; its folder goes now.)
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
