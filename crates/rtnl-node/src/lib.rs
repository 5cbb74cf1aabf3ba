//! The napi binding of rtnl-core: option parsing, the ThreadsafeFunction
//! that carries batches to JS, and the mapping of core errors to JS errors.
//! Everything else lives in rtnl-core; the public API is the TypeScript in src/.
//!
//! Panics: every entry point is #[napi(catch_unwind)], so a bug here or in
//! the core becomes a JS exception, never an abort; the reader thread
//! catches its own (rtnl_core::monitor).
//!
//! Threads: every #[napi] function here runs on the JS thread that called it.
//! The monitor's reader thread only touches `BatchSink::deliver`, which queues
//! a call on the ThreadsafeFunction; the JS callback then runs on the JS thread.

use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use serde::Deserialize;

use rtnl_core::monitor::{DEFAULT_MAX_DATAGRAM, DEFAULT_MAX_QUEUED, DEFAULT_RCVBUF};
use rtnl_core::{dump, Config, Kind, Monitor, Netns, Shared, Sink};

/// Core errors cross into JS as an Error whose message is this prefix and the
/// error's JSON ({code, errno, syscall, path, message}); src/errors.ts turns
/// it back into an Error with those properties.
const ERROR_PREFIX: &str = "RTNL_ERROR:";

fn to_js_error(e: rtnl_core::Error) -> Error {
    let json = serde_json::to_string(&e)
        .unwrap_or_else(|_| format!("{{\"code\":\"{}\",\"message\":\"\"}}", e.code));
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
    max_datagram: Option<usize>,
    all_nsid: Option<bool>,
    filter: Option<FilterOption>,
    af_details: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct FilterOption {
    #[serde(default)]
    ifindex: Vec<u32>,
    family: Option<u8>,
    #[serde(default)]
    table: Vec<u32>,
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
        let status = self
            .tsfn
            .call(json, ThreadsafeFunctionCallMode::NonBlocking);
        status == Status::Ok
    }

    /// The ThreadsafeFunction's callback calls Shared::batch_taken.
    fn reports_taken(&self) -> bool {
        true
    }
}

/// The monitor, reachable from both `stop()` and the environment's cleanup
/// hook (a worker thread that is terminated never calls stop()).
type SharedMonitor = Arc<Mutex<Option<Monitor>>>;

fn stop_shared(monitor: &SharedMonitor) {
    let taken = match monitor.lock() {
        Ok(mut guard) => guard.take(),
        Err(poisoned) => poisoned.into_inner().take(),
    };
    if let Some(mut m) = taken {
        m.stop();
    }
}

#[napi]
pub struct NativeMonitor {
    monitor: SharedMonitor,
    shared: Arc<Shared>,
    tsfn: Option<Arc<BatchFn>>,
    /// Stops the reader before this JS environment (a worker) goes away.
    cleanup: Option<napi::CleanupEnvHook<SharedMonitor>>,
}

/// Starts a monitor and returns at once: the reader thread enters the
/// namespace, opens the socket and joins the groups, then calls `on_ready`
/// (on the JS thread) with `P<port id>`, or `E<error JSON>` after which the
/// thread has exited and the caller calls `stop()`. The JS thread never
/// waits on a namespace file. `on_batch` receives each batch as a JSON array.
#[napi(catch_unwind)]
pub fn open_monitor(
    env: Env,
    options_json: String,
    on_batch: Function<String, ()>,
    on_ready: Function<String, ()>,
) -> Result<NativeMonitor> {
    let opts: MonitorOptions = serde_json::from_str(&options_json)
        .map_err(|e| invalid(format!("monitor options: {e}")))?;
    let config = Config {
        netns: parse_netns(opts.netns)?,
        groups: opts.groups,
        rcvbuf: opts.rcvbuf.unwrap_or(DEFAULT_RCVBUF),
        max_queued: opts.max_queued.unwrap_or(DEFAULT_MAX_QUEUED),
        max_datagram: opts.max_datagram.unwrap_or(DEFAULT_MAX_DATAGRAM),
        all_nsid: opts.all_nsid.unwrap_or(false),
        filter: {
            let f = opts.filter.unwrap_or_default();
            rtnl_core::filter::EventFilter {
                ifindex: f.ifindex,
                family: f.family,
                table: f.table,
            }
        },
        decode: decode_options(opts.af_details),
    };
    let shared = Arc::new(Shared::default());
    let taken = shared.clone();
    // The callback runs on the JS thread as each queued batch is dispatched.
    let tsfn: Arc<BatchFn> = Arc::new(
        on_batch
            .build_threadsafe_function::<String>()
            .callee_handled::<false>()
            .build_callback(move |ctx| {
                taken.batch_taken();
                Ok(ctx.value)
            })?,
    );
    let sink = BatchSink { tsfn: tsfn.clone() };
    // Called once, on the reader thread; released with the closure.
    let ready_tsfn: ThreadsafeFunction<String, (), String, Status, false> = on_ready
        .build_threadsafe_function::<String>()
        .callee_handled::<false>()
        .build_callback(|ctx| Ok(ctx.value))?;
    let monitor = Monitor::start(config, shared.clone(), sink, move |result| {
        let message = match result {
            Ok(port) => format!("P{port}"),
            Err(e) => format!("E{}", serde_json::to_string(&e).unwrap_or_default()),
        };
        ready_tsfn.call(message, ThreadsafeFunctionCallMode::NonBlocking);
    })
    .map_err(to_js_error)?;
    let monitor: SharedMonitor = Arc::new(Mutex::new(Some(monitor)));
    // Runs on this environment's thread as it shuts down (worker terminate,
    // process exit): the reader thread is joined before its
    // ThreadsafeFunction's environment disappears.
    let cleanup = env.add_env_cleanup_hook(monitor.clone(), |m| stop_shared(&m))?;
    Ok(NativeMonitor {
        monitor,
        shared,
        tsfn: Some(tsfn),
        cleanup: Some(cleanup),
    })
}

