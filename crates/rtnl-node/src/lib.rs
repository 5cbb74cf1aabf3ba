//! The napi binding of rtnl-core: option parsing, the hand-off of typed core
//! items to JS, and the mapping of core errors to JS errors. Everything else
//! lives in rtnl-core; the public API is the TypeScript in src/.
//!
//! The hand-off: JSON text, parsed by JS (V8's JSON.parse builds objects
//! faster than napi calls can), encoded off the JS thread by `encode`
//! (shaped.rs: structs as rows of values, named once per batch), the one
//! encoder for event batches and dump chunks alike. Every asynchronous
//! answer reaches JS through one kind of callback (`Reply`): `D<batch>`
//! the next items, `R` start over (an interrupted dump), `F<json>` finished
//! with a result, `E<json>` failed. Errors, thrown or sent, are one JSON shape
//! ({code, message, errno, syscall, path, extAck}) that src/errors.ts turns
//! into an Error with those properties.
//!
//! Panics: every entry point is #[napi(catch_unwind)], so a bug here or in
//! the core becomes a JS exception, never an abort; the core catches its own
//! on its threads.
//!
//! Threads: every #[napi] function here runs on the JS thread that called it
//! and never blocks on a namespace. `BatchSink::deliver` runs on the core's
//! reactor thread and the `Reply` callbacks of requests on namespace threads;
//! both only queue calls on a ThreadsafeFunction, whose JS callback then runs
//! on the JS thread.

mod shaped;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use serde::{Deserialize, Serialize};

use rtnl_core::get::{self, LinkSelector, RouteQuery};
use rtnl_core::message::DecodeOptions;
use rtnl_core::monitor::{MissingGroups, DEFAULT_MAX_DATAGRAM, DEFAULT_MAX_QUEUED, DEFAULT_RCVBUF};
use rtnl_core::protocol::Requester;
use rtnl_core::{
    dump, mutate, nsthread, Config, Item, Kind, Monitor, Netns, Resource, Shared, Sink,
};

/// Core errors cross into JS as an Error whose message is this prefix and the
/// error's JSON ({code, errno, syscall, path, message}); src/errors.ts turns
/// it back into an Error with those properties.
const ERROR_PREFIX: &str = "RTNL_ERROR:";

/// The one JSON shape of an error, thrown or sent.
fn error_json(e: &rtnl_core::Error) -> String {
    serde_json::to_string(e)
        .unwrap_or_else(|_| format!("{{\"code\":\"{}\",\"message\":\"\"}}", e.code))
}

fn to_js_error(e: rtnl_core::Error) -> Error {
    Error::new(
        Status::GenericFailure,
        format!("{ERROR_PREFIX}{}", error_json(&e)),
    )
}

/// The one encoder of batches: see shaped.rs.
use shaped::encode;

fn invalid(message: String) -> Error {
    to_js_error(rtnl_core::Error::other("ERR_INVALID_ARG_VALUE", message))
}

/// Options as JS sent them (JSON that src/ built): one that does not parse
/// is an invalid argument naming `what` ("links.get", ...).
fn parse_options<T: serde::de::DeserializeOwned>(json: &str, what: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| invalid(format!("{what} options: {e}")))
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
    /// "skip" joins the groups the kernel has; anything else fails on the first it lacks.
    missing_groups: Option<String>,
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

type ReplyFn = ThreadsafeFunction<String, (), String, Status, false>;

/// The JS side of one asynchronous request: `D`, `R`, `F`, `E` messages (see
/// the module comment). Called from core threads; the calls queue.
#[derive(Clone)]
struct Reply(Arc<ReplyFn>);

impl Reply {
    fn new(callback: Function<String, ()>) -> Result<Reply> {
        Ok(Reply(Arc::new(
            callback
                .build_threadsafe_function::<String>()
                .callee_handled::<false>()
                .build_callback(|ctx| Ok(ctx.value))?,
        )))
    }

    fn send(&self, message: String) {
        self.0
            .call(message, ThreadsafeFunctionCallMode::NonBlocking);
    }

