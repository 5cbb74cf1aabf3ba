//! The monitor: one dedicated OS thread per monitor that enters the target
//! namespace, opens the socket, joins the groups, then reads, decodes and
//! hands JSON batches to a `Sink` until stopped.
//!
//! Threads: `Monitor::spawn` and `Monitor::stop` run on the caller's thread
//! (the Node main thread, in the binding); everything in `reader_main` runs on
//! the monitor's own thread, the only one that ever calls setns for it. The
//! two share `Shared` (atomics only) and an eventfd that wakes the reader.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use serde::Serialize;

use crate::error::Error;
use crate::message::{decode_event_with, Event, Item, ResyncReason};
use crate::netns::{self, Netns};
use crate::socket::{RcvbufOutcome, Received, RecvBatch, RecvMany, RouteSocket};
use crate::wire::{self, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN};

/// Default rcvbuf: 4 MiB.
pub const DEFAULT_RCVBUF: usize = 4 * 1024 * 1024;
/// Default bound on items handed to JS and not yet consumed.
pub const DEFAULT_MAX_QUEUED: usize = 1_000_000;
/// The largest datagram read whole by default; a longer one is reported as
/// truncated (resync_needed 'truncated'). Kernel notifications are far smaller.
pub const DEFAULT_MAX_DATAGRAM: usize = 64 * 1024;
/// Stack size of the reader and request threads: their frames are shallow
/// (decode, serialise, syscalls). Small stacks keep many monitors, and
/// glibc's cache of exited threads' stacks, cheap.
pub const THREAD_STACK: usize = 256 * 1024;
/// Datagrams read per recvmmsg call.
const RECV_SLOTS: usize = 32;
/// A batch is handed over at this many items even if the socket has more.
const BATCH_ITEMS: usize = 2048;
/// How often a pending overflow resync is retried while nothing arrives.
const RETRY_MS: libc::c_int = 10;
/// How often a held batch is offered again while the previous one waits for JS.
const HOLD_MS: libc::c_int = 1;
/// How often an idle monitor of a namespace file checks that the file still
/// refers to its namespace (one stat).
const NETNS_CHECK: std::time::Duration = std::time::Duration::from_millis(500);
/// During a burst, batches are handed over at most this often: one call and
/// one wake-up of the JS thread per millisecond, not per drain. The first
/// event after a quiet spell goes out at once, so isolated changes keep
/// their latency.
const LINGER: std::time::Duration = std::time::Duration::from_millis(1);
/// Data arriving again within this gap means a burst is under way.
const BURST_GAP: std::time::Duration = std::time::Duration::from_millis(2);
/// How long the reader lets a burst gather between drains. At 150,000
/// events/s that is ~40 messages, far below what the default rcvbuf holds.
const GATHER: std::time::Duration = std::time::Duration::from_micros(250);

/// Receives batches on the reader thread. `json` is a JSON array of items
/// (`message::Item`), `items` its length. Returns false once the consumer is
/// gone, which ends the reader.
pub trait Sink: Send + 'static {
    fn deliver(&mut self, json: String, items: usize) -> bool;

    /// True when batches wait in a queue for another thread and the sink
    /// calls `Shared::batch_taken` as each is picked up; the reader then
    /// coalesces while one waits. False (the default): every drain is
    /// delivered at once.
    fn reports_taken(&self) -> bool {
        false
    }
}

