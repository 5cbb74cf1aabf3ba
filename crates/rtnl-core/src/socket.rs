//! A NETLINK_ROUTE socket. neli creates, binds and joins; reads go through
//! recvmsg(2) directly because the reader needs what neli's recv hides: the
//! sender's port id (only the kernel, pid 0, is believed), MSG_TRUNC, and
//! ENOBUFS as a distinct outcome.

use std::mem::{size_of, zeroed};
use std::os::unix::io::AsRawFd;

use neli::consts::socket::NlFamily;
use neli::socket::NlSocket;
use neli::utils::Groups;

use crate::error::Error;

const SOL_NETLINK: libc::c_int = 270;
const NETLINK_ADD_MEMBERSHIP: libc::c_int = 1;

pub struct RouteSocket {
    sock: NlSocket,
}

/// One recvmsg outcome.
#[derive(Debug, PartialEq, Eq)]
pub enum Recv {
    /// `len` bytes are in the buffer. `truncated` means the datagram was
    /// larger than the buffer (MSG_TRUNC) and the tail is lost.
    Datagram {
        len: usize,
        truncated: bool,
        sender: u32,
    },
    /// Non-blocking read with nothing queued.
    Empty,
    /// The kernel dropped multicast messages because the receive buffer was full.
    Overrun,
    Failed(i32),
}

/// How the receive buffer was sized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RcvbufOutcome {
    /// What the kernel reports back (it doubles the request for bookkeeping).
    pub effective: usize,
    /// SO_RCVBUFFORCE worked; false means it fell back to SO_RCVBUF, capped by rmem_max.
    pub forced: bool,
}

impl RouteSocket {
    /// socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) + bind with a
    /// kernel-assigned port id and no groups.
    pub fn open() -> Result<Self, Error> {
        let sock = NlSocket::new(NlFamily::Route)
            .map_err(|e| Error::from_io(&e, "socket", "opening a NETLINK_ROUTE socket"))?;
        sock.bind(None, Groups::empty())
            .map_err(|e| Error::from_io(&e, "bind", "binding the netlink socket"))?;
        Ok(RouteSocket { sock })
    }

