//! The monitor: a socket opened inside the target namespace, then read by
//! the shared reactor (reactor.rs), which decodes what arrives and hands
//! typed batches of `Item`s to a `Sink`.
//!
//! Threads: `Monitor::start` and `Monitor::stop` run on the caller's thread
//! (the Node main thread, in the binding) and never block on the namespace:
//! the socket is made on a namespace thread (nsthread.rs), which hands it to
//! the reactor and exits. Everything in `Reader` runs as one task on the
//! reactor's single thread, the same thread for every monitor; `Sink::deliver`
//! is called there. The task and the owner share `Shared` (atomics only) and
//! a `Notify` that tells the task to stop.

use std::os::fd::{AsRawFd, RawFd};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::io::unix::AsyncFd;
use tokio::io::Interest;
use tokio::sync::Notify;

use crate::error::Error;
use crate::message::{decode_events_with, DecodeOptions, Event, Item, ResyncReason};
use crate::netns::{self, Netns};
use crate::socket::{RcvbufOutcome, Received, RecvBatch, RecvMany, RouteSocket};
use crate::wire::{self, NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN};
use crate::{nsthread, reactor};

/// Default rcvbuf: 4 MiB.
pub const DEFAULT_RCVBUF: usize = 4 * 1024 * 1024;
/// Default bound on items handed to JS and not yet consumed.
pub const DEFAULT_MAX_QUEUED: usize = 1_000_000;
/// The largest datagram read whole by default; a longer one is reported as
/// truncated (resync_needed 'truncated'). Kernel notifications are far smaller.
pub const DEFAULT_MAX_DATAGRAM: usize = 64 * 1024;
/// Datagrams read per recvmmsg call.
const RECV_SLOTS: usize = 32;
/// A batch is handed over at this many items even if the socket has more.
const BATCH_ITEMS: usize = 2048;
/// recvmmsg calls per turn of one monitor's task; then the task yields, so
/// one monitor's burst does not starve the others on the reactor.
const TURN_CALLS: usize = 64;
/// How often a pending overflow resync is retried while nothing arrives.
const RETRY: Duration = Duration::from_millis(10);
/// How often a held batch is offered again while the previous one waits for JS.
const HOLD: Duration = Duration::from_millis(1);
/// During a burst, batches are handed over at most this often: one call and
/// one wake-up of the JS thread per millisecond, not per drain. The first
/// event after a quiet spell goes out at once, so isolated changes keep
/// their latency.
const LINGER: Duration = Duration::from_millis(1);
/// Data arriving again within this gap means a burst is under way.
const BURST_GAP: Duration = Duration::from_millis(2);
/// How long a burst gathers in the socket buffer between drains. At 150,000
/// events/s that is ~40 messages, far below what the default rcvbuf holds.
/// A plain thread sleep on the reactor, not a tokio timer: the timer's 1 ms
/// tick made batches three times larger and cost 40% more CPU in a 200k
/// burst (measured). Other monitors wait this long per bursting monitor per
/// round, and only during bursts.
const GATHER: Duration = Duration::from_micros(250);
/// How often an idle monitor of a namespace file checks that the file still
/// refers to its namespace (one stat).
const NETNS_CHECK: Duration = Duration::from_millis(500);

/// Receives batches on the reactor thread: `items` in order. Returns false
/// once the consumer is gone, which ends the monitor's task.
pub trait Sink: Send + 'static {
    fn deliver(&mut self, items: Vec<Item>) -> bool;

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
    /// Groups this kernel does not have, left out under `MissingGroups::Skip`.
    pub groups_refused: Vec<u32>,
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
    /// Set once by the reader thread when set-up succeeded: port id, rcvbuf,
    /// the groups the kernel does not have (left out).
    setup: std::sync::OnceLock<(u32, RcvbufOutcome, Vec<u32>)>,
}

/// What a monitor does with a group the kernel does not have (a group newer
/// than the kernel: NETLINK_ADD_MEMBERSHIP answers EINVAL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingGroups {
    /// Fail the subscription: silently missing events is worse than an error.
    #[default]
    Error,
    /// Join the groups the kernel has and report the others (`ip monitor all`).
    Skip,
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
    pub missing_groups: MissingGroups,
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
    stop: Arc<Notify>,
    phase: Arc<std::sync::Mutex<Phase>>,
}

/// Where a monitor is. Set-up runs on a namespace thread; the task on the reactor.
enum Phase {
    SettingUp,
    /// The task runs; the receiver gets one message when it has ended.
    Running(std::sync::mpsc::Receiver<()>),
    Ended,
}

