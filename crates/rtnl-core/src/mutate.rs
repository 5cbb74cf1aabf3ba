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

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

pub use crate::change::{
    unsupported, Request, Verb, NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE,
};
use crate::error::Error;
use crate::message::Kind;
use crate::netns::{self, Netns};
use crate::protocol::{kernel_error, message, push_attr, NLM_F_REQUEST};
use crate::socket::{Recv, RouteSocket};
use crate::tc::TcObject;
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
    match kind {
        Kind::Link => crate::link::encode(verb, obj),
        Kind::Address => crate::address::encode(verb, obj),
        Kind::Route => crate::route::encode(verb, obj),
        Kind::Rule => crate::rule::encode(verb, obj),
        Kind::Neighbour => crate::neighbour::encode(verb, obj),
        Kind::Nexthop => crate::nexthop::encode(verb, obj),
        Kind::Qdisc => crate::tc::encode(TcObject::Qdisc, verb, obj),
        Kind::TcClass => crate::tc::encode(TcObject::Class, verb, obj),
        Kind::TcFilter => crate::tc::encode(TcObject::Filter, verb, obj),
        Kind::TcChain => crate::tc::encode(TcObject::Chain, verb, obj),
        _ => {
            let _ = obj;
            unsupported()
        }
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

/// Applies the ops of `chunks` in order, one result per op. Each chunk is a
/// JSON array of `{ kind, verb, object }`; they may arrive as the caller
/// builds them (the binding's JS thread stringifies the next chunk while
/// this one is encoded and the one before is sent). Runs on a namespace
/// thread; see the module comment for its encoding thread.
/// A chunk that is not a JSON array of ops fails the call (the ops of the
/// chunks before it may have been sent, in Pipelined mode).
pub fn apply_json(
    chunks: impl IntoIterator<Item = String> + Send,
    mode: ApplyMode,
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
        return apply_here(encoded.into_iter().map(Ok));
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
        let results = apply_here(rx.into_iter().flatten());
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
const NETLINK_CAP_ACK: libc::c_int = 10;
const SOL_NETLINK: libc::c_int = 270;

/// Sends every request that encoded, pipelined (many per datagram, up to
/// WINDOW unanswered), and collects the kernel's answer to each. Runs on a
/// namespace thread. The result at index i answers the i-th item of `reqs`;
/// an item that did not encode keeps its error and is not sent.
///
/// `reqs` is pulled as the window has room, so it may be fed by another
/// thread as it encodes (the binding does): encoding then overlaps the
/// kernel's work, which runs inside this thread's sendmsg.
pub fn apply_here(
    reqs: impl IntoIterator<Item = Result<Request, Error>>,
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
    let port = sock.port_id()?;

    let mut reqs = reqs.into_iter();
    let mut results: Vec<Option<Result<(), Error>>> = Vec::new();
    // Per sequence number (seq - 1): a request (its result slot, its `what`
    // for an error, the namespace fds it holds open until answered) or a
    // barrier.
    let mut sent: Vec<Sent> = Vec::new();
    // sent[..settled] are all answered.
    let mut settled = 0usize;
    // Requests sent and not yet answered.
    let mut in_flight = 0usize;
    let mut since_barrier = 0usize;
    let mut exhausted = false;
    let mut datagram: Vec<u8> = Vec::with_capacity(DATAGRAM + 4096);
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        // Fill the window. Requests go without NLM_F_ACK: the kernel answers
        // only those that fail. A barrier (NLMSG_NOOP with NLM_F_ACK, which
        // the kernel acknowledges in order) follows every BARRIER_EVERY
        // requests and the last one: its ACK says that every request before
        // it without an error succeeded. Half the answers, half the work.
        while !exhausted && in_flight < WINDOW {
            let item = reqs.next();
            if item.is_none() {
                exhausted = true;
            }
            if let Some(item) = item {
                let req = match item {
                    Ok(req) => req,
                    Err(e) => {
                        results.push(Some(Err(e)));
                        continue;
                    }
                };
                let slot = results.len();
                results.push(None);
                let mut body = req.body;
                let mut opened = Vec::new();
                let mut failed = None;
                for (attr, ns) in &req.netns_fds {
                    match open_netns(ns) {
                        Ok(fd) => {
                            opened.push(fd);
                            push_attr(&mut body, *attr, &(fd as u32).to_ne_bytes());
                        }
                        Err(e) => {
                            failed = Some(e);
                            break;
                        }
                    }
                }
                if let Some(mut e) = failed {
                    close_all(&opened);
                    e.message = format!("{}: {}", req.what, e.message);
                    results[slot] = Some(Err(e));
                    continue;
                }
                sent.push(Sent::Request {
                    slot,
                    what: req.what,
                    fds: opened,
                });
                append(
                    &sock,
                    &mut datagram,
                    &message(
                        req.msg_type,
                        req.flags | NLM_F_REQUEST,
                        sent.len() as u32,
                        &body,
                    ),
                )?;
                in_flight += 1;
                since_barrier += 1;
            }
            if since_barrier == BARRIER_EVERY {
                push_barrier(&sock, &mut datagram, &mut sent)?;
                since_barrier = 0;
            }
        }
        // Every request in flight has a barrier after it before this thread
        // waits (else it could wait for an answer nothing will bring).
        if since_barrier > 0 {
            push_barrier(&sock, &mut datagram, &mut sent)?;
            since_barrier = 0;
        }
        if !datagram.is_empty() {
            sock.send(&datagram)?;
            datagram.clear();
        }
        if in_flight == 0 {
            if exhausted {
                break;
            }
            continue;
        }
        // Read answers: errors of failed requests, and barrier ACKs.
        let len = match sock.recv(&mut buf, false) {
            Recv::Datagram { sender, .. } if sender != 0 => continue,
            Recv::Datagram { len, .. } => len,
            Recv::Empty => continue,
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
        for msg in wire::messages(&buf[..len]) {
            let msg = msg.map_err(|e| {
                Error::other("EPROTO", format!("a malformed answer to a batch: {e}"))
            })?;
            if msg.kind != NLMSG_ERROR || (msg.pid != port && msg.pid != 0) {
                continue;
            }
            let Some(at) = (msg.seq as usize)
                .checked_sub(1)
                .filter(|&i| i < sent.len())
            else {
                continue;
            };
            let errno = -wire::i32_at(msg.payload, 0).unwrap_or(-libc::EIO);
            match &mut sent[at] {
                Sent::Request { slot, what, fds } => {
                    if results[*slot].is_none() {
                        results[*slot] = Some(if errno == 0 {
                            Ok(())
                        } else {
                            Err(privilege(kernel_error(&msg, what)))
                        });
                        *what = String::new();
                        close_all(fds);
                        fds.clear();
                        in_flight -= 1;
                    }
                }
                Sent::Barrier => {
                    // Everything before it was handled in order: what has
                    // no error succeeded.
                    for entry in &mut sent[settled..at] {
                        if let Sent::Request { slot, what, fds } = entry {
                            if results[*slot].is_none() {
                                results[*slot] = Some(Ok(()));
                                *what = String::new();
                                close_all(fds);
                                fds.clear();
                                in_flight -= 1;
                            }
                        }
                    }
                    settled = settled.max(at + 1);
                }
            }
        }
    }
    Ok(results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(Error::other("EPROTO", "no answer from the kernel"))))
        .collect())
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

/// A barrier after this many requests: the most errors that can be queued
/// unread at once (each is small: NETLINK_CAP_ACK).
const BARRIER_EVERY: usize = 256;

/// Appends a barrier: an NLMSG_NOOP with NLM_F_ACK, acknowledged in order
/// after every request before it.
fn push_barrier(
    sock: &RouteSocket,
    datagram: &mut Vec<u8>,
    sent: &mut Vec<Sent>,
) -> Result<(), Error> {
    sent.push(Sent::Barrier);
    let msg = message(
        NLMSG_NOOP,
        NLM_F_REQUEST | NLM_F_ACK,
        sent.len() as u32,
        &[],
    );
    append(sock, datagram, &msg)
}

/// Appends a message to the datagram being built, sending it first when the
/// message would not fit.
fn append(sock: &RouteSocket, datagram: &mut Vec<u8>, msg: &[u8]) -> Result<(), Error> {
    if !datagram.is_empty() && datagram.len() + msg.len() > DATAGRAM {
        sock.send(datagram)?;
        datagram.clear();
    }
    datagram.extend_from_slice(msg);
    Ok(())
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
