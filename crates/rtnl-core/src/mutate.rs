//! Changes: add, replace, append, set and delete of every kind, encoded from
//! the same JSON structs `list()` returns (each kind module's `encode`, read
//! through spec.rs), and sent as one pipelined batch on one socket.
//!
//! Threads: `apply_here` and `apply_json` run on a namespace thread
//! (nsthread.rs) inside the target namespace, where the socket is made, and
//! block it until the kernel has answered every request. `apply_json` also
//! runs one scoped encoding thread ("rtnl-encode") for the call: the kernel
//! does its work inside the namespace thread's sendmsg, so encoding on
//! another core overlaps it instead of preceding it.
//!
//! Netlink has no transactions. A batch is a sequence: the kernel handles
//! the requests in order, each on its own, and answers each with an ACK or
//! an error; a failed request does not stop the ones after it. Every
//! request gets its own result, in input order.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

pub use crate::change::{
    unsupported, Request, Verb, NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE,
};
use crate::error::Error;
use crate::kinds::Kind;
use crate::netns::{self, Netns};
use crate::protocol::{kernel_error, message, push_attr, NLM_F_REQUEST};
use crate::socket::{Recv, RouteSocket};
use crate::wire::{self, NLMSG_ERROR, NLMSG_NOOP};

/// Encodes one change of `kind` from its JSON struct. Every field is checked
/// here, before anything is sent.
pub fn encode(kind: Kind, verb: Verb, obj: &Map<String, Value>) -> Result<Request, Error> {
    let unsupported = || {
        Err(Error::other(
            "ERR_RTNL_UNSUPPORTED",
            format!(
                "{}.{}: not a change this library makes",
                kind.name(),
                verb.name()
            ),
        ))
    };
    match kind.decl().encode {
        Some(encode) => encode(verb, obj),
        None => unsupported(),
    }
}

/// One change as JS hands it over: `{ kind, verb, object }`, the object
/// kept as text until it is encoded (a hundred thousand parsed maps at once
/// would cost more memory than the routes).
#[derive(Deserialize)]
pub struct JsonOp<'a> {
    pub kind: &'a str,
    pub verb: &'a str,
    #[serde(borrow)]
    pub object: &'a RawValue,
}

/// Encodes one change given as JSON; an unknown kind or verb, or an object
/// that is not a JSON object, is an invalid argument.
pub fn encode_json(op: &JsonOp<'_>) -> Result<Request, Error> {
    let kind = Kind::from_name(op.kind).ok_or_else(|| {
        Error::other(
            "ERR_INVALID_ARG_VALUE",
            format!("batch: unknown kind '{}'", op.kind),
        )
    })?;
    let verb = Verb::from_name(op.verb).ok_or_else(|| {
        Error::other(
            "ERR_INVALID_ARG_VALUE",
            format!(
                "batch: unknown verb '{}'; expected add, replace, append, set or del",
                op.verb
            ),
        )
    })?;
    let object: Map<String, Value> = serde_json::from_str(op.object.get()).map_err(|e| {
        Error::other(
            "ERR_INVALID_ARG_VALUE",
            format!("{}.{}: {e}", op.kind, op.verb),
        )
    })?;
    encode(kind, verb, &object)
}

/// How `apply_json` sends its ops.
#[derive(Deserialize, Default, PartialEq, Eq, Clone, Copy, Debug)]
#[serde(rename_all = "kebab-case")]
pub enum ApplyMode {
    /// batch(): encoding overlaps sending; an op that does not encode fails
    /// alone.
    #[default]
    Pipelined,
    /// reconcile(): every op is encoded before the first is sent; when one
    /// does not encode, none is sent and the call fails with its error.
    AllOrNothing,
    /// A dry run: encoded and checked as AllOrNothing, never sent.
    Validate,
}

/// Encoded chunks waiting for the sender at most.
const ENCODED_CHUNKS_AHEAD: usize = 4;

