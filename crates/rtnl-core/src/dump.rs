//! Requests on a socket of their own, never a monitor's: dumps (`list()`),
//! with kernel-side filters where the kernel has them, and single `get`s.
//! Replies are decoded by the same per-kind decoders as events.
//!
//! Threads: `spawn_in` runs each request on a short-lived OS thread of its
//! own that enters the namespace, does the work and exits, so setns never
//! touches the caller's thread (the Node main thread, libuv or tokio).

use std::net::IpAddr;

use crate::error::Error;
use crate::message::{classify, decode_resource_with, Kind, Resource};
use crate::netns::{self, Netns};
use crate::socket::{Recv, RouteSocket};
use crate::wire::{self, NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP_INTR};
use crate::{link, route};

const NLM_F_REQUEST: u16 = 0x1;
const NLM_F_DUMP: u16 = 0x300;
/// NLM_F_ACK_TLVS in an NLMSG_ERROR: extended-ack attributes follow.
const NLM_F_ACK_TLVS: u16 = 0x200;
/// NLM_F_CAPPED: the echoed request is only its header.
const NLM_F_CAPPED: u16 = 0x100;
const NLMSGERR_ATTR_MSG: u16 = 1;
/// A dump interrupted by a concurrent change is retried this many times.
const DUMP_ATTEMPTS: usize = 5;
/// The kernel sizes dump datagrams to at most 32 KiB; this leaves room.
const RECV_BUF: usize = 256 * 1024;

const RTA_DST: u16 = 1;
const RTA_SRC: u16 = 2;
const RTA_IIF: u16 = 3;
const RTA_OIF: u16 = 4;
const RTA_TABLE: u16 = 15;
const RTA_MARK: u16 = 16;
const IFLA_IFNAME: u16 = 3;
const NDA_IFINDEX: u16 = 8;

/// What a dump keeps. Each field is sent to the kernel where it filters
/// (strict checking: family for every kind, table for routes, ifindex for
/// addresses and neighbours) and applied again here, so the result is the
/// same on kernels that ignore a filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// AF_INET (2), AF_INET6 (10), or for neighbours AF_BRIDGE (7).
    pub family: Option<u8>,
    /// Routes only: the effective table.
    pub table: Option<u32>,
    /// Addresses and neighbours only: the link's ifindex.
    pub ifindex: Option<u32>,
    /// What the decoder includes (as a monitor's `Config::decode`).
    pub decode: crate::message::DecodeOptions,
}

impl Filter {
    pub fn keeps(&self, r: &Resource) -> bool {
        let family = match r {
            Resource::Link(l) => l.family,
            Resource::Address(a) => a.family,
            Resource::Route(r) => r.family,
            Resource::Neighbour(n) => n.family,
            Resource::Rule(r) => r.family,
        };
        if self.family.is_some_and(|f| f != family) {
            return false;
        }
        match r {
            Resource::Route(r) => self.table.is_none_or(|t| t == r.table),
            Resource::Address(a) => self.ifindex.is_none_or(|i| i == a.index),
            Resource::Neighbour(n) => self.ifindex.is_none_or(|i| i as i64 == n.ifindex as i64),
            _ => true,
        }
    }
}

/// Runs `work` on a new thread that first enters `netns`, then calls `done`
/// with the result on that thread and exits. Panics are caught and reported.
pub fn spawn_in<T, W, D>(netns: Netns, work: W, done: D) -> Result<(), Error>
where
    T: Send + 'static,
    W: FnOnce() -> Result<T, Error> + Send + 'static,
    D: FnOnce(Result<T, Error>) + Send + 'static,
{
    std::thread::Builder::new()
        .name("rtnl-request".into())
        .stack_size(crate::monitor::THREAD_STACK)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                netns::enter(&netns)?;
                work()
            }))
            .unwrap_or_else(|_| {
                Err(Error::other(
                    "ERR_RTNL_INTERNAL",
                    "a request thread panicked",
                ))
            });
            done(result);
        })
        .map(|_| ())
        .map_err(|e| Error::from_io(&e, "clone", "starting a request thread"))
}

