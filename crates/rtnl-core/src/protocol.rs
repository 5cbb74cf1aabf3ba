//! The request side of rtnetlink, shared by dumps, gets and namespace ids:
//! framing a request, the one reply loop, and reading the kernel's errors
//! (with their extended-ack text).
//!
//! Threads: everything here runs on the calling thread, which for requests
//! is a namespace thread (nsthread.rs) inside the target namespace.

use crate::error::Error;
use crate::socket::{Recv, RouteSocket};
use crate::wire::{self, NlMsg, NLMSG_DONE};

pub const NLM_F_REQUEST: u16 = 0x1;
pub const NLM_F_DUMP: u16 = 0x300;
/// NLM_F_ACK_TLVS in an NLMSG_ERROR: extended-ack attributes follow.
const NLM_F_ACK_TLVS: u16 = 0x200;
/// NLM_F_CAPPED: the echoed request is only its header.
const NLM_F_CAPPED: u16 = 0x100;
const NLMSGERR_ATTR_MSG: u16 = 1;
/// The kernel sizes dump datagrams to at most 32 KiB; this leaves room.
const RECV_BUF: usize = 256 * 1024;
/// How often a request waiting for the kernel looks at its cancel flag.
const CANCEL_POLL_MS: libc::c_int = 100;

/// One netlink message: header, then `body`.
pub fn message(kind: u16, flags: u16, seq: u32, body: &[u8]) -> Vec<u8> {
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

/// Appends one attribute (header, payload, padding) to a request body.
pub fn push_attr(body: &mut Vec<u8>, kind: u16, data: &[u8]) {
    body.extend_from_slice(&((wire::NLA_HDRLEN + data.len()) as u16).to_ne_bytes());
    body.extend_from_slice(&kind.to_ne_bytes());
    body.extend_from_slice(data);
    body.resize(wire::align4(body.len()), 0);
}

/// What the reply loop does after a message.
pub enum Flow {
    More,
    Done,
}

/// A socket for requests, and the sequence numbers of what it sent.
pub struct Requester {
    sock: RouteSocket,
    port: u32,
    seq: u32,
    buf: Vec<u8>,
}

impl Requester {
    pub fn open() -> Result<Self, Error> {
        let sock = RouteSocket::open()?;
        sock.enable_dump_options();
        let port = sock.port_id()?;
        Ok(Requester {
            sock,
            port,
            seq: 0,
            buf: vec![0u8; RECV_BUF],
        })
    }

    /// Sends one request; returns its sequence number.
    pub fn send(&mut self, kind: u16, flags: u16, body: &[u8]) -> Result<u32, Error> {
        self.seq += 1;
        self.sock
            .send(&message(kind, flags | NLM_F_REQUEST, self.seq, body))?;
        Ok(self.seq)
    }

    /// The one reply loop: hands every message answering `seq` to `on_msg`
    /// until it says Done. `cancelled` is asked between reads (a dump the
    /// caller gave up on ends with ECANCELED). `what` names the request in
    /// errors.
    pub fn replies(
        &mut self,
        seq: u32,
        what: &str,
        cancelled: &dyn Fn() -> bool,
        mut on_msg: impl FnMut(&NlMsg<'_>) -> Result<Flow, Error>,
    ) -> Result<(), Error> {
        loop {
            self.wait_readable(cancelled)?;
            let len = self.recv(what)?;
            for msg in wire::messages(&self.buf[..len]) {
                let msg = msg
                    .map_err(|e| Error::other("EPROTO", format!("{what}: malformed reply: {e}")))?;
                if msg.seq != seq || (msg.pid != self.port && msg.pid != 0) {
                    continue;
                }
                if let Flow::Done = on_msg(&msg)? {
                    return Ok(());
                }
            }
        }
    }

    fn wait_readable(&self, cancelled: &dyn Fn() -> bool) -> Result<(), Error> {
        loop {
            if cancelled() {
                return Err(Error::other("ECANCELED", "the request was cancelled"));
            }
            let mut pfd = libc::pollfd {
                fd: self.sock.fd(),
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

    fn recv(&mut self, what: &str) -> Result<usize, Error> {
        loop {
            return match self.sock.recv(&mut self.buf, false) {
                Recv::Datagram { sender, .. } if sender != 0 => continue,
                Recv::Datagram {
                    truncated: true, ..
                } => Err(Error::other(
                    "EMSGSIZE",
                    format!(
                        "{what}: a reply was larger than the {}-byte receive buffer",
                        self.buf.len()
                    ),
                )),
                Recv::Datagram { len, .. } => Ok(len),
                Recv::Empty => continue,
                Recv::Overrun => Err(Error::sys(libc::ENOBUFS, "recvmsg", None, what)),
                Recv::Failed(errno) => Err(Error::sys(errno, "recvmsg", None, what)),
            };
        }
    }
}

/// An NLMSG_ERROR, or an NLMSG_DONE that ends a failed dump: the errno (0
/// for an ACK), and the extended-ack message when the kernel sent one,
/// appended to the error's message. NLMSG_ERROR echoes the request before its
/// attributes; NLMSG_DONE has its attributes right after the errno.
pub fn kernel_error(msg: &NlMsg<'_>, context: &str) -> Error {
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