/// Applies the ops of `chunks` in order, one result per op pulled (see
/// `apply_here_until` for `abort`). Each chunk is a
/// JSON array of `{ kind, verb, object }`; they may arrive as the caller
/// builds them (the binding's JS thread stringifies the next chunk while
/// this one is encoded and the one before is sent). Runs on a namespace
/// thread; see the module comment for its encoding thread.
/// A chunk that is not a JSON array of ops fails the call (the ops of the
/// chunks before it may have been sent, in Pipelined mode).
pub fn apply_json(
    chunks: impl IntoIterator<Item = String> + Send,
    mode: ApplyMode,
    abort: &AtomicBool,
) -> Result<Vec<Result<(), Error>>, Error> {
    if mode != ApplyMode::Pipelined {
        let mut encoded = Vec::new();
        for chunk in chunks {
            for op in parse_chunk(&chunk)? {
                let i = encoded.len();
                encoded.push(encode_json(&op).map_err(|mut e| {
                    e.message = format!(
                        "nothing was sent: change {i} ({} of {}) is invalid: {}",
                        op.verb, op.kind, e.message
                    );
                    e
                })?);
            }
        }
        if mode == ApplyMode::Validate {
            return Ok(encoded.iter().map(|_| Ok(())).collect());
        }
        return apply_here_until(encoded.into_iter().map(Ok), abort);
    }
    std::thread::scope(|scope| {
        let (tx, rx) =
            std::sync::mpsc::sync_channel::<Vec<Result<Request, Error>>>(ENCODED_CHUNKS_AHEAD);
        let encoder = std::thread::Builder::new()
            .name("rtnl-encode".into())
            .spawn_scoped(scope, move || -> Result<(), Error> {
                for chunk in chunks {
                    let encoded = parse_chunk(&chunk)?.iter().map(encode_json).collect();
                    if tx.send(encoded).is_err() {
                        break; // the sender stopped (a socket error): it reports why
                    }
                }
                Ok(())
            })
            .map_err(|e| Error::from_io(&e, "clone", "starting the encoding thread"))?;
        let results = apply_here_until(rx.into_iter().flatten(), abort);
        encoder.join().unwrap_or_else(|_| {
            Err(Error::other(
                "ERR_RTNL_INTERNAL",
                "the encoding thread panicked",
            ))
        })?;
        results
    })
}

fn parse_chunk(chunk: &str) -> Result<Vec<JsonOp<'_>>, Error> {
    serde_json::from_str(chunk)
        .map_err(|e| Error::other("ERR_INVALID_ARG_VALUE", format!("batch: {e}")))
}

/// Requests in flight at most: their answers must fit the socket's receive
/// buffer (ACKs are small with NETLINK_CAP_ACK; an error carries its
/// extended-ack text).
const WINDOW: usize = 1024;
/// The most bytes of requests in one sendmsg.
const DATAGRAM: usize = 64 * 1024;
/// A barrier after this many requests: the most errors that can be queued
/// unread at once (each is small: NETLINK_CAP_ACK).
const BARRIER_EVERY: usize = 256;
/// After an abort, how long the answers of what was sent are waited for.
const ANSWERS_AFTER_ABORT: std::time::Duration = std::time::Duration::from_secs(1);
const NETLINK_CAP_ACK: libc::c_int = 10;
const SOL_NETLINK: libc::c_int = 270;

/// `apply_here_until` without an abort.
pub fn apply_here(
    reqs: impl IntoIterator<Item = Result<Request, Error>>,
) -> Result<Vec<Result<(), Error>>, Error> {
    apply_here_until(reqs, &AtomicBool::new(false))
}