    fn data(&self, json: String) {
        self.send(format!("D{json}"));
    }

    /// The last message: the result as JSON, or the error.
    fn finish<T: Serialize>(&self, result: std::result::Result<T, rtnl_core::Error>) {
        self.send(match result {
            Ok(v) => format!(
                "F{}",
                serde_json::to_string(&v).unwrap_or_else(|_| "null".into())
            ),
            Err(e) => format!("E{}", error_json(&e)),
        });
    }
}

/// Runs on the reactor thread: encodes each batch there and queues one JS
/// call, never blocking.
struct BatchSink {
    tsfn: Arc<ReplyFn>,
}

impl Sink for BatchSink {
    fn deliver(&mut self, items: Vec<Item>) -> bool {
        // The queue of this ThreadsafeFunction is unbounded; the bound is the
        // core's `queued` count, which the consumer acknowledges.
        let status = self
            .tsfn
            .call(encode(&items), ThreadsafeFunctionCallMode::NonBlocking);
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
    tsfn: Option<Arc<ReplyFn>>,
    /// Stops the reader before this JS environment (a worker) goes away.
    cleanup: Option<napi::CleanupEnvHook<SharedMonitor>>,
}

fn decode_options(af_details: Option<bool>) -> DecodeOptions {
    DecodeOptions {
        link: rtnl_core::link::LinkDecode {
            af_details: af_details.unwrap_or(false),
        },
    }
}

/// Starts a monitor and returns at once: a namespace thread enters the
/// namespace, opens the socket and joins the groups, then `on_ready` gets
/// `F<port id>`, or `E<error>` after which nothing is open and the caller
/// calls `stop()`. `on_batch` receives each batch as a JSON array.
#[napi(catch_unwind)]
pub fn open_monitor(
    env: Env,
    options_json: String,
    on_batch: Function<String, ()>,
    on_ready: Function<String, ()>,
) -> Result<NativeMonitor> {
    let opts: MonitorOptions = parse_options(&options_json, "monitor")?;
    let config = Config {
        netns: parse_netns(opts.netns)?,
        groups: opts.groups,
        missing_groups: match opts.missing_groups.as_deref() {
            Some("skip") => MissingGroups::Skip,
            _ => MissingGroups::Error,
        },
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
    let tsfn: Arc<ReplyFn> = Arc::new(
        on_batch
            .build_threadsafe_function::<String>()
            .callee_handled::<false>()
            .build_callback(move |ctx| {
                taken.batch_taken();
                Ok(ctx.value)
            })?,
    );
    let sink = BatchSink { tsfn: tsfn.clone() };
    let ready = Reply::new(on_ready)?;
    let monitor = Monitor::start(config, shared.clone(), sink, move |result| {
        ready.finish(result)
    })
    .map_err(to_js_error)?;
    let monitor: SharedMonitor = Arc::new(Mutex::new(Some(monitor)));
    // Runs on this environment's thread as it shuts down (worker terminate,
    // process exit): the reader task ends before its ThreadsafeFunction's
    // environment disappears.
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
    /// Stops the reader task, closes the socket and releases the
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

/// Options of list(), as validated by src/options.ts.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListOptions {
    netns: Option<NetnsOption>,
    family: Option<u8>,
    table: Option<u32>,
    ifindex: Option<u32>,
    oif: Option<u32>,
    /// tc actions: the action kind.
    kind: Option<String>,
    af_details: Option<bool>,
    /// Streaming (iterate()): at most this many chunks handed to JS and not
    /// yet acknowledged; the namespace thread waits for room. 0: no bound.
    window: Option<usize>,
}

/// Objects per chunk of a streamed dump: small enough that JS parses one
/// while the namespace thread reads and decodes the next.
const LIST_CHUNK: usize = 500;
/// The first chunk of an iterate(): small, for a quick first batch.
const FIRST_STREAM_CHUNK: usize = 50;

/// Collects a dump on its namespace thread and streams it to JS in chunks
/// of LIST_CHUNK objects through the one encoder.
struct ChunkCollector {
    pending: Vec<Resource>,
    /// A chunk has been handed over.
    started: bool,
    reply: Reply,
    cancel: Arc<AtomicBool>,
    window: Arc<Window>,
}

/// Chunks handed to JS and not yet acknowledged, for a streamed dump.
#[derive(Default)]
struct Window {
    in_flight: Mutex<usize>,
    room: std::sync::Condvar,
    /// 0: no bound (list(), which collects everything anyway).
    limit: usize,
}

impl ChunkCollector {
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        if self.window.limit > 0 {
            // Runs on the namespace thread: waits until JS has taken a chunk
            // (or gave up), so a streamed dump holds at most `limit` chunks.
            let mut n = self
                .window
                .in_flight
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            while *n >= self.window.limit && !self.cancel.load(Ordering::Acquire) {
                n = self
                    .window
                    .room
                    .wait_timeout(n, std::time::Duration::from_millis(100))
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
            }
            *n += 1;
        }
        self.reply.data(encode(&self.pending));
        self.pending.clear();
    }
}

impl dump::Collect for ChunkCollector {
    fn reset(&mut self) {
        self.pending.clear();
        self.reply.send("R".into());
    }
    fn push(&mut self, r: Resource) {
        self.pending.push(r);
        // A stream's first chunk is small, so the consumer starts at once.
        let limit = if self.window.limit > 0 && !self.started {
            FIRST_STREAM_CHUNK
        } else {
            LIST_CHUNK
        };
        if self.pending.len() >= limit {
            self.started = true;
            self.flush();
        }
    }
    fn cancel_flag(&self) -> Option<Arc<AtomicBool>> {
        Some(self.cancel.clone())
    }
    /// A stream can start over only while nothing was handed out yet.
    fn can_restart(&self) -> bool {
        self.window.limit == 0 || !self.started
    }
}

/// Cancels a streamed dump (list() with an aborted signal): the namespace
/// thread stops between reads and reports ECANCELED.
#[napi]
pub struct ListHandle {
    cancel: Arc<AtomicBool>,
    window: Arc<Window>,
}

#[napi]
impl ListHandle {
    #[napi]
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Release);
        self.window.room.notify_all();
    }

    /// JS took one chunk of a streamed dump: room for the next.
    #[napi]
    pub fn ack(&self) {
        let mut n = self
            .window
            .in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        *n = n.saturating_sub(1);
        self.window.room.notify_all();
    }
}

