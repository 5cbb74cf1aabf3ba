//! Work that must happen inside a network namespace (creating a socket
//! there, or a whole dump) runs on a namespace thread: a short-lived OS
//! thread of this crate that enters the namespace, does one job and exits.
//! So setns never touches a thread anyone else uses (the Node main thread,
//! libuv's pool, the reactor), and no thread ever changes namespace twice.
//!
//! At most MAX_THREADS namespace threads exist at once; further jobs wait in
//! a FIFO queue, and a finishing thread starts a fresh one for the next job.
//! A new thread inherits the namespace of the thread that starts it, so every
//! job enters its namespace explicitly, the host's included.
//! So 1,000 monitors opened at once cost 1,000 short thread lives, four at a
//! time, not 1,000 threads.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use crate::error::Error;
use crate::netns::{self, Identity, Netns};

/// Stack size of namespace threads: their frames are shallow (decode,
/// syscalls). Small stacks keep many short lives cheap.
pub const THREAD_STACK: usize = 256 * 1024;
/// Namespace threads alive at once, at most.
pub const MAX_THREADS: usize = 4;

/// A job; `Err` when no thread could be started for it.
type Job = Box<dyn FnOnce(Result<(), Error>) + Send + 'static>;

struct Pool {
    queue: VecDeque<Job>,
    running: usize,
}

static POOL: Mutex<Pool> = Mutex::new(Pool {
    queue: VecDeque::new(),
    running: 0,
});

fn pool() -> std::sync::MutexGuard<'static, Pool> {
    POOL.lock().unwrap_or_else(|p| p.into_inner())
}

/// Starts a thread for `job`; when the job is done, the thread hands the
/// next queued job to a fresh thread (or frees its place) and exits. If no
/// thread can be started, the job is told so (and runs its `done`).
fn start(job: Job) {
    let slot = Arc::new(Mutex::new(Some(job)));
    let theirs = slot.clone();
    let spawned = std::thread::Builder::new()
        .name("rtnl-netns".into())
        .stack_size(THREAD_STACK)
        .spawn(move || {
            let job = theirs.lock().unwrap_or_else(|p| p.into_inner()).take();
            if let Some(job) = job {
                // A panic in a job's `done` must not cost the pool a place.
                let _ = catch_unwind(AssertUnwindSafe(|| job(Ok(()))));
            }
            let next = {
                let mut p = pool();
                let next = p.queue.pop_front();
                if next.is_none() {
                    p.running -= 1;
                }
                next
            };
            if let Some(next) = next {
                start(next);
            }
        });
    if let Err(e) = spawned {
        let err = Error::from_io(&e, "clone", "starting a namespace thread");
        // No thread can be had: fail this job, and the queued ones too if no
        // namespace thread is left to take them (they would wait forever).
        let stranded: Vec<Job> = {
            let mut p = pool();
            p.running -= 1;
            if p.running == 0 {
                p.queue.drain(..).collect()
            } else {
                Vec::new()
            }
        };
        let job = slot.lock().unwrap_or_else(|p| p.into_inner()).take();
        for job in job.into_iter().chain(stranded) {
            job(Err(err.clone()));
        }
    }
}

/// Runs `work` on a namespace thread inside `netns`, then `done` with its
/// result (on that thread). The identity of the namespace file entered is
/// passed to `work` (None for the host namespace). Panics are caught.
pub fn spawn_in<T, W, D>(netns: Netns, work: W, done: D) -> Result<(), Error>
where
    T: Send + 'static,
    W: FnOnce(Option<Identity>) -> Result<T, Error> + Send + 'static,
    D: FnOnce(Result<T, Error>) + Send + 'static,
{
    let job: Job = Box::new(move |started: Result<(), Error>| {
        let result = started.and_then(|()| {
            catch_unwind(AssertUnwindSafe(|| {
                // A namespace thread is started by the one before it, and a
                // thread inherits its creator's namespace: the host namespace
                // must be entered too, not assumed (the process's main
                // thread, /proc/self, never leaves it).
                let identity = match &netns {
                    Netns::Host => {
                        // Unprivileged callers work in the host namespace: setns only
                        // when this thread inherited another one.
                        if !netns::same_file("/proc/thread-self/ns/net", "/proc/self/ns/net") {
                            netns::enter(&Netns::Path("/proc/self/ns/net".into()))?;
                        }
                        None
                    }
                    other => netns::enter(other)?,
                };
                work(identity)
            }))
            .unwrap_or_else(|_| {
                Err(Error::other(
                    "ERR_RTNL_INTERNAL",
                    "a namespace thread panicked",
                ))
            })
        });
        done(result);
    });
    let mut p = pool();
    if p.running < MAX_THREADS {
        p.running += 1;
        drop(p);
        start(job);
    } else {
        p.queue.push_back(job);
    }
    Ok(())
}

/// Runs `work` in `netns` (see `spawn_in`) and waits for it. Not for a
/// thread that must not block (the Node main thread).
pub fn run_in<T, W>(netns: &Netns, work: W) -> Result<T, Error>
where
    T: Send + 'static,
    W: FnOnce(Option<Identity>) -> Result<T, Error> + Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    spawn_in(netns.clone(), work, move |result| {
        let _ = tx.send(result);
    })?;
    rx.recv().unwrap_or_else(|_| {
        Err(Error::other(
            "ERR_RTNL_INTERNAL",
            "a namespace thread ended without a result (no thread could be started)",
        ))
    })
}
