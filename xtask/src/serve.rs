//! The dev server: `www/` at `/`, the built package at `/pkg/`, `worklet/` at `/worklet/`.
//!
//! Every response carries the cross-origin isolation headers (COOP `same-origin`, COEP
//! `require-corp`, CORP `same-origin`) that give the page `SharedArrayBuffer`, plus
//! `Cache-Control: no-store`. Paths are resolved by [`crate::paths::resolve`], which refuses
//! traversal. With watching on, a change under `src/` rebuilds the package and a change anywhere
//! reloads open pages through a small injected script and a server-sent event stream.

use crate::build::{self, pkg_dir, Profile};
use crate::paths::{content_type, resolve, Mount, Resolved};
use crate::setup;
use crate::util::{root, Options};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// What the server tells open pages.
#[derive(Clone, Debug)]
pub enum DevEvent {
    /// A rebuild started.
    Building,
    /// Something changed and was rebuilt: reload.
    Reload,
    /// The rebuild failed; the page shows this text until the next one.
    BuildFailed(String),
}

/// How to serve.
pub struct ServerConfig {
    /// Address to bind.
    pub addr: SocketAddr,
    /// The folders served.
    pub mounts: Vec<Mount>,
    /// Inject the live-reload script into HTML pages.
    pub live_reload: bool,
}

impl ServerConfig {
    /// The project's folders at `addr`.
    pub fn project(addr: SocketAddr, live_reload: bool) -> Self {
        ServerConfig {
            addr,
            mounts: vec![
                Mount::new("", root().join("www")),
                Mount::new("pkg", pkg_dir()),
                Mount::new("worklet", root().join("worklet")),
            ],
            live_reload,
        }
    }
}

struct AppState {
    mounts: Vec<Mount>,
    live_reload: bool,
    events: broadcast::Sender<DevEvent>,
}

/// A server running on its own thread.
pub struct RunningServer {
    /// The bound address (the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// Sends events to open pages.
    pub events: broadcast::Sender<DevEvent>,
}

/// Binds and starts serving on a background thread; returns once the socket is bound.
pub fn spawn(config: ServerConfig) -> Result<RunningServer, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("tokio runtime: {e}"))?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind(config.addr)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            format!("{} is in use: pick another with --port N", config.addr)
        } else {
            format!("cannot listen on {}: {e}", config.addr)
        }
    })?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let (events, _) = broadcast::channel(16);
    let state = Arc::new(AppState {
        mounts: config.mounts,
        live_reload: config.live_reload,
        events: events.clone(),
    });
    let app = Router::new()
        .route("/__dev/events", get(dev_events))
        .route("/__dev/reload.js", get(reload_script))
        .fallback(static_file)
        .layer(axum::middleware::map_response(isolation_headers))
        .with_state(state);
    std::thread::spawn(move || {
        runtime.block_on(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("xtask: server stopped: {e}");
            }
        })
    });
    Ok(RunningServer { addr, events })
}

/// `cargo xtask serve`.
pub fn main(args: &[String]) -> Result<(), String> {
    let o = Options::parse(args, &["--no-watch", "--dev"], &["--port", "--host"])?;
    let port: u16 = match o.value("--port") {
        Some(p) => p.parse().map_err(|_| format!("--port {p}: not a port number (0-65535)"))?,
        None => 8080,
    };
    let host: IpAddr = match o.value("--host") {
        Some(h) => h.parse().map_err(|_| format!("--host {h}: not an IP address"))?,
        None => IpAddr::from([127, 0, 0, 1]),
    };
    if !host.is_loopback() {
        eprintln!("xtask: warning: serving on {host}, reachable from other machines");
    }
    let watch = !o.flag("--no-watch");
    let profile = Profile {
        release: !o.flag("--dev"),
        wasm_opt: false,
    };
    let tools = setup::build_tools()?;
    build::wasm(&tools, profile)?;
    let server = spawn(ServerConfig::project(SocketAddr::new(host, port), watch))?;
    println!(
        "vectorscope: serving http://{} (cross-origin isolated){}; Ctrl-C stops",
        server.addr,
        if watch { ", rebuilding on change" } else { "" }
    );
    if !watch {
        loop {
            std::thread::park();
        }
    }
    let mut sources = fingerprint(&source_paths());
    let mut statics = fingerprint(&static_paths());
    loop {
        std::thread::sleep(Duration::from_millis(400));
        let (s, st) = (fingerprint(&source_paths()), fingerprint(&static_paths()));
        if s != sources {
            let _ = server.events.send(DevEvent::Building);
            match build::wasm(&tools, profile) {
                Ok(_) => {
                    let _ = server.events.send(DevEvent::Reload);
                }
                Err(e) => {
                    eprintln!("xtask: rebuild failed: {e}");
                    let _ = server.events.send(DevEvent::BuildFailed(format!(
                        "{e}\n(the terminal running `cargo xtask serve` has the compiler's output)"
                    )));
                }
            }
            // Files written during the build must not trigger another one.
            sources = fingerprint(&source_paths());
        } else if st != statics {
            statics = st;
            let _ = server.events.send(DevEvent::Reload);
        }
    }
}

fn source_paths() -> Vec<PathBuf> {
    ["src", "Cargo.toml", "Cargo.lock"].iter().map(|p| root().join(p)).collect()
}

fn static_paths() -> Vec<PathBuf> {
    ["www", "worklet"].iter().map(|p| root().join(p)).collect()
}

/// A cheap summary of the names, sizes and modification times of every file under `paths`.
fn fingerprint(paths: &[PathBuf]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&p) else { continue };
        if meta.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&p) {
                let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
                entries.sort();
                stack.extend(entries);
            }
        } else {
            p.hash(&mut h);
            meta.len().hash(&mut h);
            meta.modified().ok().hash(&mut h);
        }
    }
    h.finish()
}

async fn isolation_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-embedder-policy", HeaderValue::from_static("require-corp"));
    h.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    res
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

async fn static_file(State(st): State<Arc<AppState>>, req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
    }
    let path = match resolve(&st.mounts, req.uri().path()) {
        Resolved::File(p) => p,
        Resolved::NotFound => return plain(StatusCode::NOT_FOUND, "not found\n"),
        Resolved::Refused(_) => return plain(StatusCode::FORBIDDEN, "refused: path outside the served folders\n"),
    };
    let Ok(bytes) = tokio::fs::read(&path).await else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    let ctype = content_type(&path);
    let body = if st.live_reload && ctype.starts_with("text/html") {
        Body::from(inject_reload(bytes))
    } else {
        Body::from(bytes)
    };
    ([(header::CONTENT_TYPE, ctype)], body).into_response()
}

const RELOAD_TAG: &str = "<script type=\"module\" src=\"/__dev/reload.js\"></script>\n";

fn inject_reload(html: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{RELOAD_TAG}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{RELOAD_TAG}").into_bytes(),
    }
}

async fn reload_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("reload.js"),
    )
        .into_response()
}

async fn dev_events(
    State(st): State<Arc<AppState>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let rx = st.events.subscribe();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(ev) => {
                    let event = match ev {
                        DevEvent::Building => Event::default().event("building").data(""),
                        DevEvent::Reload => Event::default().event("reload").data(""),
                        DevEvent::BuildFailed(msg) => Event::default().event("build-failed").data(msg),
                    };
                    return Some((Ok(event), rx));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}