    /// O_NONBLOCK, for a socket read by the reactor (reads use MSG_DONTWAIT
    /// anyway; this keeps any read from ever blocking the reactor thread).
    pub fn set_nonblocking(&self) -> Result<(), Error> {
        // SAFETY: fcntl on our own fd.
        let flags = unsafe { libc::fcntl(self.fd(), libc::F_GETFL) };
        if flags < 0
            || unsafe { libc::fcntl(self.fd(), libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0
        {
            return Err(Error::last_os(
                "fcntl",
                None,
                "making the netlink socket non-blocking",
            ));
        }
        Ok(())
    }

    pub fn fd(&self) -> libc::c_int {
        self.sock.as_raw_fd()
    }

    /// The port id the kernel assigned at bind.
    pub fn port_id(&self) -> Result<u32, Error> {
        self.sock
            .pid()
            .map_err(|e| Error::from_io(&e, "getsockname", "reading the netlink port id"))
    }

    fn setsockopt_int(
        &self,
        level: libc::c_int,
        name: libc::c_int,
        value: libc::c_int,
    ) -> Result<(), i32> {
        // SAFETY: the fd is ours and the option value is a live c_int.
        let rc = unsafe {
            libc::setsockopt(
                self.fd(),
                level,
                name,
                &value as *const _ as *const libc::c_void,
                size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        if rc < 0 {
            Err(std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EIO))
        } else {
            Ok(())
        }
    }

    /// SO_RCVBUFFORCE (root can go past rmem_max); without CAP_NET_ADMIN it
    /// falls back to SO_RCVBUF, which the kernel caps at rmem_max.
    pub fn set_rcvbuf(&self, bytes: usize) -> Result<RcvbufOutcome, Error> {
        let value = bytes.min(i32::MAX as usize / 2) as libc::c_int;
        let forced = match self.setsockopt_int(libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, value) {
            Ok(()) => true,
            Err(libc::EPERM) => {
                self.setsockopt_int(libc::SOL_SOCKET, libc::SO_RCVBUF, value)
                    .map_err(|errno| Error::sys(errno, "setsockopt", None, "setting SO_RCVBUF"))?;
                false
            }
            Err(errno) => {
                return Err(Error::sys(
                    errno,
                    "setsockopt",
                    None,
                    "setting SO_RCVBUFFORCE",
                ))
            }
        };
        let mut effective: libc::c_int = 0;
        let mut len = size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: getsockopt writes one c_int into `effective`.
        unsafe {
            libc::getsockopt(
                self.fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVBUF,
                &mut effective as *mut _ as *mut libc::c_void,
                &mut len,
            )
        };
        Ok(RcvbufOutcome {
            effective: effective.max(0) as usize,
            forced,
        })
    }

    /// Joins one multicast group with NETLINK_ADD_MEMBERSHIP, which (unlike
    /// the bind-time bitmask) reaches groups above 31.
    pub fn join(&self, group: u32) -> Result<(), Error> {
        self.setsockopt_int(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group as libc::c_int)
            .map_err(|errno| {
                let mut e = Error::sys(errno, "setsockopt", None, "joining multicast group");
                e.message = format!(
                    "joining multicast group {group}: setsockopt NETLINK_ADD_MEMBERSHIP failed: {} ({})",
                    e.code,
                    crate::error::strerror(errno)
                );
                // The kernel answers EINVAL for a group number past its last
                // group: one a newer kernel added.
                if errno == libc::EINVAL {
                    e.message.push_str(&format!(
                        ": this kernel has no group {group} (a newer kernel may); \
                         pass missingGroups: 'skip' to join the groups it has"
                    ));
                }
                e
            })
    }

    /// NETLINK_LISTEN_ALL_NSID: receive the multicast of every namespace
    /// that has an id here, each datagram tagged with that id.
    pub fn listen_all_nsid(&self) -> Result<(), Error> {
        self.setsockopt_int(SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, 1)
            .map_err(|errno| {
                Error::sys(errno, "setsockopt", None, "setting NETLINK_LISTEN_ALL_NSID")
            })
    }

    /// SO_ATTACH_FILTER: the kernel runs `prog` on every message for this
    /// socket and drops what it rejects before it is queued.
    pub fn attach_filter(&self, prog: &[libc::sock_filter]) -> Result<(), Error> {
        let fprog = libc::sock_fprog {
            len: prog.len() as libc::c_ushort,
            filter: prog.as_ptr() as *mut libc::sock_filter,
        };
        // SAFETY: fprog points at `prog`, alive for the call; the kernel copies it.
        let rc = unsafe {
            libc::setsockopt(
                self.fd(),
                libc::SOL_SOCKET,
                libc::SO_ATTACH_FILTER,
                &fprog as *const _ as *const libc::c_void,
                size_of::<libc::sock_fprog>() as libc::socklen_t,
            )
        };
        if rc < 0 {
            return Err(Error::last_os(
                "setsockopt",
                None,
                "attaching the event filter (SO_ATTACH_FILTER)",
            ));
        }
        Ok(())
    }

    /// Best-effort socket options for dumps: extended ack messages in errors
    /// and strict header checking (so kernel-side filters apply). Older
    /// kernels lack them; dumps work without.
    pub fn enable_dump_options(&self) {
        let _ = self.sock.enable_ext_ack(true);
        let _ = self.sock.enable_strict_checking(true);
    }

    pub fn send(&self, buf: &[u8]) -> Result<(), Error> {
        let mut addr: libc::sockaddr_nl = unsafe { zeroed() };
        addr.nl_family = libc::AF_NETLINK as u16;
        // SAFETY: buf and addr outlive the call.
        let rc = unsafe {
            libc::sendto(
                self.fd(),
                buf.as_ptr() as *const libc::c_void,
                buf.len(),
                0,
                &addr as *const _ as *const libc::sockaddr,
                size_of::<libc::sockaddr_nl>() as libc::socklen_t,
            )
        };
        if rc < 0 {
            return Err(Error::last_os("sendto", None, "sending a netlink request"));
        }
        Ok(())
    }

    /// One recvmsg into `buf`. With `nonblocking`, an empty queue is `Recv::Empty`.
    pub fn recv(&self, buf: &mut [u8], nonblocking: bool) -> Recv {
        let mut addr: libc::sockaddr_nl = unsafe { zeroed() };
        let mut iov = libc::iovec {
            iov_base: buf.as_mut_ptr() as *mut libc::c_void,
            iov_len: buf.len(),
        };
        let mut msg: libc::msghdr = unsafe { zeroed() };
        msg.msg_name = &mut addr as *mut _ as *mut libc::c_void;
        msg.msg_namelen = size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        msg.msg_iov = &mut iov;
        msg.msg_iovlen = 1;
        let flags = if nonblocking { libc::MSG_DONTWAIT } else { 0 };
        loop {
            // SAFETY: msg points at live buffers for the duration of the call.
            let n = unsafe { libc::recvmsg(self.fd(), &mut msg, flags) };
            if n >= 0 {
                let truncated = msg.msg_flags & libc::MSG_TRUNC != 0;
                return Recv::Datagram {
                    len: (n as usize).min(buf.len()),
                    truncated,
                    sender: addr.nl_pid,
                };
            }
            match std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EIO)
            {
                libc::EINTR => continue,
                libc::EAGAIN => return Recv::Empty,
                libc::ENOBUFS => return Recv::Overrun,
                errno => return Recv::Failed(errno),
            }
        }
    }
}

/// Anonymous memory from mmap(2): the kernel hands out zero pages lazily,
/// so only the pages data lands in cost memory, and munmap returns them.
/// (A large zeroed Vec would come from malloc, which after the first free
/// raises its mmap threshold and then zeroes, and so touches, every page.)
struct MmapBuf {
    ptr: *mut u8,
    len: usize,
}

// SAFETY: the mapping is owned by this value and only reached through &/&mut self.
unsafe impl Send for MmapBuf {}

impl MmapBuf {
    fn new(len: usize) -> Result<Self, Error> {
        let len = len.max(1);
        // SAFETY: a private anonymous mapping; checked for MAP_FAILED below.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            // Fail the subscribe rather than abort the process.
            return Err(Error::last_os(
                "mmap",
                None,
                &format!("allocating {len} bytes of receive buffers (maxDatagram x 32)"),
            ));
        }
        Ok(MmapBuf {
            ptr: ptr as *mut u8,
            len,
        })
    }

    fn as_slice(&self) -> &[u8] {
        // SAFETY: ptr..ptr+len is our mapping.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl Drop for MmapBuf {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping created in new().
        unsafe { libc::munmap(self.ptr as *mut libc::c_void, self.len) };
    }
}

/// Buffers for reading up to `slots` datagrams with one recvmmsg(2) call.
pub struct RecvBatch {
    slot_size: usize,
    buf: MmapBuf,
    addrs: Vec<libc::sockaddr_nl>,
    iovecs: Vec<libc::iovec>,
    headers: Vec<libc::mmsghdr>,
    control: Vec<u64>,
}

// SAFETY: the raw pointers in `iovecs` and `headers` point into the heap
// buffers this struct owns (`buf`, `addrs`, `iovecs`, `control`), which do not
// move when the struct does, and recv_many re-aims them before every call.
// A monitor's batch is made on its namespace thread and then used only by
// its task on the reactor, one thread at a time.
unsafe impl Send for RecvBatch {}

/// One datagram of a `RecvBatch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    pub len: usize,
    pub truncated: bool,
    pub sender: u32,
    /// The peer namespace id from a NETLINK_LISTEN_ALL_NSID control message.
    pub nsid: Option<i32>,
}

