//! Network namespaces: naming them, and entering one on the calling thread.
//!
//! `enter` changes the namespace of the calling OS thread only. It is called
//! solely on threads this crate spawned for one monitor or one dump, which
//! exit when that work ends, so no thread of the host process is ever left in
//! another namespace (never the Node main thread, a libuv pool thread or a
//! tokio worker).

use std::ffi::CString;

use crate::error::Error;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Netns {
    /// The namespace the process was started in; no setns at all.
    Host,
    /// An `ip netns` name: /run/netns/NAME.
    Name(String),
    /// Any file that refers to a network namespace (bind mount, /proc/PID/ns/net).
    Path(String),
    /// /proc/PID/ns/net.
    Pid(u32),
}

impl Netns {
    /// The file to open, or None for the host namespace.
    pub fn path(&self) -> Option<String> {
        match self {
            Netns::Host => None,
            Netns::Name(name) => Some(format!("/run/netns/{name}")),
            Netns::Path(path) => Some(path.clone()),
            Netns::Pid(pid) => Some(format!("/proc/{pid}/ns/net")),
        }
    }
}

/// Which namespace a path referred to when it was entered: the nsfs inode.
/// A monitor compares it with what the path refers to now, to notice that
/// its namespace was deleted (`ip netns del`) or the path reused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub path: String,
    pub dev: u64,
    pub ino: u64,
}

impl Identity {
    /// True while `path` still refers to the namespace that was entered.
    pub fn still_there(&self) -> bool {
        let Ok(c) = CString::new(self.path.clone()) else {
            return false;
        };
        // SAFETY: stat into a zeroed struct we own.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        let rc = unsafe { libc::stat(c.as_ptr(), &mut st) };
        rc == 0 && st.st_dev as u64 == self.dev && st.st_ino as u64 == self.ino
    }
}

/// Whether two paths name the same file (device and inode), e.g. the
/// namespaces of two threads. False when either cannot be read.
pub fn same_file(a: &str, b: &str) -> bool {
    let stat = |p: &str| -> Option<(u64, u64)> {
        let c = CString::new(p).ok()?;
        // SAFETY: stat into a zeroed struct we own.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        (unsafe { libc::stat(c.as_ptr(), &mut st) } == 0)
            .then_some((st.st_dev as u64, st.st_ino as u64))
    };
    matches!((stat(a), stat(b)), (Some(x), Some(y)) if x == y)
}

/// Opens a namespace file for its fd (to setns, or to hand to the kernel as
/// NETNSA_FD / IFLA_NET_NS_FD); the caller closes it. O_NONBLOCK: a FIFO (or
/// a device) at that path must not block the open; the kernel then refuses
/// the fd as not a namespace. `context` and `label` name the file in errors.
pub fn open_file(path: &str, context: &str, label: &str) -> Result<libc::c_int, Error> {
    let c = CString::new(path)
        .map_err(|_| Error::other("EINVAL", format!("{label} '{path}' contains a NUL byte")))?;
    // SAFETY: plain open of a path we own.
    let fd = unsafe {
        libc::open(
            c.as_ptr(),
            libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NONBLOCK,
        )
    };
    if fd < 0 {
        return Err(Error::last_os("open", Some(path), context));
    }
    Ok(fd)
}

/// Moves the calling thread into `ns`. Only for threads owned by one monitor
/// or one dump (see the module comment). Returns what the path referred to
/// (None for the host namespace).
pub fn enter(ns: &Netns) -> Result<Option<Identity>, Error> {
    let Some(path) = ns.path() else {
        return Ok(None);
    };
    const CONTEXT: &str = "entering network namespace";
    let fd = open_file(&path, CONTEXT, "network namespace path")?;
    // SAFETY: fstat into a zeroed struct we own, on our fd.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    let identity = (unsafe { libc::fstat(fd, &mut st) } == 0).then(|| Identity {
        path: path.clone(),
        dev: st.st_dev as u64,
        ino: st.st_ino as u64,
    });
    // SAFETY: setns on our fd, closed below.
    let rc = unsafe { libc::setns(fd, libc::CLONE_NEWNET) };
    let result = if rc < 0 {
        let errno = std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO);
        let mut err = Error::sys(errno, "setns", Some(&path), CONTEXT);
        if errno == libc::EINVAL {
            err.message
                .push_str(": the file is not a network namespace");
        } else if errno == libc::EPERM {
            err.message
                .push_str(": CAP_SYS_ADMIN is required to enter another network namespace");
        }
        Err(err)
    } else {
        Ok(identity)
    };
    unsafe { libc::close(fd) };
    result
}
