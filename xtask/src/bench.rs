//! `cargo xtask bench`: the project's numbers in one Markdown table, no pass/fail: the ring, the
//! renderer's main-thread geometry and the signal chain (criterion), the renderer (bench page in
//! headless Chromium, both backends) and the sizes of what a page load fetches. Written to
//! stdout and `target/bench.md`; a full run (no `--no-native`, `--no-browser` or `--query`) also
//! replaces the region of `docs/benchmarks.md` between [`BEGIN`] and [`END`] with the same
//! tables, leaving the hand-written text around it as it is.

use crate::build::{self, Profile};
use crate::serve::{self, ServerConfig};
use crate::setup;
use crate::util::{host_cargo, output, root, Options};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::process::Command;

/// `cargo xtask bench`.
pub fn main(args: &[String]) -> Result<(), String> {
    let o = Options::parse(args, &["--no-browser", "--no-native"], &["--query"])?;
    let mut body = String::new();
    if !o.flag("--no-native") {
        body.push_str(&ring()?);
        body.push_str(&geometry()?);
        body.push_str(&chain()?);
    }
    let mut chromium = None;
    if !o.flag("--no-browser") {
        let (md, version) = renderer(o.value("--query").unwrap_or(""))?;
        body.push_str(&md);
        chromium = Some(version);
    }
    let header = provenance(&utc_date(now_secs()), &commit(), chromium.as_deref(), &machine());
    let md = format!("# vectorscope benchmarks\n\n{header}\n{body}");
    println!("{md}");
    let path = root().join("target/bench.md");
    std::fs::write(&path, &md).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("xtask: written to {}", path.display());
    let docs = root().join("docs/benchmarks.md");
    if o.flag("--no-native") || o.flag("--no-browser") || o.value("--query").is_some() {
        eprintln!("xtask: {} left as it is: a partial run (--no-native, --no-browser or --query)", docs.display());
        return Ok(());
    }
    let doc = std::fs::read_to_string(&docs).map_err(|e| format!("{}: {e}", docs.display()))?;
    // Under the document's own heading for the region: no title, the sections one level down.
    let tables = demote_headings(&format!("{header}\n{body}"));
    let updated = replace_region(&doc, &tables).map_err(|e| format!("{}: {e}", docs.display()))?;
    std::fs::write(&docs, updated).map_err(|e| format!("{}: {e}", docs.display()))?;
    eprintln!("xtask: the latest tables in {} replaced (between {BEGIN} and {END})", docs.display());
    Ok(())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let rustc = output(Command::new("rustc").arg("--version")).unwrap_or_default();
    format!("Machine: {cpu}, {cores} cores; {rustc}; headless Chromium renders in software (SwiftShader).")
}

/// The line before the tables `cargo xtask bench` writes into `docs/benchmarks.md`; on a line of
/// its own (the same text inside a sentence is not a marker).
pub const BEGIN: &str = "<!-- bench:begin -->";
/// The line after them.
pub const END: &str = "<!-- bench:end -->";
/// What goes above the markers when the document has none: the region is added at its end.
const REGION_HEADING: &str = "## The latest `cargo xtask bench`";

/// `doc` with the lines between its [`BEGIN`] and [`END`] lines replaced by `tables`, every other
/// byte kept. A document without the markers gets them at its end, under [`REGION_HEADING`]; one
/// with a single marker, a marker twice or `END` before `BEGIN` is refused rather than guessed
/// at, so a run never adds a second region.
pub fn replace_region(doc: &str, tables: &str) -> Result<String, String> {
    // Byte offsets of the lines that are exactly a marker: (start of line, end of line with its newline).
    let mut begins = Vec::new();
    let mut ends = Vec::new();
    let mut at = 0;
    for line in doc.split_inclusive('\n') {
        let next = at + line.len();
        match line.trim() {
            t if t == BEGIN => begins.push((at, next)),
            t if t == END => ends.push((at, next)),
            _ => {}
        }
        at = next;
    }
    let mut body = tables.trim_end_matches('\n').to_string();
    body.push('\n');
    match (begins.as_slice(), ends.as_slice()) {
        ([], []) => {
            let mut out = doc.to_string();
            if !out.is_empty() {
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push('\n');
            }
            out.push_str(&format!("{REGION_HEADING}\n\n{BEGIN}\n{body}{END}\n"));
            Ok(out)
        }
        ([(_, after_begin)], [(before_end, _)]) if after_begin <= before_end => {
            Ok(format!("{}{body}{}", &doc[..*after_begin], &doc[*before_end..]))
        }
        ([_], [_]) => Err(format!("{END} comes before {BEGIN}; put the region right by hand")),
        _ => Err(format!(
            "{} lines {BEGIN} and {} lines {END}: expected one of each (or none, to add them at the end); put the region right by hand",
            begins.len(),
            ends.len()
        )),
    }
}