const NETLINK_LISTEN_ALL_NSID: libc::c_int = 8;
/// Room for one control message carrying an int, per slot.
const CONTROL_LEN: usize = 32;

impl RecvBatch {
    pub fn new(slots: usize, slot_size: usize) -> Result<Self, Error> {
        let slots = slots.max(1);
        Ok(RecvBatch {
            slot_size,
            buf: MmapBuf::new(slots * slot_size)?,
            addrs: vec![unsafe { zeroed() }; slots],
            iovecs: vec![
                libc::iovec {
                    iov_base: std::ptr::null_mut(),
                    iov_len: 0
                };
                slots
            ],
            headers: vec![unsafe { zeroed() }; slots],
            // u64 for the alignment cmsghdr needs.
            control: vec![0u64; slots * CONTROL_LEN / 8],
        })
    }

    /// The bytes of datagram `i` of the last read.
    pub fn datagram(&self, i: usize, len: usize) -> &[u8] {
        &self.buf.as_slice()[i * self.slot_size..i * self.slot_size + len.min(self.slot_size)]
    }

    pub fn received(&self, i: usize) -> Received {
        let h = &self.headers[i];
        Received {
            len: (h.msg_len as usize).min(self.slot_size),
            truncated: h.msg_hdr.msg_flags & libc::MSG_TRUNC != 0,
            sender: self.addrs[i].nl_pid,
            nsid: self.nsid(i),
        }
    }