impl Monitor {
    /// Starts a monitor and waits until it has entered the namespace,
    /// opened the socket and joined every group, or failed to. On failure
    /// every fd it opened is closed. Blocks the calling thread: for Rust
    /// callers; the binding uses `start`.
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
                    "the monitor ended during set-up",
                ))
            }
        }
    }

    /// Starts a monitor and returns at once. A namespace thread enters the
    /// namespace, opens the socket, joins the groups, hands the socket to the
    /// reactor and calls `on_ready` with the port id, or with the error (then
    /// nothing stays open; `stop()` is still fine to call).
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
        let handle = reactor::handle()?;
        let stop = Arc::new(Notify::new());
        let task_shared = shared.clone();
        let task_stop = stop.clone();
        let all_nsid = config.all_nsid;
        let decode = config.decode;
        let setup_config = config.clone();
        // Runs on a namespace thread: the only setns for this monitor.
        let setup = move |identity: Option<netns::Identity>| {
            let sock = RouteSocket::open()?;
            let rcvbuf = sock.set_rcvbuf(setup_config.rcvbuf)?;
            let mut refused = Vec::new();
            for &group in &setup_config.groups {
                match sock.join(group) {
                    Err(e)
                        if e.errno == Some(libc::EINVAL)
                            && setup_config.missing_groups == MissingGroups::Skip =>
                    {
                        refused.push(group)
                    }
                    r => r?,
                }
            }
            if setup_config.all_nsid {
                sock.listen_all_nsid()?;
            }
            if !setup_config.filter.is_empty() {
                sock.attach_filter(&crate::filter::compile(&setup_config.filter)?)?;
            }
            sock.set_nonblocking()?;
            let batch_in = RecvBatch::new(RECV_SLOTS, setup_config.max_datagram)?;
            let port = sock.port_id()?;
            let own_nsid = if setup_config.all_nsid {
                crate::nsid::own_nsid()
            } else {
                None
            };
            Ok((sock, batch_in, port, rcvbuf, identity, own_nsid, refused))
        };
        let phase = Arc::new(std::sync::Mutex::new(Phase::SettingUp));
        let task_phase = phase.clone();
        // Runs on the namespace thread once set-up is done (or failed). The
        // phase lock orders it against stop(): a monitor stopped before its
        // set-up finished never starts its task, and stop() never waits for
        // set-up (a namespace file that hangs cannot freeze the caller).
        nsthread::spawn_in(config.netns.clone(), setup, move |result| {
            let mut phase = task_phase.lock().unwrap_or_else(|p| p.into_inner());
            match result {
                Err(e) => {
                    *phase = Phase::Ended;
                    drop(phase);
                    on_ready(Err(e));
                }
                Ok(_) if task_shared.stopping.load(Ordering::Acquire) => {
                    *phase = Phase::Ended;
                    drop(phase);
                    on_ready(Err(Error::other(
                        "ERR_RTNL_STOPPED",
                        "the monitor was stopped during set-up",
                    )));
                }
                Ok((sock, batch_in, port, rcvbuf, identity, own_nsid, refused)) => {
                    let _ = task_shared.setup.set((port, rcvbuf, refused));
                    let mut reader =
                        Reader::new(sock, batch_in, task_shared, sink, config.max_queued);
                    reader.all_nsid = all_nsid;
                    reader.own_nsid = own_nsid;
                    reader.netns = identity;
                    reader.decode = decode;
                    let (ended_tx, ended_rx) = std::sync::mpsc::sync_channel::<()>(1);
                    handle.spawn(async move {
                        reader.run(task_stop).await;
                        // Close the socket and drop the sink before telling
                        // stop(): `reader` would otherwise live until this
                        // block returns, after the send, and stop() could
                        // return with the socket still open.
                        drop(reader);
                        let _ = ended_tx.send(());
                    });
                    *phase = Phase::Running(ended_rx);
                    drop(phase);
                    on_ready(Ok(port));
                }
            }
        })?;
        Ok(Monitor {
            shared,
            stop,
            phase,
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
            groups_refused: self
                .shared
                .setup
                .get()
                .map_or_else(Vec::new, |s| s.2.clone()),
        }
    }

    pub fn is_running(&self) -> bool {
        !matches!(
            *self.phase.lock().unwrap_or_else(|p| p.into_inner()),
            Phase::Ended
        )
    }

    /// Tells the reader task to stop and waits until it has (closing the
    /// socket and dropping the sink on its way out). A monitor still in
    /// set-up is not waited for: its set-up sees `stopping` and starts
    /// nothing. Idempotent. Never call it from the reactor thread (a sink):
    /// it would wait for itself.
    pub fn stop(&mut self) {
        self.shared.stopping.store(true, Ordering::Release);
        self.stop.notify_one();
        let running = {
            let mut phase = self.phase.lock().unwrap_or_else(|p| p.into_inner());
            std::mem::replace(&mut *phase, Phase::Ended)
        };
        if let Phase::Running(ended) = running {
            let _ = ended.recv();
        }
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

/// The socket's fd for AsyncFd (the socket itself stays in the Reader).
struct SockFd(RawFd);

impl AsRawFd for SockFd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// How a turn of draining ended.
enum Drained {
    /// The socket is empty.
    Empty,
    /// The turn's budget is used up; more may be waiting.
    Budget,
    /// The consumer is gone.
    Gone,
}

/// One monitor's reader state. Lives in its task on the reactor thread.
struct Reader<S: Sink> {
    sock: RouteSocket,
    shared: Arc<Shared>,
    sink: S,
    max_queued: usize,
    batch_in: RecvBatch,
    batch: Vec<Item>,
    /// How many of `batch` are events (the rest are resync notices).
    events: usize,
    /// Events were dropped for lack of room; a resync is owed.
    overflow_owed: bool,
    /// When the last batch was handed over (see LINGER).
    last_flush: Instant,
    /// When the socket last had data (see BURST_GAP).
    last_data: Instant,
    /// NETLINK_LISTEN_ALL_NSID is on: events carry `nsid`.
    all_nsid: bool,
    /// This namespace's own id, if it has one: reported as null.
    own_nsid: Option<i32>,
    /// The namespace file the monitor was opened with, checked every
    /// NETNS_CHECK (None for the host namespace).
    netns: Option<netns::Identity>,
    last_netns_check: Instant,
    decode: DecodeOptions,
}

impl<S: Sink> Reader<S> {
    fn new(
        sock: RouteSocket,
        batch_in: RecvBatch,
        shared: Arc<Shared>,
        sink: S,
        max_queued: usize,
    ) -> Self {
        Reader {
            sock,
            shared,
            sink,
            max_queued: max_queued.max(1),
            batch_in,
            batch: Vec::with_capacity(256),
            events: 0,
            overflow_owed: false,
            last_flush: Instant::now() - LINGER,
            last_data: Instant::now() - BURST_GAP,
            all_nsid: false,
            own_nsid: None,
            netns: None,
            last_netns_check: Instant::now(),
            decode: DecodeOptions::default(),
        }
    }

    fn stopping(&self) -> bool {
        self.shared.stopping.load(Ordering::Acquire)
    }

    /// When the task must wake without data: a held batch, an owed resync,
    /// the namespace check.
    fn next_wake(&self) -> Option<Duration> {
        if !self.batch.is_empty() {
            Some(HOLD)
        } else if self.overflow_owed {
            Some(RETRY)
        } else if self.netns.is_some() {
            Some(NETNS_CHECK)
        } else {
            None
        }
    }

    async fn run(&mut self, stop: Arc<Notify>) {
        // SAFETY: the fd belongs to `self.sock`, which outlives `fd` (both
        // live in this task, and `fd` is dropped first, at the end of run).
        let fd = match unsafe {
            AsyncFd::register_with_interest(SockFd(self.sock.fd()), Interest::READABLE)
        } {
            Ok(fd) => fd,
            Err(_) => {
                // Cannot be watched: say so rather than go quiet.
                self.push(Item::ResyncNeeded {
                    reason: ResyncReason::Enobufs,
                });
                self.flush(true);
                return;
            }
        };
        while !self.stopping() {
            let wake = self.next_wake();
            tokio::select! {
                biased;
                _ = stop.notified() => break,
                ready = fd.readable() => {
                    let Ok(mut guard) = ready else { break };
                    match self.drain() {
                        Drained::Gone => break,
                        Drained::Empty => guard.clear_ready(),
                        Drained::Budget => tokio::task::yield_now().await,
                    }
                    // In a burst (data again within BURST_GAP), let messages
                    // gather in the socket buffer for a moment instead of
                    // waking for each one: the wake-ups, not the copying, are
                    // what a burst costs. An isolated change is read at once.
                    let now = Instant::now();
                    if now.duration_since(self.last_data) < BURST_GAP && !self.stopping() {
                        std::thread::sleep(GATHER);
                    }
                    self.last_data = now;
                }
                _ = tokio::time::sleep(wake.unwrap_or(Duration::MAX)), if wake.is_some() => {}
            }
            if !self.flush(false) || !self.netns_still_there() {
                break;
            }
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
        self.last_netns_check = Instant::now();
        if identity.still_there() {
            return true;
        }
        let path = identity.path.clone();
        self.flush(true);
        self.shared.queued.fetch_add(1, Ordering::AcqRel);
        self.sink.deliver(vec![Item::NetnsGone { path }]);
        false
    }

    /// Reads until the socket is empty or the turn's budget is spent,
    /// handing over a batch every BATCH_ITEMS items.
    fn drain(&mut self) -> Drained {
        // Configured table/protocol names, re-read if a file changed.
        crate::names::refresh();
        for _ in 0..TURN_CALLS {
            if self.stopping() {
                return Drained::Gone;
            }
            match self.sock.recv_many(&mut self.batch_in) {
                RecvMany::Empty => return Drained::Empty,
                RecvMany::Overrun => {
                    self.shared.stats.enobufs.fetch_add(1, Ordering::Relaxed);
                    self.push(Item::ResyncNeeded {
                        reason: ResyncReason::Enobufs,
                    });
                }
                RecvMany::Failed(_) => {
                    // Nothing else is expected from a bound netlink socket; a
                    // resync tells the consumer its view may be stale.
                    self.push(Item::ResyncNeeded {
                        reason: ResyncReason::Enobufs,
                    });
                    return Drained::Empty;
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
                            self.push(Item::ResyncNeeded {
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
                    if self.batch.len() >= BATCH_ITEMS && !self.flush(true) {
                        return Drained::Gone;
                    }
                    // A short read is not proof of an empty queue: the kernel
                    // reports an ENOBUFS met after some datagrams on the next
                    // call, and the reactor's readiness is edge-triggered.
                    // Read on until EAGAIN.
                }
            }
        }
        Drained::Budget
    }

    fn decode_datagram(
        &mut self,
        slot: usize,
        len: usize,
        received_at: u64,
        nsid: Option<Option<i32>>,
    ) {
        let mut events: Vec<Event> = Vec::new();
        let datagram = self.batch_in.datagram(slot, len);
        let decode = self.decode;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            for msg in wire::messages(datagram) {
                match msg {
                    Ok(m) => match m.kind {
                        NLMSG_NOOP | NLMSG_DONE | NLMSG_OVERRUN => {}
                        _ if m.kind == NLMSG_ERROR => {}
                        _ => {
                            let start = events.len();
                            decode_events_with(m.kind, m.payload, decode, &mut events);
                            // Only the flags that say what a new_* did (REPLACE, EXCL, CREATE, APPEND).
                            for event in &mut events[start..] {
                                event.nlmsg_flags = m.flags & 0x0f00;
                            }
                        }
                    },
                    // A framing error: the whole datagram goes along, so its bytes are not lost.
                    Err(e) => events.push(Event::undecodable(0, datagram, Some(e.0))),
                }
            }
        }));
        if outcome.is_err() {
            events.push(Event::undecodable(
                0,
                datagram,
                Some("the decoder panicked on this datagram".into()),
            ));
        }
        let stats = &self.shared.stats;
        stats
            .received
            .fetch_add(events.len() as u64, Ordering::Relaxed);
        for mut event in events {
            event.received_at = received_at;
            event.nsid = nsid;
            if event.error.is_some() {
                self.shared
                    .stats
                    .decode_failures
                    .fetch_add(1, Ordering::Relaxed);
            }
            self.push(Item::Event(event));
        }
    }

    fn push(&mut self, item: Item) {
        if matches!(item, Item::Event(_)) {
            self.events += 1;
        }
        self.batch.push(item);
    }

    /// Hands the batch to the sink if the queue has room; otherwise drops it
    /// and owes a resync. Unless `full`, a batch is held while the previous
    /// one still waits for the consumer's thread. Returns false when the
    /// consumer is gone.
    fn flush(&mut self, full: bool) -> bool {
        if self.batch.is_empty() && !self.overflow_owed {
            return true;
        }
        if !full && !self.batch.is_empty() && self.last_flush.elapsed() < LINGER {
            return true;
        }
        if !full && self.sink.reports_taken() && self.shared.in_flight.load(Ordering::Acquire) > 0 {
            return true;
        }
        let queued = self.shared.queued.load(Ordering::Acquire);
        let extra = usize::from(self.overflow_owed);
        if queued + self.batch.len() + extra > self.max_queued {
            // Dropped resync notices are covered by the overflow resync owed now.
            self.shared
                .stats
                .dropped
                .fetch_add(self.events as u64, Ordering::Relaxed);
            self.overflow_owed = true;
            self.batch.clear();
            self.events = 0;
            return true;
        }
        let mut items = std::mem::replace(&mut self.batch, Vec::with_capacity(256));
        if self.overflow_owed {
            items.insert(
                0,
                Item::ResyncNeeded {
                    reason: ResyncReason::Overflow,
                },
            );
        }
        let stats = &self.shared.stats;
        stats
            .delivered
            .fetch_add(self.events as u64, Ordering::Relaxed);
        stats
            .resyncs
            .fetch_add((items.len() - self.events) as u64, Ordering::Relaxed);
        self.events = 0;
        self.overflow_owed = false;
        self.last_flush = Instant::now();
        self.shared.queued.fetch_add(items.len(), Ordering::AcqRel);
        if self.sink.reports_taken() {
            self.shared.in_flight.fetch_add(1, Ordering::AcqRel);
        }
        self.shared.stats.batches.fetch_add(1, Ordering::Relaxed);
        self.sink.deliver(items)
    }
}
