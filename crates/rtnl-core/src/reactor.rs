//! The one tokio runtime every monitor is read on: a single worker thread,
//! "rtnl-reactor", made on first use and kept for the life of the process.
//! Sockets are created inside their namespace on a namespace thread
//! (nsthread.rs), then registered here: a bound netlink socket stays in its
//! namespace, so reading needs none. One thread serves any number of
//! monitors; a burst on one is read in slices (monitor.rs) so the others
//! keep their latency.

use std::sync::{Mutex, OnceLock};

use tokio::runtime::{Builder, Handle, Runtime};

use crate::error::Error;

static RUNTIME: OnceLock<Runtime> = OnceLock::new();
static STARTING: Mutex<()> = Mutex::new(());

/// The reactor's handle, starting it on first use. A failure to start (no
/// thread to be had) is not remembered: the next call tries again.
pub fn handle() -> Result<Handle, Error> {
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt.handle().clone());
    }
    let _starting = STARTING.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt.handle().clone());
    }
    let rt = Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(1)
        .thread_name("rtnl-reactor")
        .thread_stack_size(crate::nsthread::THREAD_STACK * 4)
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| Error::from_io(&e, "clone", "starting the rtnl reactor thread"))?;
    let handle = rt.handle().clone();
    let _ = RUNTIME.set(rt);
    Ok(handle)
}