/// Runs `work` in `netns` (see `spawn_in`) and waits for it.
pub fn run_in<T, W>(netns: &Netns, work: W) -> Result<T, Error>
where
    T: Send + 'static,
    W: FnOnce() -> Result<T, Error> + Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    spawn_in(netns.clone(), work, move |result| {
        let _ = tx.send(result);
    })?;
    rx.recv().unwrap_or_else(|_| {
        Err(Error::other(
            "ERR_RTNL_INTERNAL",
            "a request thread ended without a result",
        ))
    })
}

/// Lists every object of `kind` in `netns` that `filter` keeps.
pub fn list(kind: Kind, netns: &Netns, filter: Filter) -> Result<Vec<Resource>, Error> {
    run_in(netns, move || {
        let mut out = Vec::new();
        dump_here(kind, &filter, &mut out)?;
        Ok(out)
    })
}

/// Receives dumped objects. `reset` discards what was collected when an
/// interrupted dump (NLM_F_DUMP_INTR) starts over.
pub trait Collect {
    fn reset(&mut self);
    fn push(&mut self, r: Resource);
    /// True once the caller no longer wants the dump (list() aborted): the
    /// reply loop then stops between reads with ECANCELED.
    fn cancelled(&self) -> bool {
        false
    }
}

impl Collect for Vec<Resource> {
    fn reset(&mut self) {
        self.clear();
    }
    fn push(&mut self, r: Resource) {
        Vec::push(self, r)
    }
}

/// A piece of a dump streamed as it is read (see `JsonChunks`).
pub enum Chunk {
    /// The next objects: a JSON array, after a one-byte tag `D`.
    Data(String),
    /// An interrupted dump starts over: drop what came before.
    Reset,
}

/// Collects a dump into JSON arrays of up to `per_chunk` objects, handing
/// each to `emit` as soon as it is full, so the consumer can parse one
/// while the next is read and decoded.
pub struct JsonChunks<F: FnMut(Chunk)> {
    buf: Vec<u8>,
    count: usize,
    per_chunk: usize,
    emit: F,
    cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

impl<F: FnMut(Chunk)> JsonChunks<F> {
    pub fn new(per_chunk: usize, emit: F) -> Self {
        JsonChunks {
            buf: Vec::new(),
            count: 0,
            per_chunk: per_chunk.max(1),
            emit,
            cancel: None,
        }
    }

    /// Stops the dump once `flag` is set (from any thread).
    pub fn cancel_on(mut self, flag: std::sync::Arc<std::sync::atomic::AtomicBool>) -> Self {
        self.cancel = Some(flag);
        self
    }

    /// Hands over what is collected (if anything).
    pub fn flush(&mut self) {
        if self.count == 0 {
            return;
        }
        self.buf.push(b']');
        let json = String::from_utf8(std::mem::take(&mut self.buf)).unwrap_or_default();
        self.count = 0;
        (self.emit)(Chunk::Data(json));
    }
}

impl<F: FnMut(Chunk)> Collect for JsonChunks<F> {
    fn reset(&mut self) {
        self.buf.clear();
        self.count = 0;
        (self.emit)(Chunk::Reset);
    }
    fn push(&mut self, r: Resource) {
        if self.count == 0 {
            self.buf.extend_from_slice(b"D[");
        } else {
            self.buf.push(b',');
        }
        if serde_json::to_writer(&mut self.buf, &r).is_err() {
            self.buf.extend_from_slice(b"null");
        }
        self.count += 1;
        if self.count >= self.per_chunk {
            self.flush();
        }
    }
    fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::Acquire))
    }
}

/// Dumps in the calling thread's namespace. Without a family filter,
/// neighbours dump twice: the neighbour tables (AF_UNSPEC) and the bridge
/// forwarding database (AF_BRIDGE), since both arrive as RTM_NEWNEIGH events
/// on one group.
pub fn dump_here(kind: Kind, filter: &Filter, out: &mut dyn Collect) -> Result<(), Error> {
    crate::names::refresh();
    let sock = RouteSocket::open()?;
    sock.enable_dump_options();
    let port = sock.port_id()?;
    let families: Vec<u8> = match (kind, filter.family) {
        (Kind::Neighbour, None) => vec![0, wire::AF_BRIDGE],
        (_, f) => vec![f.unwrap_or(0)],
    };
    let mut seq = 0;
    // One collector for every family: a retry restarts the whole dump.
    'attempts: for _ in 0..DUMP_ATTEMPTS {
        out.reset();
        for &family in &families {
            seq += 1;
            let req = dump_request(kind, family, filter, seq);
            if !dump_once(&sock, port, kind, seq, &req, filter, out)? {
                continue 'attempts;
            }
        }
        return Ok(());
    }
    Err(Error::other(
        "EDUMPINTR",
        format!(
            "the {} dump was interrupted by concurrent changes {DUMP_ATTEMPTS} times in a row",
            kind.name()
        ),
    ))
}