/// `md` with every Markdown heading one level deeper (`##` becomes `###`), so the bench's
/// sections sit under the document's heading for them.
fn demote_headings(md: &str) -> String {
    md.split_inclusive('\n')
        .map(|l| if l.starts_with('#') { format!("#{l}") } else { l.to_string() })
        .collect()
}

/// Where the numbers came from: the date, the commit, the browser and the machine.
fn provenance(date: &str, commit: &str, chromium: Option<&str>, machine: &str) -> String {
    let browser = chromium.filter(|v| !v.is_empty()).map_or(String::new(), |v| format!(", headless Chromium {v}"));
    format!("Measured on {date} (UTC) at commit {commit}{browser}. {machine}\n")
}

/// The commit measured, with the files that differ from it (outside `docs/`, which the bench
/// writes), as `git` reports them.
fn commit() -> String {
    let git = |args: &[&str]| output(Command::new("git").arg("-C").arg(root()).args(args));
    let Some(hash) = git(&["rev-parse", "--short", "HEAD"]) else {
        return "unknown (no git)".into();
    };
    let changed: Vec<String> = git(&["status", "--porcelain", "--", ".", ":(exclude)docs"])
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.get(3..).map(str::to_string))
        .collect();
    match changed.len() {
        0 => format!("`{hash}`"),
        n if n <= 5 => format!("`{hash}` with uncommitted changes to {}", changed.join(", ")),
        n => format!("`{hash}` with uncommitted changes to {n} files ({}, ...)", changed[..5].join(", ")),
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// `YYYY-MM-DD` of a Unix time, in UTC (the proleptic Gregorian calendar; Howard Hinnant's
/// `civil_from_days`).
fn utc_date(secs: u64) -> String {
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Runs the criterion bench `name` and returns `(name, median ns)` for each of its functions.
fn criterion(name: &str) -> Result<Vec<(String, f64)>, String> {
    let out = host_cargo()
        .args(["bench", "--bench", name, "--", "--warm-up-time", "1", "--measurement-time", "4"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("cargo bench: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("cargo bench failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(parse_criterion(&text, &format!("{name}/")))
}

/// Runs the criterion ring bench and tabulates ns per sample and ratios.
fn ring() -> Result<String, String> {
    let rows = criterion("ring")?;
    // Ratios are against the renderer's path: push_slice in, read in place out.
    let block = rows.iter().find(|(n, _)| n.contains("read_newest")).map(|r| r.1);
    let mut md = String::from("## Ring (criterion, one 128-frame block in and out, one thread)\n\n| path | ns per block | ns per sample | time vs. push_slice+read_newest |\n| --- | ---: | ---: | ---: |\n");
    for (name, ns) in &rows {
        let ratio = block.map_or(String::new(), |b| format!("{:.1}x", ns / b));
        let _ = writeln!(md, "| {name} | {ns:.1} | {:.3} | {ratio} |", ns / 128.0);
    }
    md.push('\n');
    Ok(md)
}

/// Runs the criterion geometry bench (the renderer's main-thread work per frame, natively) and
/// tabulates time per frame and per segment.
fn geometry() -> Result<String, String> {
    let rows = criterion("geometry")?;
    let mut md = String::from("## Geometry (criterion, native: the renderer's main-thread work per frame on the bench page's figure)\n\n| work | µs per frame | ns per segment |\n| --- | ---: | ---: |\n");
    for (name, ns) in &rows {
        // The names end "<n> segments".
        let segments = name.rsplit(' ').nth(1).and_then(|n| n.parse::<f64>().ok());
        let per = segments.map_or(String::new(), |n| format!("{:.1}", ns / n));
        let _ = writeln!(md, "| {name} | {:.1} | {per} |", ns / 1000.0);
    }
    md.push('\n');
    Ok(md)
}

/// Runs the criterion chain bench (meters and display chain per 800-sample frame, natively)
/// and tabulates time per frame and per sample, against the 0.5 ms per frame budget.
fn chain() -> Result<String, String> {
    let rows = criterion("chain")?;
    let mut md = String::from("## Signal chain (criterion, native: one 60 Hz frame at 48 kHz, 800 samples of a music-like signal)\n\n| work | µs per frame | ns per sample | share of 0.5 ms |\n| --- | ---: | ---: | ---: |\n");
    for (name, ns) in &rows {
        let _ = writeln!(md, "| {name} | {:.1} | {:.1} | {:.0} % |", ns / 1000.0, ns / 800.0, ns / 5000.0);
    }
    md.push('\n');
    Ok(md)
}

/// `(name, median ns)` for each `<prefix>name` followed by a `time: [lo mid hi]` line.
fn parse_criterion(text: &str, prefix: &str) -> Vec<(String, f64)> {
    let mut rows = Vec::new();
    let mut name: Option<String> = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix(prefix) {
            let n = rest.split("  ").next().unwrap_or(rest).trim();
            name = Some(n.to_string());
        }
        if let (Some(n), Some(i)) = (name.as_ref(), t.find("time:")) {
            let inside = t[i + 5..].trim().trim_start_matches('[').trim_end_matches(']');
            let parts: Vec<&str> = inside.split_whitespace().collect();
            if parts.len() >= 4 {
                if let Ok(v) = parts[2].parse::<f64>() {
                    let scale = match parts[3] {
                        "ps" => 1e-3,
                        "ns" => 1.0,
                        "µs" | "us" => 1e3,
                        "ms" => 1e6,
                        _ => 1e9,
                    };
                    rows.push((n.clone(), v * scale));
                }
            }
            name = None;
        }
    }
    rows
}

/// Builds the release package, serves it and runs the bench page in headless Chromium: the
/// Markdown and the browser's version.
fn renderer(query: &str) -> Result<(String, String), String> {
    let tools = setup::build_tools()?;
    setup::test_tools()?;
    build::wasm(&tools, Profile { release: true, wasm_opt: true })?;
    let server = serve::spawn(ServerConfig::project(SocketAddr::from(([127, 0, 0, 1], 0)), false))?;
    let out = Command::new("node")
        .arg(root().join("tests/bench/render-bench.mjs"))
        .env("VECTORSCOPE_URL", format!("http://{}", server.addr))
        .env("BENCH_QUERY", query)
        .output()
        .map_err(|e| format!("node: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!("render bench failed:\n{}{}", text, String::from_utf8_lossy(&out.stderr)));
    }
    let json = text.lines().last().unwrap_or("");
    Ok((browser_report(json), json_field(json, "chromium").to_string()))
}

/// The Markdown for the browser's results (`tests/bench/render-bench.mjs`'s JSON line) and the
/// page sizes.
fn browser_report(json: &str) -> String {
    let mut md = String::from("## Renderer (800x800 canvas, frame interval while drawing N segments per frame)\n\n");
    let _ = writeln!(md, "Raw results: `{json}`\n");
    md.push_str("`GPU ms` is the GPU's own time per frame with no vsync: 60 frames submitted back to back (best of two batches), until the GPU reports them done (without the browser's presentation and compositing).\n\n");
    md.push_str("| backend | segments/frame | glow | mean ms | median ms | p95 ms | fps (1000 / mean) | main-thread ms | GPU ms |\n| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    // Per backend: (largest segment count at >= 59 fps, fps with no segments), glow off.
    let mut sixty: Vec<(String, Option<f64>, f64)> = Vec::new();
    // The renderer's rows: the `results` array only (the app page's rows have backends too).
    for row in json_rows(json, "results") {
        let field = |k: &str| json_field(row, k);
        let backend = field("backend");
        let num = |k: &str| json_number(row, k);
        let _ = writeln!(
            md,
            "| {backend} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} | {} |",
            field("segments"),
            if field("glow") == "1" { "on" } else { "off" },
            num("mean"),
            num("median"),
            num("p95"),
            num("fps"),
            num("cpu"),
            if num("gpu").is_finite() { format!("{:.1}", num("gpu")) } else { "–".to_string() }
        );
        if field("glow") != "1" {
            if !sixty.iter().any(|(b, ..)| b == backend) {
                sixty.push((backend.to_string(), None, f64::NAN));
            }
            let entry = sixty.iter_mut().find(|(b, ..)| b == backend).expect("just added");
            let segments = num("segments");
            if segments == 0.0 {
                entry.2 = num("fps");
            }
            if num("fps") >= 59.0 {
                entry.1 = Some(entry.1.map_or(segments, |s: f64| s.max(segments)));
            }
        }
    }
    md.push('\n');
    for (backend, best, idle) in &sixty {
        match best {
            Some(n) => {
                let _ = writeln!(md, "{backend}: the largest measured segment count that holds 60 fps is {n}.");
            }
            None => {
                let _ = writeln!(md, "{backend}: no measured segment count holds 60 fps here (with no segments at all: {idle:.1} fps).");
            }
        }
    }
    let chain: Vec<&str> = json_rows(json, "chain").collect();
    if !chain.is_empty() {
        md.push_str("\n## Signal chain as wasm (the bench page: the same frame as the native chain bench, in the browser's main thread)\n\n");
        md.push_str("One 60 Hz frame at 48 kHz: the meters and the display chain (DC block and auto-gain on) over 800 samples of the chord; the median of ten 1 s batches, the fastest and slowest in brackets.\n\n");
        md.push_str("| work | µs per frame | ns per sample | share of 0.5 ms |\n| --- | ---: | ---: | ---: |\n");
        for row in &chain {
            let num = |k: &str| json_number(row, k);
            let work = if num("rays") == 1.0 { "meters and display polar level rays".to_string() } else { format!("meters and display x{}", num("upsample")) };
            let _ = writeln!(
                md,
                "| {work} | {:.1} ({:.1} to {:.1}) | {:.1} | {:.0} % |",
                num("usPerFrame"),
                num("usLow"),
                num("usHigh"),
                num("nsPerSample"),
                num("usPerFrame") / 5.0
            );
        }
    }
    if let Some(w) = json.split("\"worklet\":").nth(1).filter(|w| w.starts_with('{')) {
        let num = |k: &str| json_number(w, k);
        md.push_str("\n## Worklet (the audio thread's cost)\n\n");
        let _ = writeln!(
            md,
            "An OfflineAudioContext renders two oscillators through the real processor (wasm, shared ring) and through an empty one, in {} interleaved pairs; the cost is the median of the pairs' differences (the middle half of them in brackets), and the render times are medians.\n",
            num("pairs")
        );
        md.push_str("| audio | empty processor | real processor | process() per 128-frame quantum | share of the quantum's 2.67 ms | samples written | dropped |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        let _ = writeln!(
            md,
            "| {} s at {} Hz | {:.1} ms | {:.1} ms | {:.2} µs ({:.2} to {:.2}) | {:.3} % | {} | {} |",
            num("seconds"),
            num("rate"),
            num("emptyMs"),
            num("realMs"),
            num("perQuantumUs"),
            num("perQuantumUsLow"),
            num("perQuantumUsHigh"),
            num("percentOfQuantum"),
            num("samplesWritten"),
            num("dropped")
        );
    }
    if let Some(l) = json.split("\"latency\":").nth(1).filter(|l| l.starts_with('{')) {
        let l = l.split('}').next().unwrap_or("");
        let num = |k: &str| json_number(l, k);
        md.push_str("\n## Latency (a click in the microphone's input to the frame that draws it)\n\n");
        md.push_str("The fake microphone plays single-sample clicks; a worker timestamps each quantum reaching the ring (the ring's write counter in shared memory, polled every 0.2 ms), and the frame that drains the click is found by its peak. Latency runs to the end of that frame's draw call (the browser presents it at the next vsync). A frame is missed if the click was in the ring before the previous frame began draining.\n\n");
        md.push_str("| clicks | mean ms | median ms | max ms | frames missed | worst, as a share of (its frame + one quantum) | mean frame interval ms | quantum ms |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        let _ = writeln!(
            md,
            "| {} | {:.1} | {:.1} | {:.1} | {} | {:.2} | {:.1} | {:.2} |",
            num("clicks"),
            num("meanMs"),
            num("medianMs"),
            num("maxMs"),
            num("missedFrames"),
            num("worstOfFramePlusQuantum"),
            num("frameMs"),
            num("quantumMs")
        );
    }
    if let Some(s) = json.split("\"startupMs\":[").nth(1) {
        let list = s.split(']').next().unwrap_or("");
        let ms: Vec<String> = list.split(',').filter_map(|v| v.trim().parse::<f64>().ok()).map(|v| format!("{v:.0}")).collect();
        md.push_str("\n## Startup (the app's <vector-scope>: microphone granted to the first frame that drew its samples)\n\n");
        let _ = writeln!(md, "Three starts (the first creates the AudioContext and loads the worklet): {} ms.", ms.join(", "));
    }
    if json.contains("\"app\":[") {
        md.push_str("\n## The app page (index.html in a 1200x900 window, the chain bench's music-like chord looped through connect())\n\n");
        md.push_str("What a user sees: the <vector-scope> beside its panels, drawing the chord through the whole audio path (the renderer rows above are the canvas alone). 5 s after 60 frames of warm-up.\n\n");
        md.push_str("| backend | glow | upsample | animation frames/s | frames drawn/s | segments per frame | sample rate | frames/s vs. x1 |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        let rows: Vec<&str> = json_rows(json, "app").collect();
        for row in &rows {
            let (backend, glow) = (json_field(row, "backend"), json_number(row, "glow"));
            // The same backend and glow without upsampling: what x4 and x8 cost.
            let x1 = rows.iter().find(|r| {
                json_field(r, "backend") == backend && json_number(r, "glow") == glow && json_number(r, "upsample") == 1.0
            });
            let ratio = x1.map_or(String::new(), |r| format!("{:.2}x", json_number(row, "animationFps") / json_number(r, "animationFps")));
            let _ = writeln!(
                md,
                "| {} | {} | x{} | {:.1} | {:.1} | {:.0} | {:.0} | {ratio} |",
                backend,
                if glow == 1.0 { "on" } else { "off" },
                json_number(row, "upsample"),
                json_number(row, "animationFps"),
                json_number(row, "drawnFps"),
                json_number(row, "segmentsPerFrame"),
                json_number(row, "sampleRate"),
            );
        }
    }
    md.push_str("\n## Load (what a page fetches)\n\n| file | raw bytes | gzip bytes |\n| --- | ---: | ---: |\n");
    for f in build::page_files() {
        if let Some((raw, gz)) = build::sizes(&f) {
            let name = f.strip_prefix(root()).unwrap_or(&f).display().to_string();
            let _ = writeln!(md, "| {name} | {raw} | {gz} |");
        }
    }
    md
}

/// The value after the first `"key":` in `json`, unquoted (empty if there is none). Only for
/// the flat numbers and strings the bench page writes.
fn json_field<'a>(json: &'a str, key: &str) -> &'a str {
    json.split(&format!("\"{key}\":"))
        .nth(1)
        .and_then(|v| v.split([',', '}']).next())
        .map_or("", |v| v.trim().trim_matches('"'))
}

/// The number after the first `"key":` in `json` (NaN if there is none).
fn json_number(json: &str, key: &str) -> f64 {
    json_field(json, key).parse::<f64>().unwrap_or(f64::NAN)
}

/// The objects of the array `"key":[{...},{...}]` in `json` (flat objects only), one string each.
fn json_rows<'a>(json: &'a str, key: &str) -> impl Iterator<Item = &'a str> {
    let array = json.split(&format!("\"{key}\":[")).nth(1).and_then(|a| a.split(']').next()).unwrap_or("");
    array.split('{').skip(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_browser_report_tabulates_every_part() {
        let json = r#"{"chromium":"1","results":[{"backend":"webgpu","segments":0,"glow":0,"frames":40,"median":16.7,"p95":20,"mean":16.9,"fps":59.2,"cpu":0.4},{"backend":"webgpu","segments":4096,"glow":0,"frames":40,"median":33.3,"p95":50,"mean":40,"fps":25,"cpu":1,"gpu":30.5},{"backend":"webgpu","segments":4096,"glow":1,"frames":40,"median":50,"p95":60,"mean":80,"fps":12.5,"cpu":1},{"backend":"webgl2","segments":0,"glow":0,"frames":40,"median":50,"p95":60,"mean":50,"fps":20,"cpu":1}],"chain":[{"upsample":8,"rays":0,"usPerFrame":310.3,"usLow":300,"usHigh":352.5,"nsPerSample":387.8,"points":9},{"upsample":1,"rays":1,"usPerFrame":150,"usLow":149,"usHigh":151,"nsPerSample":187.5,"points":9}],"worklet":{"seconds":60,"rate":48000,"pairs":9,"perQuantumUs":1.5,"perQuantumUsLow":1.2,"perQuantumUsHigh":1.8,"percentOfQuantum":0.05,"realMs":2,"emptyMs":1,"samplesWritten":5,"dropped":0},"latency":{"clicks":22,"meanMs":19.4,"medianMs":19,"maxMs":41.1,"missedFrames":0,"worstOfFramePlusQuantum":0.88,"frameMs":41,"quantumMs":2.67},"startupMs":[96.2,204,52],"app":[{"backend":"webgpu","glow":0,"upsample":1,"animationFps":57.41,"drawnFps":57.2,"segmentsPerFrame":768.4,"sampleRate":44100},{"backend":"webgl2","glow":1,"upsample":1,"animationFps":26.4,"drawnFps":26.4,"segmentsPerFrame":1670,"sampleRate":44100},{"backend":"webgl2","glow":1,"upsample":8,"animationFps":25.1,"drawnFps":25.1,"segmentsPerFrame":13360,"sampleRate":44100}]}"#;
        let md = browser_report(json);
        assert!(md.contains("| webgpu | 4096 | on | 80.0 |"), "{md}");
        assert!(md.contains("| 25.0 | 1.00 | 30.5 |"), "{md}");
        assert!(md.contains("| 20.0 | 1.00 | – |"), "{md}");
        assert!(md.contains("webgpu: the largest measured segment count that holds 60 fps is 0."), "{md}");
        assert!(md.contains("webgl2: no measured segment count holds 60 fps here (with no segments at all: 20.0 fps)."), "{md}");
        assert!(md.contains("| 1.50 µs (1.20 to 1.80) | 0.050 % |"), "{md}");
        assert!(md.contains("| meters and display x8 | 310.3 (300.0 to 352.5) | 387.8 | 62 % |"), "{md}");
        assert!(md.contains("| meters and display polar level rays | 150.0 (149.0 to 151.0) | 187.5 | 30 % |"), "{md}");
        assert!(md.contains("in 9 interleaved pairs"), "{md}");
        assert!(md.contains("| 22 | 19.4 | 19.0 | 41.1 | 0 | 0.88 | 41.0 | 2.67 |"), "{md}");
        assert!(md.contains("96, 204, 52 ms"), "{md}");
        assert!(md.contains("| webgpu | off | x1 | 57.4 | 57.2 | 768 | 44100 | 1.00x |"), "{md}");
        assert!(md.contains("| webgl2 | on | x1 | 26.4 | 26.4 | 1670 | 44100 | 1.00x |"), "{md}");
        assert!(md.contains("| webgl2 | on | x8 | 25.1 | 25.1 | 13360 | 44100 | 0.95x |"), "{md}");
        assert!(!md.contains("NaN"), "the app's rows stay out of the renderer's table: {md}");
    }

    const DOC: &str = "# Benchmarks\n\nHand-written.  \n\n## The latest `cargo xtask bench`\n\n<!-- bench:begin -->\nold tables\n| a | b |\n<!-- bench:end -->\n\nMore hand-written text, `<!-- bench:begin -->` quoted.\n";

    #[test]
    fn the_region_is_replaced_and_every_other_byte_kept() {
        let out = replace_region(DOC, "## new\n\n| x |\n").unwrap();
        let (before, rest) = DOC.split_once("old tables").unwrap();
        let after = &rest[rest.find("<!-- bench:end -->").unwrap()..];
        assert_eq!(out, format!("{before}## new\n\n| x |\n{after}"));
        assert!(out.starts_with("# Benchmarks\n\nHand-written.  \n\n"), "trailing spaces kept: {out:?}");
        assert!(!out.contains("old tables"));
        // The tables' own trailing newlines do not pile up: one newline before the end marker.
        assert_eq!(replace_region(DOC, "t\n\n\n").unwrap(), replace_region(DOC, "t").unwrap());
    }

    #[test]
    fn carriage_returns_and_indented_markers_are_kept_too() {
        let doc = "a\r\n  <!-- bench:begin -->\r\nold\r\n<!-- bench:end -->  \r\nz\r\n";
        assert_eq!(replace_region(doc, "new").unwrap(), "a\r\n  <!-- bench:begin -->\r\nnew\n<!-- bench:end -->  \r\nz\r\n");
    }

    #[test]
    fn markers_are_added_once_at_the_end_when_absent() {
        let doc = "# Benchmarks\n\nText, `<!-- bench:begin -->` and `<!-- bench:end -->` in a sentence.\n";
        let once = replace_region(doc, "first").unwrap();
        assert_eq!(once, format!("{doc}\n## The latest `cargo xtask bench`\n\n<!-- bench:begin -->\nfirst\n<!-- bench:end -->\n"));
        let twice = replace_region(&once, "second").unwrap();
        assert_eq!(twice, once.replace("first", "second"), "the second run replaces, it does not add");
        assert_eq!(twice.matches("\n<!-- bench:begin -->\n").count(), 1);
        assert_eq!(twice.matches("## The latest").count(), 1);
        // A document with no final newline, and an empty one.
        assert_eq!(replace_region("x", "t").unwrap(), "x\n\n## The latest `cargo xtask bench`\n\n<!-- bench:begin -->\nt\n<!-- bench:end -->\n");
        assert!(replace_region("", "t").unwrap().starts_with("## The latest"));
    }

    #[test]
    fn a_broken_region_is_refused_not_duplicated() {
        for doc in [
            "a\n<!-- bench:begin -->\nb\n",
            "a\n<!-- bench:end -->\nb\n",
            "<!-- bench:end -->\nb\n<!-- bench:begin -->\n",
            "<!-- bench:begin -->\n<!-- bench:end -->\n<!-- bench:begin -->\n<!-- bench:end -->\n",
        ] {
            assert!(replace_region(doc, "t").is_err(), "{doc:?}");
        }
        // An empty region is fine.
        assert_eq!(replace_region("<!-- bench:begin -->\n<!-- bench:end -->\n", "t").unwrap(), "<!-- bench:begin -->\nt\n<!-- bench:end -->\n");
    }

    #[test]
    fn the_tables_sit_one_heading_level_down_with_where_they_came_from() {
        assert_eq!(demote_headings("# t\n\nx # y\n## s\n| a |\n"), "## t\n\nx # y\n### s\n| a |\n");
        assert_eq!(
            provenance("2026-12-06", "`abc1234`", Some("148.0.1"), "Machine: X, 2 cores."),
            "Measured on 2026-12-06 (UTC) at commit `abc1234`, headless Chromium 148.0.1. Machine: X, 2 cores.\n"
        );
        assert!(!provenance("d", "c", None, "m").contains("Chromium"));
    }

    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_709_251_199), "2024-02-29");
        assert_eq!(utc_date(1_798_675_200), "2026-12-31");
        assert_eq!(utc_date(4_107_542_400), "2100-03-01");
    }
}
