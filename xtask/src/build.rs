//! `cargo xtask build`: the wasm package (`wasm-pack build --target web`) into `target/pkg`,
//! optimised with binaryen's `wasm-opt`, sizes printed raw and gzipped.

use crate::setup::{self, BuildTools};
use crate::util::{root, run, Options};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where the package lands; served at `/pkg/`.
pub fn pkg_dir() -> PathBuf {
    root().join("target/pkg")
}

/// How to build.
#[derive(Clone, Copy)]
pub struct Profile {
    /// Optimised (`--release`, lto) rather than `--dev`.
    pub release: bool,
    /// Run `wasm-opt -O3` afterwards.
    pub wasm_opt: bool,
}

/// `cargo xtask build`.
pub fn main(args: &[String]) -> Result<(), String> {
    let o = Options::parse(args, &["--dev", "--no-opt"], &[])?;
    let tools = setup::build_tools()?;
    let profile = Profile {
        release: !o.flag("--dev"),
        wasm_opt: !o.flag("--dev") && !o.flag("--no-opt"),
    };
    wasm(&tools, profile)?;
    print_sizes();
    Ok(())
}

/// Builds the package; returns the seconds it took.
pub fn wasm(tools: &BuildTools, profile: Profile) -> Result<f64, String> {
    let start = Instant::now();
    eprintln!("xtask: building wasm with {}", tools.toolchain.description);
    let mut cmd = tools.toolchain.command(&tools.wasm_pack);
    cmd.args(["build", "--target", "web", "--mode", "force", "--no-pack"])
        .arg(if profile.release { "--release" } else { "--dev" })
        .args(["--out-name", "vectorscope", "--out-dir"])
        .arg(pkg_dir())
        .arg(root());
    run(&mut cmd)?;
    check_shared_memory(&pkg_dir().join("vectorscope.js"))?;
    if profile.wasm_opt {
        let wasm = pkg_dir().join("vectorscope_bg.wasm");
        let t = Instant::now();
        run(std::process::Command::new(&tools.wasm_opt)
            .arg(&wasm)
            .arg("-o")
            .arg(&wasm)
            .args(WASM_OPT_ARGS))?;
        eprintln!("xtask: wasm-opt took {:.1} s", t.elapsed().as_secs_f64());
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!("xtask: wasm package built in {secs:.1} s -> {}", pkg_dir().display());
    Ok(secs)
}

/// `-O3` with exactly the features the module is built with (threads for the shared memory).
const WASM_OPT_ARGS: &[&str] = &[
    "-O3",
    "--enable-threads",
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-sign-ext",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// The generated glue must create a *shared* memory; a build without the link args silently
/// makes a private one, and nothing else would notice until the worklet sees other data.
fn check_shared_memory(glue: &Path) -> Result<(), String> {
    let js = std::fs::read_to_string(glue).map_err(|e| format!("{}: {e}", glue.display()))?;
    if js.contains("shared: true") || js.contains("shared:true") {
        Ok(())
    } else {
        Err(format!(
            "{} does not create a shared WebAssembly.Memory: the atomics/shared-memory flags in \
             .cargo/config.toml did not reach the build",
            glue.display()
        ))
    }
}

/// Raw and gzipped size of one file.
pub fn sizes(path: &Path) -> Option<(u64, u64)> {
    let bytes = std::fs::read(path).ok()?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes).ok()?;
    Some((bytes.len() as u64, gz.finish().ok()?.len() as u64))
}

/// The files the app page fetches: the wasm package, the worklet, the page's own files and
/// every module of the element (`www/element/`).
pub fn page_files() -> Vec<PathBuf> {
    let mut files = vec![
        pkg_dir().join("vectorscope_bg.wasm"),
        pkg_dir().join("vectorscope.js"),
        root().join("worklet/processor.js"),
        root().join("www/index.html"),
        root().join("www/style.css"),
        root().join("www/app.js"),
        root().join("www/share.js"),
    ];
    let mut element: Vec<PathBuf> = std::fs::read_dir(root().join("www/element"))
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    element.retain(|p| p.extension().is_some_and(|e| e == "js"));
    element.sort();
    files.extend(element);
    files
}

/// The files a page load fetches, with raw and gzipped sizes.
pub fn print_sizes() {
    let files = page_files();
    let (mut raw_total, mut gz_total) = (0, 0);
    println!("{:<44} {:>10} {:>10}", "file", "raw B", "gzip B");
    for f in &files {
        if let Some((raw, gz)) = sizes(f) {
            raw_total += raw;
            gz_total += gz;
            let name = f.strip_prefix(root()).unwrap_or(f).display().to_string();
            println!("{name:<44} {raw:>10} {gz:>10}");
        }
    }
    println!("{:<44} {raw_total:>10} {gz_total:>10}", "total");
}
