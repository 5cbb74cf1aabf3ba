//! Namespace ids (`ip netns list-id`): the number one namespace gives
//! another, which NETLINK_LISTEN_ALL_NSID tags events with.

use crate::error::Error;
use crate::socket::{Recv, RouteSocket};
use crate::wire;
use std::ffi::CString;

const RTM_NEWNSID: u16 = 88;
const RTM_GETNSID: u16 = 90;
const NETNSA_NSID: u16 = 1;
const NETNSA_FD: u16 = 3;
/// NETNSA_NSID_NOT_ASSIGNED.
const NOT_ASSIGNED: i32 = -1;

/// The id the calling thread's namespace gives the namespace behind `fd`,
/// or None when it has none.
pub fn nsid_of_fd(fd: libc::c_int) -> Result<Option<i32>, Error> {
    let sock = RouteSocket::open()?;
    // struct rtgenmsg (padded to 4) + NETNSA_FD
    let mut body = vec![0u8; 4];
    body.extend_from_slice(&8u16.to_ne_bytes());
    body.extend_from_slice(&NETNSA_FD.to_ne_bytes());
    body.extend_from_slice(&(fd as u32).to_ne_bytes());
    let len = wire::NLMSG_HDRLEN + body.len();
    let mut req = Vec::with_capacity(len);
    req.extend_from_slice(&(len as u32).to_ne_bytes());
    req.extend_from_slice(&RTM_GETNSID.to_ne_bytes());
    req.extend_from_slice(&1u16.to_ne_bytes()); // NLM_F_REQUEST
    req.extend_from_slice(&1u32.to_ne_bytes());
    req.extend_from_slice(&0u32.to_ne_bytes());
    req.extend_from_slice(&body);
    sock.send(&req)?;
    let mut buf = vec![0u8; 8192];
    for _ in 0..16 {
        let len = match sock.recv(&mut buf, false) {
            Recv::Datagram { len, sender: 0, .. } => len,
            Recv::Datagram { .. } | Recv::Empty => continue,
            Recv::Overrun => continue,
            Recv::Failed(errno) => {
                return Err(Error::sys(errno, "recvmsg", None, "reading a namespace id"))
            }
        };
        for m in wire::messages(&buf[..len]).flatten() {
            if m.kind == wire::NLMSG_ERROR {
                return Err(crate::dump::kernel_error(&m, "getting a namespace id"));
            }
            if m.kind == RTM_NEWNSID {
                for (t, v) in wire::attrs(m.payload.get(4..).unwrap_or(&[])) {
                    if t == NETNSA_NSID {
                        return Ok(wire::i32_at(v, 0).filter(|id| *id != NOT_ASSIGNED));
                    }
                }
                return Ok(None);
            }
        }
    }
    Err(Error::other("EPROTO", "no answer to RTM_GETNSID"))
}

/// The id the calling thread's namespace gives the namespace file at `path`.
pub fn nsid_of_path(path: &str) -> Result<Option<i32>, Error> {
    let c = CString::new(path)
        .map_err(|_| Error::other("EINVAL", format!("path '{path}' contains a NUL byte")))?;
    // SAFETY: plain open of a path we own; closed below. O_NONBLOCK: a FIFO
    // at that path must not block (the kernel then refuses the fd).
    let fd = unsafe {
        libc::open(
            c.as_ptr(),
            libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NONBLOCK,
        )
    };
    if fd < 0 {
        return Err(Error::last_os(
            "open",
            Some(path),
            "opening a namespace file",
        ));
    }
    let result = nsid_of_fd(fd);
    unsafe { libc::close(fd) };
    result
}

/// The id the namespace of the monitor's socket gives itself, if any: some
/// kernels tag events from the own namespace with it.
/// Called on the monitor's thread, which is in that namespace.
pub fn own_nsid() -> Option<i32> {
    nsid_of_path("/proc/thread-self/ns/net").ok().flatten()
}