fn message(kind: u16, flags: u16, seq: u32, body: &[u8]) -> Vec<u8> {
    let len = wire::NLMSG_HDRLEN + body.len();
    let mut req = Vec::with_capacity(len);
    req.extend_from_slice(&(len as u32).to_ne_bytes());
    req.extend_from_slice(&kind.to_ne_bytes());
    req.extend_from_slice(&flags.to_ne_bytes());
    req.extend_from_slice(&seq.to_ne_bytes());
    req.extend_from_slice(&0u32.to_ne_bytes());
    req.extend_from_slice(body);
    req
}

fn push_attr(body: &mut Vec<u8>, kind: u16, data: &[u8]) {
    body.extend_from_slice(&((wire::NLA_HDRLEN + data.len()) as u16).to_ne_bytes());
    body.extend_from_slice(&kind.to_ne_bytes());
    body.extend_from_slice(data);
    body.resize(wire::align4(body.len()), 0);
}

/// The dump request for `kind`, with the filters the kernel applies itself
/// under strict checking.
fn dump_request(kind: Kind, family: u8, filter: &Filter, seq: u32) -> Vec<u8> {
    let mut body = kind.dump_header(family);
    match kind {
        Kind::Route => {
            if let Some(table) = filter.table {
                // rtm_table holds tables below 256; RTA_TABLE any.
                body[4] = if table < 256 { table as u8 } else { 0 };
                push_attr(&mut body, RTA_TABLE, &table.to_ne_bytes());
            }
        }
        Kind::Address => {
            if let Some(ifindex) = filter.ifindex {
                body[4..8].copy_from_slice(&ifindex.to_ne_bytes());
            }
        }
        Kind::Neighbour if family != wire::AF_BRIDGE => {
            if let Some(ifindex) = filter.ifindex {
                push_attr(&mut body, NDA_IFINDEX, &ifindex.to_ne_bytes());
            }
        }
        _ => {}
    }
    message(kind.get_type(), NLM_F_REQUEST | NLM_F_DUMP, seq, &body)
}

/// One dump to NLMSG_DONE. Ok(false) means NLM_F_DUMP_INTR: start over.
fn dump_once(
    sock: &RouteSocket,
    port: u32,
    kind: Kind,
    seq: u32,
    req: &[u8],
    filter: &Filter,
    out: &mut dyn Collect,
) -> Result<bool, Error> {
    sock.send(req)?;
    let mut buf = vec![0u8; RECV_BUF];
    let mut interrupted = false;
    loop {
        wait_readable(sock, &*out)?;
        let len = recv_reply(sock, &mut buf, kind)?;
        for msg in wire::messages(&buf[..len]) {
            let msg = msg.map_err(|e| Error::other("EPROTO", format!("malformed reply: {e}")))?;
            if msg.seq != seq || (msg.pid != port && msg.pid != 0) {
                continue;
            }
            interrupted |= msg.flags & NLM_F_DUMP_INTR != 0;
            match msg.kind {
                // A dump that fails reports the error in NLMSG_DONE's payload.
                NLMSG_DONE if wire::i32_at(msg.payload, 0).unwrap_or(0) < 0 => {
                    return Err(kernel_error(&msg, &format!("dumping {}", kind.name())))
                }
                NLMSG_DONE => return Ok(!interrupted),
                NLMSG_ERROR => return Err(kernel_error(&msg, &format!("dumping {}", kind.name()))),
                t => {
                    if classify(t).map(|(k, _)| k) != Some(kind) {
                        continue;
                    }
                    let r =
                        decode_resource_with(kind, msg.payload, filter.decode).map_err(|e| {
                            Error::other(
                                "EPROTO",
                                format!(
                                    "an entry of the {} dump could not be decoded: {e}",
                                    kind.name()
                                ),
                            )
                        })?;
                    if filter.keeps(&r) {
                        out.push(r);
                    }
                }
            }
        }
    }
}