#[napi]
impl NativeMonitor {
    /// Stops the reader thread, closes the socket and releases the
    /// ThreadsafeFunction so the event loop may exit. Idempotent.
    #[napi(catch_unwind)]
    pub fn stop(&mut self, env: Env) -> Result<()> {
        stop_shared(&self.monitor);
        self.tsfn = None;
        if let Some(hook) = self.cleanup.take() {
            env.remove_env_cleanup_hook(hook)?;
        }
        Ok(())
    }

    /// The consumer took `items` items off its queue.
    #[napi]
    pub fn ack(&self, items: u32) {
        self.shared.ack(items as usize);
    }

    #[napi]
    pub fn stats(&self) -> Result<String> {
        let guard = self
            .monitor
            .lock()
            .map_err(|_| Error::from_reason("monitor lock poisoned"))?;
        let snapshot = match guard.as_ref() {
            Some(m) => m.stats(),
            None => return Ok(String::new()),
        };
        serde_json::to_string(&snapshot).map_err(|e| Error::from_reason(e.to_string()))
    }

    /// 0 until set-up finished.
    #[napi(getter)]
    pub fn port_id(&self) -> u32 {
        self.monitor
            .lock()
            .ok()
            .and_then(|m| m.as_ref().map(|m| m.port_id()))
            .unwrap_or(0)
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
                return Err(Error::from_reason(
                    "napi_(un)ref_threadsafe_function failed",
                ));
            }
        }
        Ok(())
    }
}

fn decode_options(af_details: Option<bool>) -> rtnl_core::message::DecodeOptions {
    rtnl_core::message::DecodeOptions {
        link: rtnl_core::link::LinkDecode {
            af_details: af_details.unwrap_or(false),
        },
    }
}

/// Options of list(), as validated by src/options.ts.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListOptions {
    netns: Option<NetnsOption>,
    family: Option<u8>,
    table: Option<u32>,
    ifindex: Option<u32>,
    af_details: Option<bool>,
}