#[derive(Debug, Default)]
pub struct Stats {
    /// Events decoded from the kernel's messages. Always delivered + dropped.
    pub received: AtomicU64,
    /// Events handed to the sink.
    pub delivered: AtomicU64,
    /// Events dropped because the queue to JS was full.
    pub dropped: AtomicU64,
    /// resync_needed notices handed to the sink.
    pub resyncs: AtomicU64,
    pub enobufs: AtomicU64,
    pub decode_failures: AtomicU64,
    /// Datagrams from a sender other than the kernel (port id != 0), dropped.
    pub foreign: AtomicU64,
    pub truncated: AtomicU64,
    pub batches: AtomicU64,
    pub bytes: AtomicU64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsSnapshot {
    pub received: u64,
    pub delivered: u64,
    pub dropped: u64,
    pub resyncs: u64,
    pub enobufs: u64,
    pub decode_failures: u64,
    pub foreign: u64,
    pub truncated: u64,
    pub batches: u64,
    pub bytes: u64,
    pub queued: usize,
    pub rcvbuf: usize,
    pub rcvbuf_forced: bool,
}

/// State shared by the reader thread and the owner of the `Monitor`.
#[derive(Debug, Default)]
pub struct Shared {
    pub stats: Stats,
    /// Items handed to the sink and not yet acknowledged by the consumer.
    pub queued: AtomicUsize,
    /// Batches handed to the sink that the consumer's thread has not picked up yet.
    in_flight: AtomicUsize,
    stopping: AtomicBool,
    /// Set once by the reader thread when set-up succeeded: port id, rcvbuf.
    setup: std::sync::OnceLock<(u32, RcvbufOutcome)>,
}

impl Shared {
    /// The consumer's thread picked up one batch. While one is waiting, the
    /// reader keeps adding to the next instead of queueing more calls, so a
    /// busy consumer gets fewer, larger batches and an idle one gets each
    /// event at once.
    pub fn batch_taken(&self) {
        let _ = self
            .in_flight
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                Some(n.saturating_sub(1))
            });
    }

    /// The consumer took `items` items out of its queue.
    pub fn ack(&self, items: usize) {
        let _ = self
            .queued
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |q| {
                Some(q.saturating_sub(items))
            });
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub netns: Netns,
    pub groups: Vec<u32>,
    pub rcvbuf: usize,
    pub max_queued: usize,
    /// The largest datagram read whole (see DEFAULT_MAX_DATAGRAM).
    pub max_datagram: usize,
    /// NETLINK_LISTEN_ALL_NSID: also receive the events of every namespace
    /// that has an id in this one, each tagged with that id.
    pub all_nsid: bool,
    /// A kernel-side filter (see filter.rs); empty lets everything through.
    pub filter: crate::filter::EventFilter,
    /// What the decoder includes (the same options make list() match).
    pub decode: crate::message::DecodeOptions,
}

pub struct Monitor {
    shared: Arc<Shared>,
    wake_fd: libc::c_int,
    thread: Option<JoinHandle<()>>,
}

struct EventFd(libc::c_int);

impl EventFd {
    fn new() -> Result<Self, Error> {
        // SAFETY: plain syscall.
        let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
        if fd < 0 {
            return Err(Error::last_os(
                "eventfd",
                None,
                "creating the monitor's wake-up fd",
            ));
        }
        Ok(EventFd(fd))
    }
}

impl Drop for EventFd {
    fn drop(&mut self) {
        if self.0 >= 0 {
            unsafe { libc::close(self.0) };
        }
    }
}

impl Monitor {
    /// Starts the reader thread and waits until it has entered the namespace,
    /// opened the socket and joined every group, or failed to. On failure the
    /// thread has exited and every fd it opened is closed.
    pub fn spawn<S: Sink>(config: Config, shared: Arc<Shared>, sink: S) -> Result<Monitor, Error> {
        let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel::<Result<u32, Error>>(1);
        let mut monitor = Monitor::start(config, shared, sink, move |r| {
            let _ = ready_tx.send(r);
        })?;
        match ready_rx.recv() {
            Ok(Ok(_)) => Ok(monitor),
            Ok(Err(e)) => {
                monitor.stop();
                Err(e)
            }
            Err(_) => {
                monitor.stop();
                Err(Error::other(
                    "ERR_RTNL_INTERNAL",
                    "the monitor thread ended during set-up",
                ))
            }
        }
    }

    /// Starts the reader thread and returns at once; `on_ready` runs on that
    /// thread with the port id once the namespace is entered, the socket open
    /// and every group joined, or with the error (the thread then exits and
    /// closes what it opened; `stop()` still joins it). The caller's thread
    /// never waits on the namespace file, which may be slow or hostile.
    pub fn start<S, R>(
        config: Config,
        shared: Arc<Shared>,
        sink: S,
        on_ready: R,
    ) -> Result<Monitor, Error>
    where
        S: Sink,
        R: FnOnce(Result<u32, Error>) + Send + 'static,
    {
        let wake = EventFd::new()?;
        let wake_fd = wake.0;
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("rtnl-monitor".into())
            .stack_size(THREAD_STACK)
            .spawn(move || {
                // Runs on the monitor's own thread: the only setns for this monitor.
                type Setup = (RouteSocket, u32, RcvbufOutcome, Option<netns::Identity>);
                let setup = || -> Result<Setup, Error> {
                    let identity = netns::enter(&config.netns)?;
                    let sock = RouteSocket::open()?;
                    let rcvbuf = sock.set_rcvbuf(config.rcvbuf)?;
                    for &group in &config.groups {
                        sock.join(group)?;
                    }
                    if config.all_nsid {
                        sock.listen_all_nsid()?;
                    }
                    if !config.filter.is_empty() {
                        sock.attach_filter(&crate::filter::compile(&config.filter)?)?;
                    }
                    let port = sock.port_id()?;
                    Ok((sock, port, rcvbuf, identity))
                };
                match setup() {
                    Err(e) => on_ready(Err(e)),
                    Ok((sock, port, rcvbuf, identity)) => {
                        let _ = thread_shared.setup.set((port, rcvbuf));
                        on_ready(Ok(port));
                        let mut reader = Reader::new(
                            sock,
                            wake_fd,
                            thread_shared,
                            sink,
                            config.max_queued,
                            config.max_datagram,
                        );
                        reader.all_nsid = config.all_nsid;
                        reader.own_nsid = if config.all_nsid {
                            crate::nsid::own_nsid()
                        } else {
                            None
                        };
                        reader.netns = identity;
                        reader.decode = config.decode;
                        reader.run();
                    }
                }
            })
            .map_err(|e| Error::from_io(&e, "clone", "starting the monitor thread"))?;
        std::mem::forget(wake);
        Ok(Monitor {
            shared,
            wake_fd,
            thread: Some(thread),
        })
    }

