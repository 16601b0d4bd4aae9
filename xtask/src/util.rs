//! Small helpers shared by the tasks: the repository root, running commands, finding programs,
//! reading options.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (the folder holding the workspace `Cargo.toml`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one folder below the root")
        .to_path_buf()
}

/// Runs `cmd`, echoing it first; an error names the command and its exit status.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    eprintln!("xtask: $ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

/// Runs `cmd` quietly and returns its trimmed stdout when it succeeds.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The command line of `cmd`, for messages.
pub fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Finds `name` on `PATH` (or in `$CARGO_HOME/bin`, where `cargo install` puts programs).
pub fn which(name: impl AsRef<OsStr>) -> Option<PathBuf> {
    let name = name.as_ref();
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    dirs.push(cargo_home().join("bin"));
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// `$CARGO_HOME`, or `~/.cargo`.
pub fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| home().join(".cargo"))
}

/// The user's home folder.
pub fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/root"))
}

/// The cargo that runs this xtask (the stable toolchain), for native builds and `cargo install`.
pub fn host_cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Options of one task: flags (`--no-watch`) and valued options (`--port 8080`).
pub struct Options {
    args: Vec<String>,
}

impl Options {
    /// Reads `args`, refusing any option not in `flags` or `valued`.
    pub fn parse(args: &[String], flags: &[&str], valued: &[&str]) -> Result<Self, String> {
        let mut i = 0;
        while i < args.len() {
            let a = args[i].as_str();
            if valued.contains(&a) {
                if i + 1 >= args.len() {
                    return Err(format!("option {a} needs a value"));
                }
                i += 2;
            } else if flags.contains(&a) {
                i += 1;
            } else {
                return Err(format!("unknown option `{a}` (see `cargo xtask help`)"));
            }
        }
        Ok(Options {
            args: args.to_vec(),
        })
    }

    /// Whether the flag `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.args.iter().any(|a| a == name)
    }

    /// The value given after `name`, if any.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .position(|a| a == name)
            .and_then(|i| self.args.get(i + 1))
            .map(String::as_str)
    }
}

/// Whether this process runs as root (so `apt-get install` can work).
pub fn is_root() -> bool {
    output(Command::new("id").arg("-u")).as_deref() == Some("0")
}
