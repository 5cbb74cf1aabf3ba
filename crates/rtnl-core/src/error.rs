//! Errors that reach JS with a Node-style `code`, the `errno`, the `syscall`
//! that failed and, for namespaces, the `path`.

use serde::Serialize;
use serde_with::skip_serializing_none;

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Error {
    /// 'ENOENT', 'EPERM', ... for system errors; 'EDUMPINTR' and other
    /// E*/ERR_RTNL_* codes of this library otherwise.
    pub code: String,
    pub errno: Option<i32>,
    pub syscall: Option<&'static str>,
    pub path: Option<String>,
    /// The kernel's extended-ack message (NLMSGERR_ATTR_MSG), when it sent one.
    pub ext_ack: Option<String>,
    pub message: String,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The symbolic name Node uses for an errno (the subset netlink, sockets and
/// namespaces can produce); others become "E<number>".
pub fn errno_name(errno: i32) -> String {
    let name = match errno {
        libc::EPERM => "EPERM",
        libc::ENOENT => "ENOENT",
        libc::ESRCH => "ESRCH",
        libc::EINTR => "EINTR",
        libc::EIO => "EIO",
        libc::ENXIO => "ENXIO",
        libc::EBADF => "EBADF",
        libc::EAGAIN => "EAGAIN",
        libc::ENOMEM => "ENOMEM",
        libc::EACCES => "EACCES",
        libc::EFAULT => "EFAULT",
        libc::EBUSY => "EBUSY",
        libc::EEXIST => "EEXIST",
        libc::ENODEV => "ENODEV",
        libc::ENOTDIR => "ENOTDIR",
        libc::EISDIR => "EISDIR",
        libc::EINVAL => "EINVAL",
        libc::ENFILE => "ENFILE",
        libc::EMFILE => "EMFILE",
        libc::ENOSPC => "ENOSPC",
        libc::ERANGE => "ERANGE",
        libc::ENAMETOOLONG => "ENAMETOOLONG",
        libc::ENOSYS => "ENOSYS",
        libc::ELOOP => "ELOOP",
        libc::EPROTONOSUPPORT => "EPROTONOSUPPORT",
        libc::EOPNOTSUPP => "EOPNOTSUPP",
        libc::EAFNOSUPPORT => "EAFNOSUPPORT",
        libc::EADDRINUSE => "EADDRINUSE",
        libc::EADDRNOTAVAIL => "EADDRNOTAVAIL",
        libc::ENOTEMPTY => "ENOTEMPTY",
        libc::ENETDOWN => "ENETDOWN",
        libc::ENETUNREACH => "ENETUNREACH",
        libc::ENOBUFS => "ENOBUFS",
        libc::ECONNREFUSED => "ECONNREFUSED",
        libc::EHOSTUNREACH => "EHOSTUNREACH",
        libc::EMSGSIZE => "EMSGSIZE",
        libc::EPROTO => "EPROTO",
        _ => return format!("E{errno}"),
    };
    name.to_string()
}

/// strerror text without Rust's " (os error N)" suffix.
pub fn strerror(errno: i32) -> String {
    let text = std::io::Error::from_raw_os_error(errno).to_string();
    match text.rfind(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

impl Error {
    /// A failed system call. `context` says what was being done, in words a
    /// caller understands (e.g. "entering network namespace").
    pub fn sys(errno: i32, syscall: &'static str, path: Option<&str>, context: &str) -> Self {
        let code = errno_name(errno);
        let mut message = format!("{context}: {syscall}");
        if let Some(p) = path {
            message.push_str(&format!(" '{p}'"));
        }
        message.push_str(&format!(" failed: {code} ({})", strerror(errno)));
        Error {
            code,
            errno: Some(errno),
            syscall: Some(syscall),
            path: path.map(str::to_string),
            ext_ack: None,
            message,
        }
    }

    pub fn last_os(syscall: &'static str, path: Option<&str>, context: &str) -> Self {
        let errno = std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO);
        Self::sys(errno, syscall, path, context)
    }

    pub fn from_io(e: &std::io::Error, syscall: &'static str, context: &str) -> Self {
        Self::sys(
            e.raw_os_error().unwrap_or(libc::EIO),
            syscall,
            None,
            context,
        )
    }

    /// An error of this library, not of a system call.
    pub fn other(code: &str, message: impl Into<String>) -> Self {
        Error {
            code: code.to_string(),
            errno: None,
            syscall: None,
            path: None,
            ext_ack: None,
            message: message.into(),
        }
    }
}