/// An iterate() whose generator was dropped without return() (collected by
/// the GC) must not leave its stream thread waiting for room forever.
impl Drop for ListHandle {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Release);
        self.window.room.notify_all();
    }
}

/// Dumps one kind, streaming `D` chunks to `on_reply`, then `F` or `E`.
#[napi(catch_unwind)]
pub fn list_stream(
    kind: String,
    options_json: String,
    on_reply: Function<String, ()>,
) -> Result<ListHandle> {
    let kind = Kind::from_name(&kind).ok_or_else(|| invalid(format!("unknown kind '{kind}'")))?;
    let opts: ListOptions = parse_options(&options_json, "list")?;
    let filter = dump::Filter {
        family: opts.family,
        table: opts.table,
        ifindex: opts.ifindex,
        oif: opts.oif,
        action_kind: opts.kind,
        decode: decode_options(opts.af_details),
    };
    let reply = Reply::new(on_reply)?;
    let cancel = Arc::new(AtomicBool::new(false));
    let window = Arc::new(Window {
        limit: opts.window.unwrap_or(0),
        ..Window::default()
    });
    let mut out = ChunkCollector {
        pending: Vec::with_capacity(LIST_CHUNK),
        started: false,
        reply: reply.clone(),
        cancel: cancel.clone(),
        window: window.clone(),
    };
    let netns = parse_netns(opts.netns)?;
    if window.limit == 0 {
        // list(): the whole dump on the namespace thread, which never waits for JS.
        nsthread::spawn_in(
            netns,
            move |_| {
                dump::dump_here(kind, &filter, &mut out)?;
                out.flush();
                Ok(())
            },
            move |result| reply.finish(result),
        )
        .map_err(to_js_error)?;
    } else {
        // iterate(): the namespace thread only makes the socket; the dump,
        // which waits for the consumer between chunks, runs on a thread of
        // its own ("rtnl-stream", one per iterate() under way), so a slow
        // consumer never holds one of the few namespace threads.
        nsthread::spawn_in(
            netns,
            move |_| Requester::open(),
            move |opened| match opened {
                Err(e) => reply.finish::<()>(Err(e)),
                Ok(mut req) => {
                    let for_thread = reply.clone();
                    let spawned = std::thread::Builder::new()
                        .name("rtnl-stream".into())
                        .stack_size(nsthread::THREAD_STACK)
                        .spawn(move || {
                            let result =
                                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    dump::dump_with(&mut req, kind, &filter, &mut out)?;
                                    out.flush();
                                    Ok(())
                                }))
                                .unwrap_or_else(|_| {
                                    Err(rtnl_core::Error::other(
                                        "ERR_RTNL_INTERNAL",
                                        "a stream thread panicked",
                                    ))
                                });
                            for_thread.finish(result);
                        });
                    if let Err(e) = spawned {
                        reply.finish::<()>(Err(rtnl_core::Error::from_io(
                            &e,
                            "clone",
                            "starting a stream thread",
                        )));
                    }
                }
            },
        )
        .map_err(to_js_error)?;
    }
    Ok(ListHandle { cancel, window })
}

