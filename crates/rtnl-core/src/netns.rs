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

/// Moves the calling thread into `ns`. Only for threads owned by one monitor
/// or one dump (see the module comment).
pub fn enter(ns: &Netns) -> Result<(), Error> {
    let Some(path) = ns.path() else {
        return Ok(());
    };
    let c_path = CString::new(path.clone()).map_err(|_| {
        Error::other(
            "EINVAL",
            format!("network namespace path '{path}' contains a NUL byte"),
        )
    })?;
    const CONTEXT: &str = "entering network namespace";
    // SAFETY: plain syscalls on a path we own and an fd we close below.
    let fd = unsafe { libc::open(c_path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
    if fd < 0 {
        return Err(Error::last_os("open", Some(&path), CONTEXT));
    }
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
        Ok(())
    };
    unsafe { libc::close(fd) };
    result
}
