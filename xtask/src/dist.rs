//! `cargo xtask dist`: a release in `target/dist/`, from the optimised wasm package.
//!
//! - `site/`: the app for any static host. The page (`index.html`) and the service worker stay
//!   at the top; everything they load sits in one folder named by the version and a hash of its
//!   contents (`v0.2.0-1a2b3c4d/`), so a release never mixes with a cached older one and those
//!   files may be cached for good. `_headers` (Netlify, Cloudflare Pages) sends the isolation
//!   and cache headers; where a host sends none, `register.js` and `sw.js` (from
//!   `www/static-host/`) add the isolation headers and keep the app for offline use.
//! - `npm/` and its tarball `vectorscope-<version>.tgz` (by `npm pack`): the element, the wasm
//!   package and the worklets as one ES-module package. The shared-ring worklet is bundled with
//!   its wasm glue by esbuild, because a bundler copies a worklet as a plain file and a worklet
//!   cannot import anything at run time.
//!
//! The version is the crate's (`Cargo.toml`); the package, the page's footer and the wasm's
//! `version()` all show it.

use crate::build::{self, pkg_dir, Profile};
use crate::setup::{self, BuildTools};
use crate::util::{root, run, Options};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Where the release lands.
pub fn dist_dir() -> PathBuf {
    root().join("target/dist")
}

/// What [`make`] built.
pub struct Release {
    /// The crate's version.
    pub version: String,
    /// The versioned folder's name inside `site/` (`v<version>-<hash>`).
    pub folder: String,
    /// The npm tarball.
    pub tarball: PathBuf,
}