    /// The socket's port id; 0 until set-up finished.
    pub fn port_id(&self) -> u32 {
        self.shared.setup.get().map_or(0, |s| s.0)
    }

    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    pub fn stats(&self) -> StatsSnapshot {
        let s = &self.shared.stats;
        StatsSnapshot {
            received: s.received.load(Ordering::Relaxed),
            delivered: s.delivered.load(Ordering::Relaxed),
            dropped: s.dropped.load(Ordering::Relaxed),
            resyncs: s.resyncs.load(Ordering::Relaxed),
            enobufs: s.enobufs.load(Ordering::Relaxed),
            decode_failures: s.decode_failures.load(Ordering::Relaxed),
            foreign: s.foreign.load(Ordering::Relaxed),
            truncated: s.truncated.load(Ordering::Relaxed),
            batches: s.batches.load(Ordering::Relaxed),
            bytes: s.bytes.load(Ordering::Relaxed),
            queued: self.shared.queued.load(Ordering::Relaxed),
            rcvbuf: self.shared.setup.get().map_or(0, |s| s.1.effective),
            rcvbuf_forced: self.shared.setup.get().is_some_and(|s| s.1.forced),
        }
    }

    pub fn is_running(&self) -> bool {
        self.thread.is_some()
    }

    /// Wakes the reader, waits for its thread to exit (it closes the socket
    /// and drops the sink on the way out). Idempotent.
    pub fn stop(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        self.shared.stopping.store(true, Ordering::Release);
        let one: u64 = 1;
        // SAFETY: writes 8 bytes to our eventfd.
        unsafe { libc::write(self.wake_fd, &one as *const u64 as *const libc::c_void, 8) };
        let _ = thread.join();
        unsafe { libc::close(self.wake_fd) };
        self.wake_fd = -1;
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        self.stop();
    }
}

/// CLOCK_REALTIME in nanoseconds.
fn realtime_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// The reader loop's state. Lives on the monitor thread only.
struct Reader<S: Sink> {
    sock: RouteSocket,
    wake_fd: libc::c_int,
    shared: Arc<Shared>,
    sink: S,
    max_queued: usize,
    batch_in: RecvBatch,
    batch: Vec<u8>,
    /// Items in `batch`, and how many of them are events (the rest are resync notices).
    items: usize,
    events: usize,
    /// Events were dropped for lack of room; a resync is owed.
    overflow_owed: bool,
    /// When the last batch was handed over (see LINGER).
    last_flush: std::time::Instant,
    /// When the socket last had data (see BURST_GAP).
    last_data: std::time::Instant,
    /// NETLINK_LISTEN_ALL_NSID is on: events carry `nsid`.
    all_nsid: bool,
    /// This namespace's own id, if it has one: reported as null.
    own_nsid: Option<i32>,
    /// The namespace file the monitor was opened with, checked every
    /// NETNS_CHECK (None for the host namespace).
    netns: Option<netns::Identity>,
    last_netns_check: std::time::Instant,
    decode: crate::message::DecodeOptions,
}

impl<S: Sink> Reader<S> {
    fn new(
        sock: RouteSocket,
        wake_fd: libc::c_int,
        shared: Arc<Shared>,
        sink: S,
        max_queued: usize,
        datagram_size: usize,
    ) -> Self {
        Reader {
            sock,
            wake_fd,
            shared,
            sink,
            max_queued: max_queued.max(1),
            batch_in: RecvBatch::new(RECV_SLOTS, datagram_size),
            batch: Vec::with_capacity(16 * 1024),
            items: 0,
            events: 0,
            overflow_owed: false,
            last_flush: std::time::Instant::now() - LINGER,
            last_data: std::time::Instant::now() - BURST_GAP,
            all_nsid: false,
            own_nsid: None,
            netns: None,
            last_netns_check: std::time::Instant::now(),
            decode: Default::default(),
        }
    }

