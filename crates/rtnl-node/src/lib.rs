//! The napi binding of rtnl-core: option parsing, the ThreadsafeFunction
//! that carries batches to JS, and the mapping of core errors to JS errors.
//! Everything else lives in rtnl-core; the public API is the TypeScript in src/.
//!
//! Threads: every #[napi] function here runs on the JS thread that called it.
//! The monitor's reader thread only touches `BatchSink::deliver`, which queues
//! a call on the ThreadsafeFunction; the JS callback then runs on the JS thread.

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use serde::Deserialize;

use rtnl_core::monitor::{DEFAULT_MAX_QUEUED, DEFAULT_RCVBUF};
use rtnl_core::{dump, Config, Kind, Monitor, Netns, Shared, Sink};

/// Core errors cross into JS as an Error whose message is this prefix and the
/// error's JSON ({code, errno, syscall, path, message}); src/errors.ts turns
/// it back into an Error with those properties.
const ERROR_PREFIX: &str = "RTNL_ERROR:";

fn to_js_error(e: rtnl_core::Error) -> Error {
    let json = serde_json::to_string(&e).unwrap_or_else(|_| format!("{{\"code\":\"{}\",\"message\":\"\"}}", e.code));
    Error::new(Status::GenericFailure, format!("{ERROR_PREFIX}{json}"))
}

fn invalid(message: String) -> Error {
    to_js_error(rtnl_core::Error::other("ERR_INVALID_ARG_VALUE", message))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum NetnsOption {
    Host(String),
    Name { name: String },
    Path { path: String },
    Pid { pid: u32 },
}

fn parse_netns(value: Option<NetnsOption>) -> Result<Netns> {
    Ok(match value {
        None => Netns::Host,
        Some(NetnsOption::Host(s)) if s == "host" => Netns::Host,
        Some(NetnsOption::Host(s)) => return Err(invalid(format!("netns '{s}' is not 'host'"))),
        Some(NetnsOption::Name { name }) => Netns::Name(name),
        Some(NetnsOption::Path { path }) => Netns::Path(path),
        Some(NetnsOption::Pid { pid }) => Netns::Pid(pid),
    })
}

/// Options as validated by src/options.ts, serialised to JSON.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MonitorOptions {
    netns: Option<NetnsOption>,
    groups: Vec<u32>,
    rcvbuf: Option<usize>,
    max_queued: Option<usize>,
}

type BatchFn = ThreadsafeFunction<String, (), String, Status, false>;

/// Runs on the reader thread: queues one JS call per batch, never blocking.
struct BatchSink {
    tsfn: Arc<BatchFn>,
}

impl Sink for BatchSink {
    fn deliver(&mut self, json: String, _items: usize) -> bool {
        // The queue of this ThreadsafeFunction is unbounded; the bound is the
        // core's `queued` count, which the consumer acknowledges.
        let status = self.tsfn.call(json, ThreadsafeFunctionCallMode::NonBlocking);
        status == Status::Ok
    }
}

#[napi]
pub struct NativeMonitor {
    monitor: Option<Monitor>,
    shared: Arc<Shared>,
    tsfn: Option<Arc<BatchFn>>,
    port_id: u32,
}

/// Starts a monitor; returns once the socket is open and the groups joined.
/// `on_batch` receives each batch as a JSON array string.
#[napi]
pub fn open_monitor(options_json: String, on_batch: Function<String, ()>) -> Result<NativeMonitor> {
    let opts: MonitorOptions =
        serde_json::from_str(&options_json).map_err(|e| invalid(format!("monitor options: {e}")))?;
    let config = Config {
        netns: parse_netns(opts.netns)?,
        groups: opts.groups,
        rcvbuf: opts.rcvbuf.unwrap_or(DEFAULT_RCVBUF),
        max_queued: opts.max_queued.unwrap_or(DEFAULT_MAX_QUEUED),
    };
    let tsfn: Arc<BatchFn> = Arc::new(
        on_batch
            .build_threadsafe_function::<String>()
            .callee_handled::<false>()
            .build_callback(|ctx| Ok(ctx.value))?,
    );
    let shared = Arc::new(Shared::default());
    let sink = BatchSink { tsfn: tsfn.clone() };
    let monitor = Monitor::spawn(config, shared.clone(), sink).map_err(to_js_error)?;
    Ok(NativeMonitor {
        port_id: monitor.port_id(),
        monitor: Some(monitor),
        shared,
        tsfn: Some(tsfn),
    })
}

#[napi]
impl NativeMonitor {
    /// Stops the reader thread, closes the socket and releases the
    /// ThreadsafeFunction so the event loop may exit. Idempotent.
    #[napi]
    pub fn stop(&mut self) {
        if let Some(mut m) = self.monitor.take() {
            m.stop();
        }
        self.tsfn = None;
    }

    /// The consumer took `items` items off its queue.
    #[napi]
    pub fn ack(&self, items: u32) {
        self.shared.ack(items as usize);
    }

    #[napi]
    pub fn stats(&self) -> Result<String> {
        let snapshot = match &self.monitor {
            Some(m) => m.stats(),
            None => return Ok(String::new()),
        };
        serde_json::to_string(&snapshot).map_err(|e| Error::from_reason(e.to_string()))
    }

    #[napi(getter)]
    pub fn port_id(&self) -> u32 {
        self.port_id
    }

    /// Lets the event loop exit while this monitor runs (false) or not (true).
    #[napi]
    pub fn set_ref(&mut self, env: Env, keep_alive: bool) -> Result<()> {
        if let Some(tsfn) = &self.tsfn {
            let raw = tsfn.raw();
            // SAFETY: called on the JS thread that owns the ThreadsafeFunction.
            let status = unsafe {
                if keep_alive {
                    napi::sys::napi_ref_threadsafe_function(env.raw(), raw)
                } else {
                    napi::sys::napi_unref_threadsafe_function(env.raw(), raw)
                }
            };
            if status != napi::sys::Status::napi_ok {
                return Err(Error::from_reason("napi_(un)ref_threadsafe_function failed"));
            }
        }
        Ok(())
    }
}

/// Dumps one kind on a dedicated thread (see rtnl_core::dump) and resolves
/// with a JSON array of resources, encoded on that thread.
#[napi]
pub async fn list(kind: String, netns_json: String) -> Result<String> {
    let kind = Kind::from_name(&kind).ok_or_else(|| invalid(format!("unknown kind '{kind}'")))?;
    let netns_opt: Option<NetnsOption> =
        serde_json::from_str(&netns_json).map_err(|e| invalid(format!("netns: {e}")))?;
    let netns = parse_netns(netns_opt)?;
    let (tx, rx) = tokio::sync::oneshot::channel();
    dump::spawn(kind, netns, move |result| {
        let encoded = result.and_then(|resources| {
            serde_json::to_string(&resources)
                .map_err(|e| rtnl_core::Error::other("ERR_RTNL_INTERNAL", e.to_string()))
        });
        let _ = tx.send(encoded);
    })
    .map_err(to_js_error)?;
    match rx.await {
        Ok(result) => result.map_err(to_js_error),
        Err(_) => Err(to_js_error(rtnl_core::Error::other(
            "ERR_RTNL_INTERNAL",
            "the dump thread ended without a result",
        ))),
    }
}
