//! Maps a request path to a file under one of the served folders, refusing anything that could
//! leave them: `..` in any spelling, encoded separators, absolute or drive paths, dotfiles, NUL,
//! and symlinks that point outside their folder.

use percent_encoding::percent_decode_str;
use std::path::{Path, PathBuf};

/// One served folder: requests under `/{prefix}/` (or everything else, for the empty prefix)
/// read from `root`.
#[derive(Clone, Debug)]
pub struct Mount {
    /// First path segment that selects this folder; "" for the site root.
    pub prefix: &'static str,
    /// The folder, canonicalised.
    pub root: PathBuf,
}

impl Mount {
    /// A mount of `root` at `/{prefix}/`; `root` need not exist yet (the package is built later).
    pub fn new(prefix: &'static str, root: PathBuf) -> Self {
        Mount { prefix, root }
    }
}

/// What a request path resolves to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A regular file inside a served folder.
    File(PathBuf),
    /// A well-formed path to nothing.
    NotFound,
    /// A path that tries to leave the served folders, or cannot be read safely; the reason.
    Refused(&'static str),
}

/// Resolves the raw (still percent-encoded) request path against `mounts`.
pub fn resolve(mounts: &[Mount], raw: &str) -> Resolved {
    let Some(rest) = raw.strip_prefix('/') else {
        return Resolved::Refused("path must start with /");
    };
    let lower = rest.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || rest.contains('\\') {
        return Resolved::Refused("encoded or backslash separator");
    }
    let Ok(decoded) = percent_decode_str(rest).decode_utf8() else {
        return Resolved::Refused("path is not UTF-8");
    };
    if decoded.contains('\0') {
        return Resolved::Refused("NUL in path");
    }
    let mut segments: Vec<&str> = decoded.split('/').collect();
    let wants_index = segments.last() == Some(&"");
    if wants_index {
        segments.pop();
    }
    for seg in &segments {
        if seg.is_empty() {
            return Resolved::Refused("empty segment (absolute path)");
        }
        if seg.starts_with('.') {
            return Resolved::Refused("dot segment or hidden file");
        }
        if seg.contains(':') {
            return Resolved::Refused("drive or scheme in path");
        }
    }
    let (mount, segments) = match mounts
        .iter()
        .find(|m| !m.prefix.is_empty() && segments.first() == Some(&m.prefix))
    {
        Some(m) => (m, &segments[1..]),
        None => match mounts.iter().find(|m| m.prefix.is_empty()) {
            Some(m) => (m, &segments[..]),
            None => return Resolved::NotFound,
        },
    };
    let mut path = mount.root.clone();
    path.extend(segments);
    let Ok(root) = mount.root.canonicalize() else {
        return Resolved::NotFound;
    };
    let Ok(mut real) = path.canonicalize() else {
        return Resolved::NotFound;
    };
    if real.is_dir() {
        real = match real.join("index.html").canonicalize() {
            Ok(p) => p,
            Err(_) => return Resolved::NotFound,
        };
    }
    if !real.starts_with(&root) {
        return Resolved::Refused("symlink leaves the served folder");
    }
    if real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

/// The `Content-Type` for a file, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "wgsl" => "text/wgsl; charset=utf-8",
        "json" | "map" => "application/json",
        "ts" => "application/typescript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "wav" => "audio/wav",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Site {
        _dir: tempfile::TempDir,
        outside: PathBuf,
        mounts: Vec<Mount>,
    }

    fn site() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let www = dir.path().join("www");
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(www.join("sub")).unwrap();
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(www.join("index.html"), "<p>home</p>").unwrap();
        std::fs::write(www.join("app.js"), "//").unwrap();
        std::fs::write(www.join("sub/index.html"), "<p>sub</p>").unwrap();
        std::fs::write(www.join(".env"), "SECRET").unwrap();
        std::fs::write(pkg.join("m.wasm"), "\0asm").unwrap();
        let outside = dir.path().join("secret.txt");
        std::fs::write(&outside, "SECRET").unwrap();
        std::os::unix::fs::symlink(&outside, www.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), www.join("up")).unwrap();
        std::os::unix::fs::symlink(www.join("app.js"), www.join("alias.js")).unwrap();
        Site {
            outside,
            mounts: vec![Mount::new("", www), Mount::new("pkg", pkg)],
            _dir: dir,
        }
    }

    fn file_name(r: Resolved) -> String {
        match r {
            Resolved::File(p) => p.file_name().unwrap().to_string_lossy().into_owned(),
            other => panic!("expected a file, got {other:?}"),
        }
    }

    #[test]
    fn serves_files_and_indexes() {
        let s = site();
        assert_eq!(file_name(resolve(&s.mounts, "/")), "index.html");
        assert_eq!(file_name(resolve(&s.mounts, "/app.js")), "app.js");
        assert_eq!(file_name(resolve(&s.mounts, "/sub/")), "index.html");
        assert_eq!(file_name(resolve(&s.mounts, "/sub")), "index.html");
        assert_eq!(file_name(resolve(&s.mounts, "/pkg/m.wasm")), "m.wasm");
        assert_eq!(file_name(resolve(&s.mounts, "/%61pp.js")), "app.js");
        // A symlink that stays inside its folder is fine.
        assert_eq!(file_name(resolve(&s.mounts, "/alias.js")), "app.js");
        assert_eq!(resolve(&s.mounts, "/nope.js"), Resolved::NotFound);
        assert_eq!(resolve(&s.mounts, "/pkg/nope"), Resolved::NotFound);
    }

    #[test]
    fn refuses_every_traversal_spelling() {
        let s = site();
        for raw in [
            "/../secret.txt",
            "/..",
            "/sub/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/.%2e/secret.txt",
            "/..%2fsecret.txt",
            "/..%2Fsecret.txt",
            "/%2e%2e%2fsecret.txt",
            "/..%5csecret.txt",
            "/..\\secret.txt",
            "/pkg/../../secret.txt",
            "//etc/passwd",
            "/pkg//m.wasm",
            "/C:/Windows/win.ini",
            "/.env",
            "/%2eenv",
            "/app.js%00.html",
            "/%ff%fe",
            "relative.txt",
        ] {
            match resolve(&s.mounts, raw) {
                Resolved::Refused(_) => {}
                other => panic!("{raw} was not refused: {other:?}"),
            }
        }
    }

    #[test]
    fn refuses_symlinks_that_leave_the_root() {
        let s = site();
        assert!(s.outside.is_file());
        assert_eq!(
            resolve(&s.mounts, "/leak.txt"),
            Resolved::Refused("symlink leaves the served folder")
        );
        assert_eq!(
            resolve(&s.mounts, "/up/secret.txt"),
            Resolved::Refused("symlink leaves the served folder")
        );
    }

    #[test]
    fn content_types() {
        for (name, want) in [
            ("a.wasm", "application/wasm"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.mjs", "text/javascript; charset=utf-8"),
            ("a.html", "text/html; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("a.wgsl", "text/wgsl; charset=utf-8"),
            ("a.bin", "application/octet-stream"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(name)), want, "{name}");
        }
    }
}