    /// Checks, at most every NETNS_CHECK, that the namespace file still
    /// refers to the watched namespace. When it does not, hands over what is
    /// pending and a final NetnsGone (past the queue bound: it is one item
    /// and the last), and returns false: the reader ends.
    fn netns_still_there(&mut self) -> bool {
        let Some(identity) = &self.netns else {
            return true;
        };
        if self.last_netns_check.elapsed() < NETNS_CHECK {
            return true;
        }
        self.last_netns_check = std::time::Instant::now();
        if identity.still_there() {
            return true;
        }
        let path = identity.path.clone();
        self.flush(true);
        let gone = Item::NetnsGone { path };
        let json = format!("[{}]", serde_json::to_string(&gone).unwrap_or_default());
        self.shared.queued.fetch_add(1, Ordering::AcqRel);
        self.sink.deliver(json, 1);
        false
    }

    fn stopping(&self) -> bool {
        self.shared.stopping.load(Ordering::Acquire)
    }

    fn run(&mut self) {
        while !self.stopping() {
            let timeout = if self.items > 0 {
                HOLD_MS
            } else if self.overflow_owed {
                RETRY_MS
            } else if self.netns.is_some() {
                NETNS_CHECK.as_millis() as libc::c_int
            } else {
                -1
            };
            let mut fds = [
                libc::pollfd {
                    fd: self.sock.fd(),
                    events: libc::POLLIN,
                    revents: 0,
                },
                libc::pollfd {
                    fd: self.wake_fd,
                    events: libc::POLLIN,
                    revents: 0,
                },
            ];
            // SAFETY: fds is a live array of two pollfd.
            let rc = unsafe { libc::poll(fds.as_mut_ptr(), 2, timeout) };
            if rc < 0 {
                let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
                if errno == libc::EINTR {
                    continue;
                }
                break;
            }
            if fds[1].revents != 0 || self.stopping() {
                break;
            }
            if fds[0].revents & libc::POLLIN != 0 || fds[0].revents & libc::POLLERR != 0 {
                if !self.drain() {
                    break;
                }
                // In a burst (data again within BURST_GAP), let messages
                // gather in the socket buffer for a moment instead of waking
                // for each one: the wake-ups, not the copying, are what a
                // burst costs. An isolated change is read at once.
                let now = std::time::Instant::now();
                if now.duration_since(self.last_data) < BURST_GAP && !self.stopping() {
                    std::thread::sleep(GATHER);
                }
                self.last_data = now;
            }
            if !self.flush(false) || !self.netns_still_there() {
                break;
            }
        }
    }

