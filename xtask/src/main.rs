//! `cargo xtask`: vectorscope's build tasks.
//!
//! - `cargo xtask serve [--port N] [--host ADDR] [--no-watch]`: install what is missing, build
//!   the wasm package and serve the app with the cross-origin isolation headers; rebuilds and
//!   reloads the page when a source file changes.
//! - `cargo xtask test [--native | --e2e] [--filter TEXT] [--browser LIST]`: every test, native,
//!   in headless Chromium, and the core suite on Firefox ESR and WebKitGTK; exits non-zero on
//!   any failure.
//! - `cargo xtask build [--dev] [--no-opt]`: the wasm package into `target/pkg`, sizes printed.
//! - `cargo xtask dist`: the release into `target/dist/`: `site/` for any static host and the
//!   npm package (`npm/` and its tarball).
//! - `cargo xtask bench`: the project's numbers as Markdown tables (target/bench.md, and the
//!   marked region of docs/benchmarks.md after a full run).
//! - `cargo xtask setup`: only install what is missing.

mod bench;
mod build;
mod dist;
mod paths;
mod serve;
mod setup;
mod test;
mod toolchain;
mod util;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <task> [options]

tasks:
  serve   build the wasm package and serve the app (default http://127.0.0.1:8080)
            --port N        port to listen on (default 8080; 0 picks a free one)
            --host ADDR     address to bind (default 127.0.0.1)
            --no-watch      do not rebuild/reload on source changes
            --dev           unoptimised wasm build (faster to compile)
  test    run every test: native `cargo test`, then the browser end-to-end suite
            --native        only the native tests
            --e2e           only the browser tests (builds the package first)
            --filter TEXT   only e2e test files whose name contains TEXT
            --browser LIST  only these engines (chromium, firefox, webkit; comma-separated):
                            chromium runs the full suite, each engine the core suite
  build   build the wasm package into target/pkg and print its sizes
            --dev           unoptimised build
            --no-opt        skip wasm-opt
  dist    build the release into target/dist: site/ (any static host; _headers, a service
          worker for isolation and offline use) and the npm package (npm/ and its tarball)
  bench   print the project's numbers as Markdown (also target/bench.md and, after a full run,
          docs/benchmarks.md's bench region): ring, geometry and
          signal chain (criterion), renderer frame times per backend (www/bench.html in headless Chromium), sizes
            --no-native     skip the criterion benches
            --no-browser    skip the browser bench
            --query Q       bench page options, e.g. sizes=1000,4096&frames=30&backends=webgl2
  setup   install what is missing (wasm toolchain, wasm-bindgen, wasm-pack, node packages,
          chromium) and print what was found
  help    this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((t, r)) => (t.as_str(), r),
        None => ("help", &[][..]),
    };
    let result = match task {
        "serve" => serve::main(rest),
        "test" => test::main(rest),
        "build" => build::main(rest),
        "dist" => dist::main(rest),
        "bench" => bench::main(rest),
        "setup" => setup::main(rest),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(format!("unknown task `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}