/// How often a dump waiting for the kernel looks at its cancel flag.
const CANCEL_POLL_MS: libc::c_int = 100;

/// Waits until the socket has a reply, or fails with ECANCELED once the
/// collector is cancelled.
fn wait_readable(sock: &RouteSocket, out: &dyn Collect) -> Result<(), Error> {
    loop {
        if out.cancelled() {
            return Err(Error::other("ECANCELED", "the dump was cancelled"));
        }
        let mut pfd = libc::pollfd {
            fd: sock.fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one live pollfd.
        let rc = unsafe { libc::poll(&mut pfd, 1, CANCEL_POLL_MS) };
        if rc > 0 {
            return Ok(());
        }
        if rc < 0 {
            let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
            if errno != libc::EINTR {
                return Err(Error::sys(errno, "poll", None, "waiting for a reply"));
            }
        }
    }
}

fn recv_reply(sock: &RouteSocket, buf: &mut [u8], kind: Kind) -> Result<usize, Error> {
    loop {
        return match sock.recv(buf, false) {
            Recv::Datagram { sender, .. } if sender != 0 => continue,
            Recv::Datagram { len, truncated, .. } => {
                if truncated {
                    return Err(Error::other(
                        "EMSGSIZE",
                        format!(
                            "a {} reply was larger than the {}-byte receive buffer",
                            kind.name(),
                            buf.len()
                        ),
                    ));
                }
                Ok(len)
            }
            Recv::Empty => continue,
            Recv::Overrun => Err(Error::sys(
                libc::ENOBUFS,
                "recvmsg",
                None,
                "reading a reply",
            )),
            Recv::Failed(errno) => Err(Error::sys(errno, "recvmsg", None, "reading a reply")),
        };
    }
}

/// A non-dump request answered by one RTM_NEW* message or an error.
/// ENODEV and ENOENT ("no such object") come back as Ok(None).
fn request_one(
    kind: Kind,
    get_type: u16,
    body: &[u8],
    what: &str,
    opts: crate::message::DecodeOptions,
) -> Result<Option<Resource>, Error> {
    let sock = RouteSocket::open()?;
    sock.enable_dump_options();
    let port = sock.port_id()?;
    let seq = 1;
    sock.send(&message(get_type, NLM_F_REQUEST, seq, body))?;
    let mut buf = vec![0u8; RECV_BUF];
    loop {
        let len = recv_reply(&sock, &mut buf, kind)?;
        for msg in wire::messages(&buf[..len]) {
            let msg = msg.map_err(|e| Error::other("EPROTO", format!("malformed reply: {e}")))?;
            if msg.seq != seq || (msg.pid != port && msg.pid != 0) {
                continue;
            }
            if msg.kind == NLMSG_ERROR {
                let e = kernel_error(&msg, what);
                if e.errno == Some(0) {
                    continue; // an ACK
                }
                if matches!(e.errno, Some(libc::ENODEV)) {
                    return Ok(None);
                }
                return Err(e);
            }
            if classify(msg.kind).map(|(k, _)| k) == Some(kind) {
                return decode_resource_with(kind, msg.payload, opts)
                    .map(Some)
                    .map_err(|e| {
                        Error::other(
                            "EPROTO",
                            format!("the reply to {what} could not be decoded: {e}"),
                        )
                    });
            }
        }
    }
}

/// Which link `get_link` asks for.
#[derive(Debug, Clone)]
pub enum LinkSelector {
    Index(u32),
    /// The name's exact bytes (see wire::KernelName).
    Name(wire::KernelName),
}

/// RTM_GETLINK for one link (`ip link show dev X`). None when there is no such link.
pub fn get_link_here(
    which: &LinkSelector,
    opts: crate::message::DecodeOptions,
) -> Result<Option<link::Link>, Error> {
    let mut body = Kind::Link.dump_header(0);
    match which {
        LinkSelector::Index(i) => body[4..8].copy_from_slice(&i.to_ne_bytes()),
        LinkSelector::Name(n) => {
            // The kernel reads IFLA_IFNAME up to the first NUL: a name with
            // one inside would silently ask for a shorter name.
            if n.0.is_empty() || n.0.len() > 15 || n.0.contains(&0) {
                return Err(Error::other(
                    "ERR_INVALID_ARG_VALUE",
                    format!(
                        "links.get: name must be 1 to 15 bytes without NUL, got {} bytes",
                        n.0.len()
                    ),
                ));
            }
            let mut name = n.0.clone();
            name.push(0);
            push_attr(&mut body, IFLA_IFNAME, &name);
        }
    }
    match request_one(Kind::Link, link::RTM_GETLINK, &body, "getting a link", opts)? {
        Some(Resource::Link(l)) => Ok(Some(*l)),
        _ => Ok(None),
    }
}

/// What `ip route get` takes besides the destination.
#[derive(Debug, Clone, Default)]
pub struct RouteQuery {
    pub dst: String,
    pub src: Option<String>,
    pub iif: Option<u32>,
    pub oif: Option<u32>,
    pub mark: Option<u32>,
}

fn parse_ip(s: &str, what: &str) -> Result<IpAddr, Error> {
    s.parse::<IpAddr>().map_err(|_| {
        Error::other(
            "ERR_INVALID_ARG_VALUE",
            format!("{what} must be an IPv4 or IPv6 address, got '{s}'"),
        )
    })
}

fn ip_bytes(ip: &IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

/// RTM_GETROUTE for one destination: the route the kernel would use, as
/// `ip route get` prints it.
pub fn get_route_here(q: &RouteQuery) -> Result<route::Route, Error> {
    let dst = parse_ip(&q.dst, "dst")?;
    let (family, bits) = match dst {
        IpAddr::V4(_) => (wire::AF_INET, 32u8),
        IpAddr::V6(_) => (wire::AF_INET6, 128u8),
    };
    let mut body = Kind::Route.dump_header(family);
    body[1] = bits;
    push_attr(&mut body, RTA_DST, &ip_bytes(&dst));
    if let Some(src) = &q.src {
        let src = parse_ip(src, "src")?;
        if src.is_ipv4() != dst.is_ipv4() {
            return Err(Error::other(
                "ERR_INVALID_ARG_VALUE",
                "src and dst must be of the same family",
            ));
        }
        body[2] = bits;
        push_attr(&mut body, RTA_SRC, &ip_bytes(&src));
    }
    for (attr, value) in [(RTA_IIF, q.iif), (RTA_OIF, q.oif), (RTA_MARK, q.mark)] {
        if let Some(v) = value {
            push_attr(&mut body, attr, &v.to_ne_bytes());
        }
    }
    match request_one(
        Kind::Route,
        route::RTM_GETROUTE,
        &body,
        &format!("getting the route to {}", q.dst),
        Default::default(),
    )? {
        Some(Resource::Route(r)) => Ok(r),
        _ => Err(Error::sys(
            libc::ENETUNREACH,
            "recvmsg",
            None,
            &format!("getting the route to {}", q.dst),
        )),
    }
}

/// An NLMSG_ERROR, or an NLMSG_DONE that ends a failed dump: the errno (0
/// for an ACK), and the extended-ack message when the kernel sent one,
/// appended to the error's message. NLMSG_ERROR echoes the request before its
/// attributes; NLMSG_DONE has its attributes right after the errno.
pub fn kernel_error(msg: &wire::NlMsg<'_>, context: &str) -> Error {
    let payload = msg.payload;
    let errno = -wire::i32_at(payload, 0).unwrap_or(-libc::EIO);
    let mut ext_ack = None;
    if msg.flags & NLM_F_ACK_TLVS != 0 {
        let echoed = if msg.kind == NLMSG_DONE {
            0
        } else if msg.flags & NLM_F_CAPPED != 0 {
            wire::NLMSG_HDRLEN
        } else {
            wire::u32_at(payload, 4).unwrap_or(0) as usize
        };
        if let Some(tlvs) = payload.get(4 + wire::align4(echoed)..) {
            for (t, v) in wire::attrs(tlvs) {
                if t == NLMSGERR_ATTR_MSG {
                    ext_ack = Some(wire::string_of(v));
                }
            }
        }
    }
    let mut e = Error::sys(errno, "recvmsg", None, context);
    // The kernel's answer, not a failure of recvmsg itself.
    e.syscall = None;
    e.message = format!(
        "{context}: the kernel answered {} ({})",
        e.code,
        crate::error::strerror(errno)
    );
    if let Some(m) = ext_ack {
        e.message.push_str(&format!(": {m}"));
        e.ext_ack = Some(m);
    }
    e
}