    /// Reads until the socket is empty, flushing every BATCH_ITEMS items.
    /// Returns false when the consumer is gone.
    fn drain(&mut self) -> bool {
        // Configured table/protocol names, re-read if a file changed.
        crate::names::refresh();
        while !self.stopping() {
            match self.sock.recv_many(&mut self.batch_in) {
                RecvMany::Empty => return true,
                RecvMany::Overrun => {
                    self.shared.stats.enobufs.fetch_add(1, Ordering::Relaxed);
                    self.push(&Item::ResyncNeeded {
                        reason: ResyncReason::Enobufs,
                    });
                }
                RecvMany::Failed(_) => {
                    // Nothing else is expected from a bound netlink socket; a
                    // resync tells the consumer its view may be stale.
                    self.push(&Item::ResyncNeeded {
                        reason: ResyncReason::Enobufs,
                    });
                    return true;
                }
                RecvMany::Datagrams(n) => {
                    let received_at = realtime_ns();
                    for i in 0..n {
                        let Received {
                            len,
                            truncated,
                            sender,
                            nsid,
                        } = self.batch_in.received(i);
                        self.shared
                            .stats
                            .bytes
                            .fetch_add(len as u64, Ordering::Relaxed);
                        if sender != 0 {
                            self.shared.stats.foreign.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                        if truncated {
                            self.shared.stats.truncated.fetch_add(1, Ordering::Relaxed);
                            self.push(&Item::ResyncNeeded {
                                reason: ResyncReason::Truncated,
                            });
                            continue;
                        }
                        // The own namespace's id (when it has one) reads as null, as iproute2's "current".
                        let nsid = self
                            .all_nsid
                            .then(|| nsid.filter(|id| Some(*id) != self.own_nsid));
                        self.decode_datagram(i, len, received_at, nsid);
                    }
                    // A short read means the queue is empty: no need for the EAGAIN.
                    if n < RECV_SLOTS {
                        return true;
                    }
                }
            }
            if self.items >= BATCH_ITEMS && !self.flush(true) {
                return false;
            }
        }
        true
    }

    fn decode_datagram(
        &mut self,
        slot: usize,
        len: usize,
        received_at: u64,
        nsid: Option<Option<i32>>,
    ) {
        let mut events: Vec<Event> = Vec::new();
        let decode = self.decode;
        let datagram = self.batch_in.datagram(slot, len);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            for msg in wire::messages(datagram) {
                match msg {
                    Ok(m) => match m.kind {
                        NLMSG_NOOP | NLMSG_DONE | NLMSG_OVERRUN => {}
                        _ if m.kind == NLMSG_ERROR => {}
                        _ => events.push(decode_event_with(m.kind, m.payload, decode)),
                    },
                    Err(e) => events.push(Event::undecodable(0, Some(e.0))),
                }
            }
        }));
        if outcome.is_err() {
            events.push(Event::undecodable(
                0,
                Some("the decoder panicked on this datagram".into()),
            ));
        }
        let shared = self.shared.clone();
        shared
            .stats
            .received
            .fetch_add(events.len() as u64, Ordering::Relaxed);
        for mut event in events {
            event.received_at = received_at;
            event.nsid = nsid;
            if event.error.is_some() {
                shared.stats.decode_failures.fetch_add(1, Ordering::Relaxed);
            }
            self.push(&Item::Event(event));
        }
    }

    fn push(&mut self, item: &Item) {
        self.batch.push(if self.items == 0 { b'[' } else { b',' });
        if serde_json::to_writer(&mut self.batch, item).is_err() {
            // Serialising plain structs cannot fail; keep the batch valid anyway.
            self.batch.extend_from_slice(b"null");
        }
        self.items += 1;
        if matches!(item, Item::Event(_)) {
            self.events += 1;
        }
    }

    /// Hands the batch to the sink if the queue has room; otherwise drops it
    /// and owes a resync. Unless `full`, a batch is held while the previous
    /// one still waits for the consumer's thread. Returns false when the
    /// consumer is gone.
    fn flush(&mut self, full: bool) -> bool {
        if self.items == 0 && !self.overflow_owed {
            return true;
        }
        if !full && self.items > 0 && self.last_flush.elapsed() < LINGER {
            return true;
        }
        if !full && self.sink.reports_taken() && self.shared.in_flight.load(Ordering::Acquire) > 0 {
            return true;
        }
        let queued = self.shared.queued.load(Ordering::Acquire);
        let extra = usize::from(self.overflow_owed);
        if queued + self.items + extra > self.max_queued {
            // Dropped resync notices are covered by the overflow resync owed now.
            self.shared
                .stats
                .dropped
                .fetch_add(self.events as u64, Ordering::Relaxed);
            self.overflow_owed = true;
            self.batch.clear();
            self.items = 0;
            self.events = 0;
            return true;
        }
        let mut json = Vec::with_capacity(self.batch.len() + 48);
        if self.overflow_owed {
            json.extend_from_slice(b"[");
            let resync = Item::ResyncNeeded {
                reason: ResyncReason::Overflow,
            };
            let _ = serde_json::to_writer(&mut json, &resync);
            if self.items > 0 {
                json.push(b',');
                json.extend_from_slice(&self.batch[1..]);
            }
        } else {
            json.extend_from_slice(&self.batch);
        }
        json.push(b']');
        let items = self.items + extra;
        let stats = &self.shared.stats;
        stats
            .delivered
            .fetch_add(self.events as u64, Ordering::Relaxed);
        stats
            .resyncs
            .fetch_add((items - self.events) as u64, Ordering::Relaxed);
        self.batch.clear();
        self.items = 0;
        self.events = 0;
        self.overflow_owed = false;
        self.last_flush = std::time::Instant::now();
        self.shared.queued.fetch_add(items, Ordering::AcqRel);
        if self.sink.reports_taken() {
            self.shared.in_flight.fetch_add(1, Ordering::AcqRel);
        }
        self.shared.stats.batches.fetch_add(1, Ordering::Relaxed);
        // JSON built from UTF-8 strings by serde_json is valid UTF-8.
        let json = String::from_utf8(json)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        self.sink.deliver(json, items)
    }
}