    fn nsid(&self, i: usize) -> Option<i32> {
        let h = &self.headers[i].msg_hdr;
        if h.msg_controllen == 0 || h.msg_control.is_null() {
            return None;
        }
        // SAFETY: the kernel wrote msg_controllen bytes of cmsgs into our
        // control slot; CMSG_* walk them within that length.
        unsafe {
            let mut cmsg = libc::CMSG_FIRSTHDR(h);
            while !cmsg.is_null() {
                if (*cmsg).cmsg_level == SOL_NETLINK && (*cmsg).cmsg_type == NETLINK_LISTEN_ALL_NSID
                {
                    return Some(std::ptr::read_unaligned(libc::CMSG_DATA(cmsg) as *const i32));
                }
                cmsg = libc::CMSG_NXTHDR(h, cmsg);
            }
        }
        None
    }
}

/// The outcome of one recvmmsg.
#[derive(Debug, PartialEq, Eq)]
pub enum RecvMany {
    /// This many datagrams are in the batch (at least one).
    Datagrams(usize),
    Empty,
    Overrun,
    Failed(i32),
}

impl RouteSocket {
    /// Reads as many queued datagrams as fit in `batch` with one
    /// non-blocking recvmmsg. An ENOBUFS after some datagrams is reported
    /// by the next call, so order is kept.
    pub fn recv_many(&self, batch: &mut RecvBatch) -> RecvMany {
        let slots = batch.headers.len();
        let base = batch.buf.ptr;
        for i in 0..slots {
            batch.iovecs[i] = libc::iovec {
                // SAFETY: i * slot_size is within buf.
                iov_base: unsafe { base.add(i * batch.slot_size) } as *mut libc::c_void,
                iov_len: batch.slot_size,
            };
            let h = &mut batch.headers[i];
            h.msg_hdr.msg_name = &mut batch.addrs[i] as *mut _ as *mut libc::c_void;
            h.msg_hdr.msg_namelen = size_of::<libc::sockaddr_nl>() as libc::socklen_t;
            h.msg_hdr.msg_iov = &mut batch.iovecs[i];
            h.msg_hdr.msg_iovlen = 1;
            // SAFETY: i * CONTROL_LEN bytes lies within `control`.
            h.msg_hdr.msg_control =
                unsafe { (batch.control.as_mut_ptr() as *mut u8).add(i * CONTROL_LEN) }
                    as *mut libc::c_void;
            h.msg_hdr.msg_controllen = CONTROL_LEN as _;
            h.msg_hdr.msg_flags = 0;
            h.msg_len = 0;
        }
        loop {
            // SAFETY: every header points into buffers owned by `batch`, alive for the call.
            let n = unsafe {
                libc::recvmmsg(
                    self.fd(),
                    batch.headers.as_mut_ptr(),
                    slots as libc::c_uint,
                    // glibc declares the flags c_int, musl c_uint.
                    libc::MSG_DONTWAIT as _,
                    std::ptr::null_mut(),
                )
            };
            if n > 0 {
                return RecvMany::Datagrams(n as usize);
            }
            if n == 0 {
                return RecvMany::Empty;
            }
            match std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EIO)
            {
                libc::EINTR => continue,
                libc::EAGAIN => return RecvMany::Empty,
                libc::ENOBUFS => return RecvMany::Overrun,
                errno => return RecvMany::Failed(errno),
            }
        }
    }
}
