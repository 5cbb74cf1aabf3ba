//! Dumps (`list()`): an RTM_GET* request with NLM_F_DUMP on a socket of its
//! own, never a monitor's, read to NLMSG_DONE and decoded by the same
//! per-kind decoders as events.
//!
//! Threads: `list` spawns one short-lived OS thread per call that enters the
//! namespace, dumps and exits, so setns never touches the caller's thread.

use crate::error::Error;
use crate::message::{decode_resource, Kind, Resource};
use crate::netns::{self, Netns};
use crate::socket::{Recv, RouteSocket};
use crate::wire::{self, NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP_INTR};

const NLM_F_REQUEST: u16 = 0x1;
const NLM_F_DUMP: u16 = 0x300;
/// NLM_F_ACK_TLVS in an NLMSG_ERROR: extended-ack attributes follow.
const NLM_F_ACK_TLVS: u16 = 0x200;
/// NLM_F_CAPPED: the echoed request is only its header.
const NLM_F_CAPPED: u16 = 0x100;
const NLMSGERR_ATTR_MSG: u16 = 1;
/// A dump interrupted by a concurrent change is retried this many times.
const DUMP_ATTEMPTS: usize = 5;
const DUMP_BUF: usize = 1024 * 1024;

/// Lists every object of `kind` in `netns`, blocking until done. The dump
/// runs on a dedicated thread (see the module comment).
pub fn list(kind: Kind, netns: &Netns) -> Result<Vec<Resource>, Error> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    spawn(kind, netns.clone(), move |result| {
        let _ = tx.send(result);
    })?;
    rx.recv()
        .unwrap_or_else(|_| Err(Error::other("ERR_RTNL_INTERNAL", "the dump thread ended without a result")))
}

/// Starts a dump on a new thread that enters `netns`, dumps, calls `done`
/// with the result (on that thread) and exits. A panic in decoding is caught
/// and reported as an error.
pub fn spawn<F>(kind: Kind, netns: Netns, done: F) -> Result<(), Error>
where
    F: FnOnce(Result<Vec<Resource>, Error>) + Send + 'static,
{
    std::thread::Builder::new()
        .name("rtnl-dump".into())
        .spawn(move || {
            let result = std::panic::catch_unwind(|| {
                netns::enter(&netns)?;
                list_here(kind)
            })
            .unwrap_or_else(|_| Err(Error::other("ERR_RTNL_INTERNAL", "the dump decoder panicked")));
            done(result);
        })
        .map(|_| ())
        .map_err(|e| Error::from_io(&e, "clone", "starting the dump thread"))
}

/// Dumps in the calling thread's namespace. Neighbours dump twice: the
/// neighbour tables (AF_UNSPEC) and the bridge forwarding database
/// (AF_BRIDGE), since both arrive as RTM_NEWNEIGH events on one group.
pub fn list_here(kind: Kind) -> Result<Vec<Resource>, Error> {
    let sock = RouteSocket::open()?;
    sock.enable_dump_options();
    let port = sock.port_id()?;
    let families: &[u8] = match kind {
        Kind::Neighbour => &[0, wire::AF_BRIDGE],
        _ => &[0],
    };
    let mut out = Vec::new();
    let mut seq = 1;
    for &family in families {
        out.extend(dump_family(&sock, port, kind, family, &mut seq)?);
    }
    Ok(out)
}

fn dump_family(sock: &RouteSocket, port: u32, kind: Kind, family: u8, seq: &mut u32) -> Result<Vec<Resource>, Error> {
    for _ in 0..DUMP_ATTEMPTS {
        *seq += 1;
        match dump_once(sock, port, kind, family, *seq)? {
            Some(items) => return Ok(items),
            None => continue,
        }
    }
    Err(Error::other(
        "EDUMPINTR",
        format!("dump of {kind:?} was interrupted by concurrent changes {DUMP_ATTEMPTS} times in a row"),
    ))
}

fn request(kind: Kind, family: u8, seq: u32) -> Vec<u8> {
    let body = kind.dump_header(family);
    let len = wire::NLMSG_HDRLEN + body.len();
    let mut req = Vec::with_capacity(len);
    req.extend_from_slice(&(len as u32).to_ne_bytes());
    req.extend_from_slice(&kind.get_type().to_ne_bytes());
    req.extend_from_slice(&(NLM_F_REQUEST | NLM_F_DUMP).to_ne_bytes());
    req.extend_from_slice(&seq.to_ne_bytes());
    req.extend_from_slice(&0u32.to_ne_bytes());
    req.extend_from_slice(&body);
    req
}

/// One dump attempt. Ok(None) means NLM_F_DUMP_INTR: the caller retries.
fn dump_once(sock: &RouteSocket, port: u32, kind: Kind, family: u8, seq: u32) -> Result<Option<Vec<Resource>>, Error> {
    sock.send(&request(kind, family, seq))?;
    let mut buf = vec![0u8; DUMP_BUF];
    let mut out = Vec::new();
    let mut interrupted = false;
    loop {
        let len = match sock.recv(&mut buf, false) {
            Recv::Datagram { len, truncated, .. } => {
                if truncated {
                    return Err(Error::other(
                        "EMSGSIZE",
                        format!("a dump reply was larger than the {DUMP_BUF}-byte receive buffer"),
                    ));
                }
                len
            }
            Recv::Empty => continue,
            Recv::Overrun => return Err(Error::sys(libc::ENOBUFS, "recvmsg", None, "reading a dump")),
            Recv::Failed(errno) => return Err(Error::sys(errno, "recvmsg", None, "reading a dump")),
        };
        for msg in wire::messages(&buf[..len]) {
            let msg = msg.map_err(|e| Error::other("EPROTO", format!("malformed dump reply: {e}")))?;
            if msg.seq != seq || (msg.pid != port && msg.pid != 0) {
                continue;
            }
            if msg.flags & NLM_F_DUMP_INTR != 0 {
                interrupted = true;
            }
            match msg.kind {
                NLMSG_DONE => return Ok(if interrupted { None } else { Some(out) }),
                NLMSG_ERROR => return Err(kernel_error(msg.flags, msg.payload, kind)),
                t => {
                    let Some((msg_kind, _)) = crate::message::classify(t) else { continue };
                    if msg_kind != kind {
                        continue;
                    }
                    match decode_resource(kind, msg.payload) {
                        Ok(r) => out.push(r),
                        Err(e) => {
                            return Err(Error::other(
                                "EPROTO",
                                format!("a {kind:?} in the dump could not be decoded: {e}"),
                            ))
                        }
                    }
                }
            }
        }
    }
}

/// An NLMSG_ERROR: errno, and the extended-ack message when the kernel sent one.
pub fn kernel_error(flags: u16, payload: &[u8], kind: Kind) -> Error {
    let errno = -wire::i32_at(payload, 0).unwrap_or(-libc::EIO);
    let mut ext_ack = None;
    if flags & NLM_F_ACK_TLVS != 0 {
        let echoed = if flags & NLM_F_CAPPED != 0 {
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
    let mut e = Error::sys(errno, "recvmsg", None, &format!("dumping {kind:?}"));
    if let Some(m) = ext_ack {
        e.message = format!("{}: {m}", e.message);
    }
    e
}