/// Runs `work` on a request thread in `netns` (rtnl_core::dump::spawn_in)
/// and resolves with the JSON it produced there, so encoding stays off the
/// JS thread too.
async fn on_request_thread<W>(netns: Netns, work: W) -> Result<String>
where
    W: FnOnce() -> std::result::Result<String, rtnl_core::Error> + Send + 'static,
{
    let (tx, rx) = tokio::sync::oneshot::channel();
    dump::spawn_in(netns, work, move |result| {
        let _ = tx.send(result);
    })
    .map_err(to_js_error)?;
    match rx.await {
        Ok(result) => result.map_err(to_js_error),
        Err(_) => Err(to_js_error(rtnl_core::Error::other(
            "ERR_RTNL_INTERNAL",
            "a request thread ended without a result",
        ))),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> std::result::Result<String, rtnl_core::Error> {
    serde_json::to_string(value)
        .map_err(|e| rtnl_core::Error::other("ERR_RTNL_INTERNAL", e.to_string()))
}

/// Objects per chunk of a streamed dump: small enough that JS parses one
/// while the request thread reads and decodes the next.
const LIST_CHUNK: usize = 500;

/// Dumps one kind and streams it to `on_chunk` as tagged strings, in order:
/// `D[...]` (the next objects), `R` (an interrupted dump starts over: drop
/// what came before), then `F` (finished) or `E{...}` (the error, as JSON).
/// JS parses each chunk while the request thread reads the next.
/// Cancels a streamed dump (list() with an aborted signal): the request
/// thread stops between reads and reports ECANCELED.
#[napi]
pub struct ListHandle {
    cancel: Arc<std::sync::atomic::AtomicBool>,
}

#[napi]
impl ListHandle {
    #[napi]
    pub fn cancel(&self) {
        self.cancel
            .store(true, std::sync::atomic::Ordering::Release);
    }
}

#[napi(catch_unwind)]
pub fn list_stream(
    kind: String,
    options_json: String,
    on_chunk: Function<String, ()>,
) -> Result<ListHandle> {
    let kind = Kind::from_name(&kind).ok_or_else(|| invalid(format!("unknown kind '{kind}'")))?;
    let opts: ListOptions =
        serde_json::from_str(&options_json).map_err(|e| invalid(format!("list options: {e}")))?;
    let filter = dump::Filter {
        family: opts.family,
        table: opts.table,
        ifindex: opts.ifindex,
        decode: decode_options(opts.af_details),
    };
    let netns = parse_netns(opts.netns)?;
    // Runs on the JS thread for each chunk; the request thread only queues calls.
    let tsfn: Arc<ThreadsafeFunction<String, (), String, Status, false>> = Arc::new(
        on_chunk
            .build_threadsafe_function::<String>()
            .callee_handled::<false>()
            .build_callback(|ctx| Ok(ctx.value))?,
    );
    let for_chunks = tsfn.clone();
    let cancel = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let cancel_flag = cancel.clone();
    dump::spawn_in(
        netns,
        move || {
            let mut out = dump::JsonChunks::new(LIST_CHUNK, |chunk| {
                let text = match chunk {
                    dump::Chunk::Data(json) => json,
                    dump::Chunk::Reset => "R".to_string(),
                };
                for_chunks.call(text, ThreadsafeFunctionCallMode::NonBlocking);
            })
            .cancel_on(cancel_flag);
            dump::dump_here(kind, &filter, &mut out)?;
            out.flush();
            Ok(())
        },
        move |result: std::result::Result<(), rtnl_core::Error>| {
            let last = match result {
                Ok(()) => "F".to_string(),
                Err(e) => format!("E{}", serde_json::to_string(&e).unwrap_or_default()),
            };
            tsfn.call(last, ThreadsafeFunctionCallMode::NonBlocking);
        },
    )
    .map_err(to_js_error)?;
    Ok(ListHandle { cancel })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetLinkOptions {
    netns: Option<NetnsOption>,
    index: Option<u32>,
    /// The name's bytes in hex: names need not be UTF-8 (src/name.ts encodes them).
    name_hex: Option<String>,
    af_details: Option<bool>,
}

/// One link by index or name; resolves with JSON `null` when there is none.
#[napi(catch_unwind)]
pub async fn get_link(options_json: String) -> Result<String> {
    let opts: GetLinkOptions = serde_json::from_str(&options_json)
        .map_err(|e| invalid(format!("links.get options: {e}")))?;
    let which = match (opts.index, opts.name_hex) {
        (Some(i), None) => dump::LinkSelector::Index(i),
        (None, Some(hex)) => dump::LinkSelector::Name(
            rtnl_core::wire::KernelName::from_hex(&hex)
                .ok_or_else(|| invalid(format!("links.get: bad name encoding '{hex}'")))?,
        ),
        _ => return Err(invalid("links.get takes { index } or { name }".into())),
    };
    let decode = decode_options(opts.af_details);
    on_request_thread(parse_netns(opts.netns)?, move || {
        to_json(&dump::get_link_here(&which, decode)?)
    })
    .await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetRouteOptions {
    netns: Option<NetnsOption>,
    dst: String,
    src: Option<String>,
    iif: Option<u32>,
    oif: Option<u32>,
    mark: Option<u32>,
}

/// The route the kernel would use for a destination (`ip route get`).
#[napi(catch_unwind)]
pub async fn get_route(options_json: String) -> Result<String> {
    let o: GetRouteOptions = serde_json::from_str(&options_json)
        .map_err(|e| invalid(format!("routes.get options: {e}")))?;
    let query = dump::RouteQuery {
        dst: o.dst,
        src: o.src,
        iif: o.iif,
        oif: o.oif,
        mark: o.mark,
    };
    on_request_thread(parse_netns(o.netns)?, move || {
        to_json(&dump::get_route_here(&query)?)
    })
    .await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NsidOptions {
    /// The namespace whose ids are asked for.
    netns: Option<NetnsOption>,
    /// The namespace file whose id is wanted.
    target: String,
}

/// The id one namespace (`netns`) gives another (the file `target`), or null.
#[napi(catch_unwind)]
pub async fn nsid_of(options_json: String) -> Result<String> {
    let o: NsidOptions =
        serde_json::from_str(&options_json).map_err(|e| invalid(format!("nsidOf options: {e}")))?;
    let target = o.target;
    on_request_thread(parse_netns(o.netns)?, move || {
        to_json(&rtnl_core::nsid::nsid_of_path(&target)?)
    })
    .await
}