/// `cargo xtask dist`.
pub fn main(args: &[String]) -> Result<(), String> {
    Options::parse(args, &[], &[])?;
    let start = Instant::now();
    let tools = setup::build_tools()?;
    build::wasm(
        &tools,
        Profile {
            release: true,
            wasm_opt: true,
        },
    )?;
    let release = make(&tools)?;
    report(&release);
    println!(
        "dist took {:.1} s (wasm build included)",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The app's files from `www/` that go into the versioned folder (the page itself is
/// rewritten into the top).
const APP_FILES: &[&str] = &["app.js", "share.js", "style.css", "favicon.svg"];
/// The wasm package's files a page loads.
const PKG_FILES: &[&str] = &["vectorscope.js", "vectorscope_bg.wasm"];
/// The worklet modules.
const WORKLET_FILES: &[&str] = &["processor.js", "port-processor.js"];

/// Builds `site/` and `npm/` (and packs the tarball) from the package in `target/pkg`.
pub fn make(tools: &BuildTools) -> Result<Release, String> {
    let t = Instant::now();
    let version = crate_version(&read(&root().join("Cargo.toml"))?)?;
    let dist = dist_dir();
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    }
    let folder = site(&dist.join("site"), &version)?;
    let tarball = npm(&dist.join("npm"), &version, tools)?;
    eprintln!(
        "xtask: release {version} in {} ({:.1} s)",
        dist.display(),
        t.elapsed().as_secs_f64()
    );
    Ok(Release {
        version,
        folder,
        tarball,
    })
}

/// The app for a static host, in `site`; returns the versioned folder's name.
fn site(site: &Path, version: &str) -> Result<String, String> {
    let www = root().join("www");
    let staging = site.join("release");
    let mut files: Vec<(PathBuf, PathBuf)> = Vec::new();
    for f in APP_FILES {
        files.push((www.join(f), PathBuf::from(f)));
    }
    files.push((
        www.join("static-host/register.js"),
        PathBuf::from("register.js"),
    ));
    for f in element_files(false)? {
        let name = f.file_name().unwrap().to_owned();
        files.push((f, Path::new("element").join(name)));
    }
    for f in PKG_FILES {
        files.push((pkg_dir().join(f), Path::new("pkg").join(f)));
    }
    for f in WORKLET_FILES {
        files.push((root().join("worklet").join(f), Path::new("worklet").join(f)));
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    let mut hash = Sha256::new();
    for (from, to) in &files {
        copy(from, &staging.join(to))?;
        hash.update(to.to_string_lossy().as_bytes());
        hash.update(std::fs::read(from).map_err(|e| format!("{}: {e}", from.display()))?);
    }
    let digest = hash.finalize();
    let folder = format!(
        "v{version}-{}",
        digest[..4]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    std::fs::rename(&staging, site.join(&folder))
        .map_err(|e| format!("{}: {e}", site.display()))?;

    let page = rewrite_page(&read(&www.join("index.html"))?, &folder, APP_FILES)?;
    write(&site.join("index.html"), &page)?;
    let mut cached = vec![
        "./".to_string(),
        "index.html".to_string(),
        "manifest.webmanifest".to_string(),
    ];
    cached.extend(
        files
            .iter()
            .map(|(_, to)| format!("{folder}/{}", to.to_string_lossy())),
    );
    let host = www.join("static-host");
    let fill = |text: String| text.replace("__RELEASE__", &folder);
    write(
        &site.join("sw.js"),
        &fill(read(&host.join("sw.js"))?).replace("__FILES__", &json_array(&cached)),
    )?;
    write(
        &site.join("manifest.webmanifest"),
        &fill(read(&host.join("manifest.webmanifest"))?),
    )?;
    write(&site.join("_headers"), &fill(read(&host.join("_headers"))?))?;
    Ok(folder)
}

/// The element's modules (and, for the package, its TypeScript declarations), sorted.
fn element_files(with_types: bool) -> Result<Vec<PathBuf>, String> {
    let dir = root().join("www/element");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".js") || (with_types && name.ends_with(".d.ts"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The npm package in `dir`, packed beside it; returns the tarball's path.
fn npm(dir: &Path, version: &str, tools: &BuildTools) -> Result<PathBuf, String> {
    for f in element_files(true)? {
        let name = f.file_name().unwrap().to_owned();
        copy(&f, &dir.join("element").join(name))?;
    }
    for f in PKG_FILES.iter().chain(&["vectorscope.d.ts"]) {
        copy(&pkg_dir().join(f), &dir.join("pkg").join(f))?;
    }
    for f in WORKLET_FILES {
        copy(
            &root().join("worklet").join(f),
            &dir.join("worklet").join(f),
        )?;
    }
    // The shared-ring worklet imports the glue; bundled, it is one self-contained file.
    let processor = dir.join("worklet/processor.js");
    run(Command::new(&tools.esbuild)
        .arg(&processor)
        .args([
            "--bundle",
            "--format=esm",
            "--log-level=warning",
            "--allow-overwrite",
        ])
        .arg(format!("--outfile={}", processor.display())))?;
    copy(
        &root().join("www/element/README.md"),
        &dir.join("README.md"),
    )?;
    copy(
        &root().join("docs/element.md"),
        &dir.join("docs/element.md"),
    )?;
    for f in ["CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"] {
        copy(&root().join(f), &dir.join(f))?;
    }
    let manifest = read(&root().join("Cargo.toml"))?;
    let description = package_field(&manifest, "description")?;
    let license = package_field(&manifest, "license")?;
    write(
        &dir.join("package.json"),
        &package_json(version, &description, &license),
    )?;
    run(Command::new("npm")
        .args(["pack", "--silent", "--pack-destination", ".."])
        .current_dir(dir))?;
    let tarball = dir
        .parent()
        .unwrap()
        .join(format!("vectorscope-{version}.tgz"));
    if !tarball.is_file() {
        return Err(format!("npm pack did not write {}", tarball.display()));
    }
    Ok(tarball)
}

/// The package's manifest: an ES module package whose main entry defines `<vector-scope>`.
pub fn package_json(version: &str, description: &str, license: &str) -> String {
    format!(
        r#"{{
  "name": "vectorscope",
  "version": {version},
  "description": {description},
  "license": {license},
  "type": "module",
  "main": "./element/vector-scope.js",
  "types": "./element/vector-scope.d.ts",
  "exports": {{
    ".": {{
      "types": "./element/vector-scope.d.ts",
      "default": "./element/vector-scope.js"
    }},
    "./errors": "./element/errors.js",
    "./package.json": "./package.json"
  }},
  "files": ["element/", "pkg/", "worklet/", "docs/", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"],
  "sideEffects": ["./element/vector-scope.js"],
  "keywords": ["vectorscope", "goniometer", "oscilloscope", "audio", "web-component", "webassembly", "webgpu", "audioworklet", "loudness"]
}}
"#,
        version = json_string(version),
        description = json_string(description),
        license = json_string(license),
    )
}

/// `index.html` with every `src="…"`/`href="…"` that names one of `files` pointed into
/// `folder`, the manifest linked and the service worker's installer loaded first. Fails when
/// a file is not referenced, so a renamed reference cannot ship a page that loads nothing.
pub fn rewrite_page(html: &str, folder: &str, files: &[&str]) -> Result<String, String> {
    let mut page = html.to_string();
    for f in files {
        for attr in ["src", "href"] {
            page = page.replace(
                &format!("{attr}=\"{f}\""),
                &format!("{attr}=\"{folder}/{f}\""),
            );
        }
    }
    for f in ["app.js", "style.css"] {
        if !page.contains(&format!("\"{folder}/{f}\"")) {
            return Err(format!(
                "www/index.html does not load {f} by a relative src/href"
            ));
        }
    }
    let head = format!(
        "  <link rel=\"manifest\" href=\"manifest.webmanifest\">\n  <meta name=\"theme-color\" content=\"#07090b\">\n  <script src=\"{folder}/register.js\"></script>\n</head>"
    );
    if !page.contains("</head>") {
        return Err("www/index.html has no </head>".into());
    }
    Ok(page.replacen("</head>", &head, 1))
}

/// The `[package]` version of a `Cargo.toml`.
pub fn crate_version(manifest: &str) -> Result<String, String> {
    package_field(manifest, "version")
}

/// A string field of a `Cargo.toml`'s `[package]` table (`name = "value"` on one line).
pub fn package_field(manifest: &str, name: &str) -> Result<String, String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            if key.trim() == name {
                let value = value.trim();
                if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                    return Ok(inner.to_string());
                }
            }
        }
    }
    Err(format!("Cargo.toml has no [package] {name} = \"…\""))
}