/// Sends every request that encoded, pipelined (many per datagram, up to
/// WINDOW unanswered), and collects the kernel's answer to each. Runs on a
/// namespace thread. The result at index i answers the i-th item of `reqs`;
/// an item that did not encode keeps its error and is not sent; a request
/// larger than the socket can send fails alone with EMSGSIZE.
///
/// `reqs` is pulled as the window has room, so it may be fed by another
/// thread as it encodes (apply_json does): encoding then overlaps the
/// kernel's work, which runs inside this thread's sendmsg.
///
/// `abort` (set by another thread) stops it before the next datagram: the
/// requests not yet sent get ERR_RTNL_NOT_SENT, nothing more is pulled,
/// and the answers of what was sent are waited for up to a second (one
/// NLMSG_NOOP, which changes nothing, asks for them). The result then has
/// one entry per item pulled, fewer than `reqs` holds.
pub fn apply_here_until(
    reqs: impl IntoIterator<Item = Result<Request, Error>>,
    abort: &AtomicBool,
) -> Result<Vec<Result<(), Error>>, Error> {
    let sock = RouteSocket::open()?;
    sock.enable_dump_options();
    let one: libc::c_int = 1;
    // SAFETY: a valid fd and an int option. Best effort: without it, an
    // error echoes the whole request, which only costs buffer space.
    unsafe {
        libc::setsockopt(
            sock.fd(),
            SOL_NETLINK,
            NETLINK_CAP_ACK,
            &one as *const _ as *const libc::c_void,
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
    let _ = sock.set_rcvbuf(4 << 20);
    let mut b = Pipeline {
        port: sock.port_id()?,
        sock,
        results: Vec::new(),
        sent: Vec::new(),
        flushed: 0,
        settled: 0,
        in_flight: 0,
        datagram: Vec::with_capacity(DATAGRAM + 4096),
        buf: vec![0u8; 256 * 1024],
    };
    let mut reqs = reqs.into_iter();
    let mut since_barrier = 0usize;
    let mut exhausted = false;
    let aborted = || abort.load(Ordering::Acquire);
    loop {
        // Fill the window. Requests go without NLM_F_ACK: the kernel answers
        // only those that fail. A barrier (NLMSG_NOOP with NLM_F_ACK, which
        // the kernel acknowledges in order) follows every BARRIER_EVERY
        // requests and the last one: its ACK says that every request before
        // it without an error succeeded. Half the answers, half the work.
        while !exhausted && b.in_flight < WINDOW && !aborted() {
            match reqs.next() {
                None => exhausted = true,
                Some(Err(e)) => b.results.push(Some(Err(e))),
                Some(Ok(req)) => {
                    b.request(req)?;
                    since_barrier += 1;
                }
            }
            if since_barrier == BARRIER_EVERY {
                b.barrier()?;
                since_barrier = 0;
            }
        }
        if aborted() {
            return b.abort();
        }
        // Every request in flight has a barrier after it before this thread
        // waits (else it could wait for an answer nothing will bring).
        if since_barrier > 0 {
            b.barrier()?;
            since_barrier = 0;
        }
        b.flush()?;
        if b.in_flight == 0 {
            if exhausted {
                break;
            }
            continue;
        }
        b.read_answers(None)?;
    }
    Ok(b.finish("EPROTO", "no answer from the kernel"))
}

/// The state of one `apply_here_until`.
struct Pipeline {
    sock: RouteSocket,
    port: u32,
    /// One per item pulled; None while a request waits for its answer.
    results: Vec<Option<Result<(), Error>>>,
    /// Per sequence number (seq - 1): a request (its result slot, its
    /// `what` for an error, the namespace fds it holds open until answered)
    /// or a barrier.
    sent: Vec<Sent>,
    /// sent[..flushed] have left in a datagram; the rest are in `datagram`.
    flushed: usize,
    /// sent[..settled] are all answered.
    settled: usize,
    /// Requests sent or queued and not yet answered.
    in_flight: usize,
    datagram: Vec<u8>,
    buf: Vec<u8>,
}

impl Pipeline {
    /// Queues one request (opening the namespace files it names).
    fn request(&mut self, req: Request) -> Result<(), Error> {
        let slot = self.results.len();
        self.results.push(None);
        let mut body = req.body;
        let mut opened = Vec::new();
        for (attr, ns) in &req.netns_fds {
            match open_netns(ns) {
                Ok(fd) => {
                    opened.push(fd);
                    push_attr(&mut body, *attr, &(fd as u32).to_ne_bytes());
                }
                Err(mut e) => {
                    close_all(&opened);
                    e.message = format!("{}: {}", req.what, e.message);
                    self.results[slot] = Some(Err(e));
                    return Ok(());
                }
            }
        }
        let seq = self.sent.len() as u32 + 1;
        self.append(&message(
            req.msg_type,
            req.flags | NLM_F_REQUEST,
            seq,
            &body,
        ))?;
        self.sent.push(Sent::Request {
            slot,
            what: req.what,
            fds: opened,
        });
        self.in_flight += 1;
        Ok(())
    }

    /// Queues a barrier: an NLMSG_NOOP with NLM_F_ACK, acknowledged in order
    /// after every request before it.
    fn barrier(&mut self) -> Result<(), Error> {
        let seq = self.sent.len() as u32 + 1;
        self.append(&message(NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, seq, &[]))?;
        self.sent.push(Sent::Barrier);
        Ok(())
    }

    /// Appends a message (whose entry is not in `sent` yet) to the datagram
    /// being built, sending that first when the message would not fit: a
    /// message larger than DATAGRAM always leaves alone.
    fn append(&mut self, msg: &[u8]) -> Result<(), Error> {
        if !self.datagram.is_empty() && self.datagram.len() + msg.len() > DATAGRAM {
            self.flush()?;
        }
        self.datagram.extend_from_slice(msg);
        Ok(())
    }

    /// Sends the datagram being built. A lone request the socket cannot send
    /// (EMSGSIZE: larger than its send buffer) fails alone.
    fn flush(&mut self) -> Result<(), Error> {
        if self.datagram.is_empty() {
            return Ok(());
        }
        let sent = self.sock.send(&self.datagram);
        self.datagram.clear();
        let queued = self.flushed..self.sent.len();
        self.flushed = self.sent.len();
        match sent {
            Ok(()) => Ok(()),
            Err(e) if e.errno == Some(libc::EMSGSIZE) && queued.len() == 1 => {
                self.settle(queued.start, |what| {
                    Err(Error::sys(
                        libc::EMSGSIZE,
                        "sendto",
                        None,
                        &format!("{what}: the request is larger than a netlink socket sends at once; not sent"),
                    ))
                });
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Gives request `at` of `sent` its result (a barrier: nothing), once.
    fn settle(&mut self, at: usize, result: impl FnOnce(&str) -> Result<(), Error>) {
        if let Sent::Request { slot, what, fds } = &mut self.sent[at] {
            if self.results[*slot].is_none() {
                self.results[*slot] = Some(result(what));
                *what = String::new();
                close_all(fds);
                fds.clear();
                self.in_flight -= 1;
            }
        }
    }

    /// Reads one datagram of answers (errors of failed requests and barrier
    /// ACKs), waiting for it up to `timeout` (None: as long as it takes).
    /// Ok(false): none came in time.
    fn read_answers(&mut self, timeout: Option<std::time::Duration>) -> Result<bool, Error> {
        if let Some(t) = timeout {
            let mut pfd = libc::pollfd {
                fd: self.sock.fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            let n = unsafe { libc::poll(&mut pfd, 1, t.as_millis().min(i32::MAX as u128) as i32) };
            if n == 0 {
                return Ok(false);
            }
        }
        let len = match self.sock.recv(&mut self.buf, false) {
            Recv::Datagram { sender, .. } if sender != 0 => return Ok(true),
            Recv::Datagram { len, .. } => len,
            Recv::Empty => return Ok(true),
            Recv::Overrun => {
                return Err(Error::sys(
                    libc::ENOBUFS,
                    "recvmsg",
                    None,
                    "reading the kernel's answers to a batch",
                ))
            }
            Recv::Failed(errno) => {
                return Err(Error::sys(
                    errno,
                    "recvmsg",
                    None,
                    "reading the kernel's answers to a batch",
                ))
            }
        };
        let buf = std::mem::take(&mut self.buf);
        let answered = self.answers(&buf[..len]);
        self.buf = buf;
        answered.map(|()| true)
    }

    fn answers(&mut self, datagram: &[u8]) -> Result<(), Error> {
        for msg in wire::messages(datagram) {
            let msg = msg.map_err(|e| {
                Error::other("EPROTO", format!("a malformed answer to a batch: {e}"))
            })?;
            if msg.kind != NLMSG_ERROR || (msg.pid != self.port && msg.pid != 0) {
                continue;
            }
            let Some(at) = (msg.seq as usize)
                .checked_sub(1)
                .filter(|&i| i < self.flushed)
            else {
                continue;
            };
            let errno = -wire::i32_at(msg.payload, 0).unwrap_or(-libc::EIO);
            match self.sent[at] {
                Sent::Request { .. } => self.settle(at, |what| {
                    if errno == 0 {
                        Ok(())
                    } else {
                        Err(privilege(kernel_error(&msg, what)))
                    }
                }),
                Sent::Barrier => {
                    // Everything before it was handled in order: what has
                    // no error succeeded.
                    for i in self.settled..at {
                        self.settle(i, |_| Ok(()));
                    }
                    self.settled = self.settled.max(at + 1);
                }
            }
        }
        Ok(())
    }

    /// Stops after an abort: what is queued is not sent, what was sent is
    /// waited for up to ANSWERS_AFTER_ABORT.
    fn abort(mut self) -> Result<Vec<Result<(), Error>>, Error> {
        for at in self.flushed..self.sent.len() {
            self.settle(at, |what| {
                Err(Error::other(
                    "ERR_RTNL_NOT_SENT",
                    format!("{what}: not sent: the batch was aborted before this change"),
                ))
            });
        }
        self.sent.truncate(self.flushed);
        self.datagram.clear();
        if self.in_flight > 0 {
            self.barrier()?;
            self.flush()?;
            let deadline = std::time::Instant::now() + ANSWERS_AFTER_ABORT;
            while self.in_flight > 0 {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                if left.is_zero() || !self.read_answers(Some(left))? {
                    break;
                }
            }
        }
        Ok(self.finish(
            "ETIMEDOUT",
            "sent, but its answer did not come within a second of the abort: whether it was made is not known",
        ))
    }

    /// The results, a request still unanswered failing with `code`.
    fn finish(mut self, code: &str, message: &str) -> Vec<Result<(), Error>> {
        for at in 0..self.sent.len() {
            self.settle(at, |what| {
                Err(Error::other(code, format!("{what}: {message}")))
            });
        }
        self.results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(Error::other(code, message))))
            .collect()
    }
}

/// What one sequence number of a batch was.
enum Sent {
    Request {
        slot: usize,
        what: String,
        fds: Vec<libc::c_int>,
    },
    /// An NLMSG_NOOP with NLM_F_ACK.
    Barrier,
}

/// EPERM from the kernel: the change needs CAP_NET_ADMIN in the namespace.
fn privilege(mut e: Error) -> Error {
    if e.errno == Some(libc::EPERM) {
        e.message.push_str(
            " (changing the network needs CAP_NET_ADMIN in the target namespace: run as root or grant the capability)",
        );
    }
    e
}

fn open_netns(ns: &Netns) -> Result<libc::c_int, Error> {
    // The host: the namespace of the process's main thread (this thread is
    // in the target namespace, /proc/thread-self would name that one).
    let path = ns.path().unwrap_or_else(|| "/proc/self/ns/net".to_string());
    netns::open_file(&path, "opening a namespace file", "path")
}

fn close_all(fds: &[libc::c_int]) {
    for &fd in fds {
        // SAFETY: fds this module opened, closed once.
        unsafe { libc::close(fd) };
    }
}
