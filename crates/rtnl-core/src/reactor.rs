//! The one tokio runtime every monitor is read on: a single worker thread,
//! "rtnl-reactor", made on first use and kept for the life of the process.
//! Sockets are created inside their namespace on a namespace thread
//! (nsthread.rs), then registered here: a bound netlink socket stays in its
//! namespace, so reading needs none. One thread serves any number of
//! monitors; a burst on one is read in slices (monitor.rs) so the others
//! keep their latency.

use std::sync::OnceLock;

use tokio::runtime::{Builder, Handle, Runtime};

use crate::error::Error;

static RUNTIME: OnceLock<Result<Runtime, Error>> = OnceLock::new();

/// The reactor's handle, starting it on first use.
pub fn handle() -> Result<Handle, Error> {
    let rt = RUNTIME.get_or_init(|| {
        Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(1)
            .thread_name("rtnl-reactor")
            .thread_stack_size(crate::nsthread::THREAD_STACK * 4)
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| Error::from_io(&e, "clone", "starting the rtnl reactor thread"))
    });
    match rt {
        Ok(rt) => Ok(rt.handle().clone()),
        Err(e) => Err(e.clone()),
    }
}