/// `s` as a JSON string literal.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `items` as a JSON array of strings.
fn json_array(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| json_string(s)).collect();
    format!("[{}]", inner.join(", "))
}

/// Prints the release's sizes: the tarball, and what a first visit to the site downloads.
pub fn report(release: &Release) {
    let site = dist_dir().join("site");
    let mut files = vec![
        site.join("index.html"),
        site.join("sw.js"),
        site.join("manifest.webmanifest"),
    ];
    files.extend(walk(&site.join(&release.folder)));
    let (mut raw, mut gz) = (0, 0);
    for f in &files {
        if let Some((r, g)) = build::sizes(f) {
            raw += r;
            gz += g;
        }
    }
    let tarball = std::fs::metadata(&release.tarball)
        .map(|m| m.len())
        .unwrap_or(0);
    println!("release {} ({})", release.version, release.folder);
    println!("site payload (a first visit, every file): {raw} B raw, {gz} B gzipped");
    println!("npm tarball {}: {tarball} B", release.tarball.display());
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_loads_its_files_from_the_release_folder() {
        let html = "<head>\n  <link rel=\"icon\" href=\"favicon.svg\">\n  <link rel=\"stylesheet\" href=\"style.css\">\n  <script type=\"module\" src=\"app.js\"></script>\n</head><a href=\"#x\">x</a>";
        let page = rewrite_page(html, "v1.2.3-abcd", APP_FILES).unwrap();
        assert!(page.contains("href=\"v1.2.3-abcd/favicon.svg\""));
        assert!(page.contains("href=\"v1.2.3-abcd/style.css\""));
        assert!(page.contains("src=\"v1.2.3-abcd/app.js\""));
        assert!(page.contains("<script src=\"v1.2.3-abcd/register.js\"></script>\n</head>"));
        assert!(page.contains("href=\"#x\""), "other links are left alone");
        // The installer runs before the app's module (a classic script in the head).
        assert!(page.find("register.js").unwrap() > page.find("app.js").unwrap());
    }

    #[test]
    fn a_page_that_does_not_load_the_app_is_refused() {
        let err = rewrite_page(
            "<head><link rel=\"stylesheet\" href=\"style.css\"></head>",
            "v1",
            APP_FILES,
        )
        .unwrap_err();
        assert!(err.contains("app.js"), "{err}");
    }

    #[test]
    fn the_version_comes_from_the_package_table() {
        let toml = "[package]\nname = \"vectorscope\"\nversion = \"0.2.0\"\n\n[dependencies]\nversion = \"9\"\n";
        assert_eq!(crate_version(toml).unwrap(), "0.2.0");
        assert!(crate_version("[dependencies]\nversion = \"1\"\n").is_err());
    }

    #[test]
    fn the_package_json_is_valid_json_with_the_fields_bundlers_read() {
        let json = package_json("0.2.0", "A \"scope\"", "MIT OR Apache-2.0");
        assert!(json.contains("\"version\": \"0.2.0\""));
        assert!(json.contains("\"description\": \"A \\\"scope\\\"\""));
        for field in [
            "\"type\": \"module\"",
            "\"exports\"",
            "\"types\"",
            "\"files\"",
            "\"sideEffects\"",
            "\"license\"",
        ] {
            assert!(json.contains(field), "{field}");
        }
        assert_eq!(json.matches('{').count(), json.matches('}').count());
    }

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
    }

    #[test]
    fn the_crate_version_is_the_one_in_cargo_toml() {
        let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
        let version = crate_version(&manifest).unwrap();
        assert!(
            version.split('.').count() == 3 && version.split('.').all(|p| p.parse::<u32>().is_ok()),
            "{version}"
        );
    }
}