/// Runs `work` on a namespace thread in `netns` and sends its result to
/// `on_reply` as `F<json>` or `E<error>`.
fn request<T, W>(netns: Option<NetnsOption>, on_reply: Function<String, ()>, work: W) -> Result<()>
where
    T: Serialize + Send + 'static,
    W: FnOnce() -> std::result::Result<T, rtnl_core::Error> + Send + 'static,
{
    let reply = Reply::new(on_reply)?;
    nsthread::spawn_in(
        parse_netns(netns)?,
        move |_| work(),
        move |r| reply.finish(r),
    )
    .map_err(to_js_error)
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

/// One link by index or name; `F null` when there is none.
#[napi(catch_unwind)]
pub fn get_link(options_json: String, on_reply: Function<String, ()>) -> Result<()> {
    let opts: GetLinkOptions = parse_options(&options_json, "links.get")?;
    let which = match (opts.index, opts.name_hex) {
        (Some(i), None) => LinkSelector::Index(i),
        (None, Some(hex)) => LinkSelector::Name(
            rtnl_core::wire::KernelName::from_hex(&hex)
                .ok_or_else(|| invalid(format!("links.get: bad name encoding '{hex}'")))?,
        ),
        _ => return Err(invalid("links.get takes { index } or { name }".into())),
    };
    let decode = decode_options(opts.af_details);
    request(opts.netns, on_reply, move || {
        get::get_link_here(&which, decode)
    })
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
pub fn get_route(options_json: String, on_reply: Function<String, ()>) -> Result<()> {
    let o: GetRouteOptions = parse_options(&options_json, "routes.get")?;
    let query = RouteQuery {
        dst: o.dst,
        src: o.src,
        iif: o.iif,
        oif: o.oif,
        mark: o.mark,
    };
    request(o.netns, on_reply, move || get::get_route_here(&query))
}

/// What a get by identity takes: the namespace, and the query the kind's
/// declared get reads (every other key).
#[derive(Deserialize)]
struct GetObjectOptions {
    netns: Option<NetnsOption>,
    #[serde(flatten)]
    query: serde_json::Map<String, serde_json::Value>,
}

/// One object of a kind by its identity (`kind` as `list()` names it): the
/// kind's declared get reads the query; `F null` when there is none.
#[napi(catch_unwind)]
pub fn get_object(
    kind: String,
    options_json: String,
    on_reply: Function<String, ()>,
) -> Result<()> {
    let o: GetObjectOptions = parse_options(&options_json, &format!("{kind}.get"))?;
    let kind = Kind::from_name(&kind).ok_or_else(|| invalid(format!("unknown kind '{kind}'")))?;
    request(o.netns, on_reply, move || get::get_here(kind, &o.query))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetMdbOptions {
    netns: Option<NetnsOption>,
    ifindex: u32,
    grp: String,
    vid: Option<u16>,
    source: Option<String>,
}

/// One multicast group of a bridge, its entry on every port; `F []` when
/// the bridge has no such group.
#[napi(catch_unwind)]
pub fn get_mdb(options_json: String, on_reply: Function<String, ()>) -> Result<()> {
    let o: GetMdbOptions = parse_options(&options_json, "mdb.get")?;
    let query = rtnl_core::mdb::MdbQuery {
        ifindex: o.ifindex,
        grp: o.grp,
        vid: o.vid.unwrap_or(0),
        source: o.source,
    };
    request(o.netns, on_reply, move || get::get_mdb_here(&query))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApplyOptions {
    netns: Option<NetnsOption>,
    #[serde(default)]
    mode: mutate::ApplyMode,
    /// How many chunks `push` will bring.
    chunks: usize,
}

/// The ops of one `apply`, pushed by JS in chunks (each a JSON array of
/// `{ kind, verb, object }`). The channel holds every announced chunk, so a
/// push never blocks the JS thread; it is bounded by that count.
#[napi]
pub struct ApplyFeed {
    tx: Option<std::sync::mpsc::SyncSender<String>>,
    abort: Arc<AtomicBool>,
}

#[napi]
impl ApplyFeed {
    /// The next chunk. After the namespace thread has stopped (the
    /// namespace could not be entered, a socket error) chunks are dropped:
    /// the reply says why.
    #[napi(catch_unwind)]
    pub fn push(&mut self, chunk: String) -> Result<()> {
        use std::sync::mpsc::TrySendError;
        match self.tx.as_ref().map(|tx| tx.try_send(chunk)) {
            None | Some(Err(TrySendError::Full(_))) => Err(to_js_error(rtnl_core::Error::other(
                "ERR_RTNL_INTERNAL",
                "batch: more chunks pushed than announced",
            ))),
            Some(Ok(())) | Some(Err(TrySendError::Disconnected(_))) => Ok(()),
        }
    }

    /// No more chunks: the ops pushed so far are all there is.
    #[napi]
    pub fn end(&mut self) {
        self.tx = None;
    }

    /// Sends nothing more (the reply then has a result per op pulled, the
    /// unsent ones ERR_RTNL_NOT_SENT, and comes within about a second).
    #[napi]
    pub fn abort(&mut self) {
        self.abort.store(true, Ordering::Release);
        self.tx = None;
    }
}

/// Changes, as one batch (`batch()`, `routes.add()`, `reconcile()`): JS
/// pushes the ops in chunks on the returned feed; a namespace thread
/// encodes and sends them (mutate::apply_json) as they come, so encoding a
/// hundred thousand routes stays off the JS thread and overlaps its
/// stringifying. `F[null | error, ...]`: one answer per op, in order.
#[napi(catch_unwind)]
pub fn apply(options_json: String, on_reply: Function<String, ()>) -> Result<ApplyFeed> {
    let o: ApplyOptions = parse_options(&options_json, "batch")?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<String>(o.chunks);
    let mode = o.mode;
    let abort = Arc::new(AtomicBool::new(false));
    let aborted = abort.clone();
    request(o.netns, on_reply, move || {
        Ok(mutate::apply_json(rx, mode, &aborted)?
            .into_iter()
            .map(|r| r.err())
            .collect::<Vec<Option<rtnl_core::Error>>>())
    })?;
    Ok(ApplyFeed {
        tx: Some(tx),
        abort,
    })
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
pub fn nsid_of(options_json: String, on_reply: Function<String, ()>) -> Result<()> {
    let o: NsidOptions = parse_options(&options_json, "nsidOf")?;
    let target = o.target;
    request(o.netns, on_reply, move || {
        rtnl_core::nsid::nsid_of_path(&target)
    })
}
