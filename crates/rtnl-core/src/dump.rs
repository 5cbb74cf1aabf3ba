//! Dumps (`list()`): every object of one kind in the calling thread's
//! namespace, with the filters the kernel applies itself, decoded by the
//! same per-kind decoders as events.
//!
//! Threads: `dump_here` runs on a namespace thread (nsthread.rs) inside the
//! target namespace; `list` runs it there and waits.
//!
//! Decode errors follow the one rule of this crate (message.rs): an entry
//! that cannot be decoded does not stop the dump and is not dropped; the
//! dump reads to its end, then fails with EPROTO naming the entries, since
//! a list promises the whole table.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::error::Error;
use crate::kind::Dump;
use crate::message::{classify_message, decode_each, Kind, Resource};
use crate::netns::Netns;
use crate::nsthread;
use crate::protocol::{kernel_error, Flow, Requester, NLM_F_DUMP};
use crate::wire::{self, NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP_INTR};

/// A dump interrupted by a concurrent change is retried this many times.
const DUMP_ATTEMPTS: usize = 5;

pub use crate::kind::Filter;

/// Lists every object of `kind` in `netns` that `filter` keeps. Blocks the
/// calling thread until the namespace thread is done.
pub fn list(kind: Kind, netns: &Netns, filter: Filter) -> Result<Vec<Resource>, Error> {
    nsthread::run_in(netns, move |_| {
        let mut out = Vec::new();
        dump_here(kind, &filter, &mut out)?;
        Ok(out)
    })
}

/// Receives dumped objects. `reset` discards what was collected when an
/// interrupted dump (NLM_F_DUMP_INTR) starts over.
pub trait Collect {
    fn reset(&mut self);
    fn push(&mut self, r: Resource);
    /// A flag the caller sets when it no longer wants the dump (list()
    /// aborted): the reply loop then stops between reads with ECANCELED.
    fn cancel_flag(&self) -> Option<Arc<AtomicBool>> {
        None
    }
    /// Whether an interrupted dump may start over (after `reset`). A
    /// collector that has already handed objects to its consumer cannot take
    /// them back: the dump then fails with EDUMPINTR instead.
    fn can_restart(&self) -> bool {
        true
    }
}

impl Collect for Vec<Resource> {
    fn reset(&mut self) {
        self.clear();
    }
    fn push(&mut self, r: Resource) {
        Vec::push(self, r)
    }
}

/// Dumps in the calling thread's namespace. Without a family filter,
/// neighbours dump twice: the neighbour tables (AF_UNSPEC) and the bridge
/// forwarding database (AF_BRIDGE), since both arrive as RTM_NEWNEIGH events
/// on one group.
pub fn dump_here(kind: Kind, filter: &Filter, out: &mut dyn Collect) -> Result<(), Error> {
    let mut req = Requester::open()?;
    dump_with(&mut req, kind, filter, out)
}

/// `dump_here` on a socket already open, on any thread: the socket was made
/// in its namespace, and reading it needs none. A streamed dump runs here on
/// a thread of its own, so a slow consumer never holds a namespace thread.
pub fn dump_with(
    req: &mut Requester,
    kind: Kind,
    filter: &Filter,
    out: &mut dyn Collect,
) -> Result<(), Error> {
    crate::names::refresh();
    let empty_when = match kind.decl().dump {
        Dump::Bodies { empty_when, .. } => empty_when,
        _ => None,
    };
    if kind.get_type().is_none() {
        return Err(Error::other(
            "EOPNOTSUPP",
            format!(
                "the kernel has no dump of {}: they are only multicast (subscribe to see them)",
                kind.name()
            ),
        ));
    }
    // One collector for every request: a retry restarts the whole dump.
    'attempts: for _ in 0..DUMP_ATTEMPTS {
        out.reset();
        let mut undecodable: Vec<String> = Vec::new();
        let Some(bodies) = requests(req, kind, filter)? else {
            continue 'attempts;
        };
        for body in &bodies {
            let complete = match dump_once(req, kind, body, filter, out, &mut undecodable) {
                // An errno the kind declares as "nothing here" (a routing
                // table that does not exist yet): no object to list.
                Err(e)
                    if e.errno
                        .is_some_and(|n| empty_when.is_some_and(|f| f(filter, n))) =>
                {
                    true
                }
                r => r?,
            };
            if !complete {
                if !out.can_restart() {
                    return Err(Error::other(
                        "EDUMPINTR",
                        format!(
                            "the {} dump was interrupted by a concurrent change after part of it was handed out; iterate again",
                            kind.name()
                        ),
                    ));
                }
                continue 'attempts;
            }
        }
        if !undecodable.is_empty() {
            return Err(Error::other(
                "EPROTO",
                format!(
                    "{} entr{} of the {} dump could not be decoded (the rest was read): {}",
                    undecodable.len(),
                    if undecodable.len() == 1 { "y" } else { "ies" },
                    kind.name(),
                    undecodable.join("; ")
                ),
            ));
        }
        return Ok(());
    }
    Err(Error::other(
        "EDUMPINTR",
        format!(
            "the {} dump was interrupted by concurrent changes {DUMP_ATTEMPTS} times in a row",
            kind.name()
        ),
    ))
}

/// The dump requests that together list `kind`, as its declaration says
/// (`Dump`); tc classes, filters and chains are dumped per link and parent
/// (see `tc_parents`). None: listing the parents was interrupted, start over.
fn requests(
    req: &mut Requester,
    kind: Kind,
    filter: &Filter,
) -> Result<Option<Vec<Vec<u8>>>, Error> {
    Ok(Some(match kind.decl().dump {
        Dump::None => Vec::new(),
        Dump::Bodies { bodies, .. } => bodies(filter),
        Dump::PerTcParent => {
            let Some(parents) = tc_parents(req, kind, filter)? else {
                return Ok(None);
            };
            parents
                .into_iter()
                .map(|(ifindex, parent)| {
                    let mut body = kind.dump_header(0);
                    body[4..8].copy_from_slice(&ifindex.to_ne_bytes());
                    body[12..16].copy_from_slice(&parent.to_ne_bytes());
                    body
                })
                .collect()
        }
    }))
}

/// TC_H_MAJ of a handle: its qdisc.
const TC_H_MAJ_MASK: u32 = 0xffff_0000;
/// The pseudo-classes that hold filter blocks: the ingress qdisc's one
/// (TC_H_MIN_INGRESS), and clsact's two (TC_H_MIN_INGRESS and
/// TC_H_MIN_EGRESS, minors fff2 and fff3, as `tc filter show dev X ingress`
/// and `egress` ask for them).
const TC_H_INGRESS: u32 = 0xffff_fff1;
const TC_H_CLSACT_INGRESS: u32 = 0xffff_fff2;
const TC_H_CLSACT_EGRESS: u32 = 0xffff_fff3;

/// Where tc objects of `kind` live, as (ifindex, parent) pairs to dump:
/// classes per link that has a qdisc (parent 0: all its qdiscs); filters
/// and chains per qdisc with a handle and per class (each has its own
/// block), and for ingress and clsact per pseudo-class. Read from a qdisc
/// (and for filters, a class) dump on the same socket.
fn tc_parents(
    req: &mut Requester,
    kind: Kind,
    filter: &Filter,
) -> Result<Option<Vec<(i32, u32)>>, Error> {
    let scoped = Filter {
        ifindex: filter.ifindex,
        ..Filter::default()
    };
    let mut qdiscs: Vec<Resource> = Vec::new();
    let mut ignored = Vec::new();
    let qdisc_body = crate::tc::tcmsg_for_link(&scoped);
    if !dump_once(
        req,
        Kind::Qdisc,
        &qdisc_body,
        &scoped,
        &mut qdiscs,
        &mut ignored,
    )? {
        return Ok(None);
    }
    let mut links: Vec<i32> = Vec::new();
    let mut parents: Vec<(i32, u32)> = Vec::new();
    for q in &qdiscs {
        let Resource::Qdisc(t) = q else { continue };
        if !links.contains(&t.ifindex) {
            links.push(t.ifindex);
        }
        match t.kind.as_deref() {
            Some("clsact") => {
                parents.push((t.ifindex, TC_H_CLSACT_INGRESS));
                parents.push((t.ifindex, TC_H_CLSACT_EGRESS));
            }
            Some("ingress") => parents.push((t.ifindex, TC_H_INGRESS)),
            _ if t.handle & TC_H_MAJ_MASK != 0 => parents.push((t.ifindex, t.handle)),
            _ => {}
        }
    }
    if kind == Kind::TcClass {
        return Ok(Some(links.into_iter().map(|l| (l, 0)).collect()));
    }
    for &link in &links {
        let mut classes: Vec<Resource> = Vec::new();
        let mut body = Kind::TcClass.dump_header(0);
        body[4..8].copy_from_slice(&link.to_ne_bytes());
        if !dump_once(
            req,
            Kind::TcClass,
            &body,
            &scoped,
            &mut classes,
            &mut ignored,
        )? {
            return Ok(None);
        }
        for c in &classes {
            if let Resource::TcClass(t) = c {
                if t.handle & !TC_H_MAJ_MASK != 0 && !parents.contains(&(t.ifindex, t.handle)) {
                    parents.push((t.ifindex, t.handle));
                }
            }
        }
    }
    Ok(Some(parents))
}

/// One dump to NLMSG_DONE. Ok(false) means NLM_F_DUMP_INTR: start over.
fn dump_once(
    req: &mut Requester,
    kind: Kind,
    body: &[u8],
    filter: &Filter,
    out: &mut dyn Collect,
    undecodable: &mut Vec<String>,
) -> Result<bool, Error> {
    let Some(get_type) = kind.get_type() else {
        return Ok(true);
    };
    let seq = req.send(get_type, NLM_F_DUMP, body)?;
    let what = format!("dumping {}", kind.name());
    let mut interrupted = false;
    let flag = out.cancel_flag();
    req.replies(
        seq,
        &what,
        &|| flag.as_ref().is_some_and(|f| f.load(Ordering::Acquire)),
        |msg| {
            interrupted |= msg.flags & NLM_F_DUMP_INTR != 0;
            match msg.kind {
                // A dump that fails reports the error in NLMSG_DONE's payload.
                NLMSG_DONE if wire::i32_at(msg.payload, 0).unwrap_or(0) < 0 => {
                    Err(kernel_error(msg, &what))
                }
                NLMSG_DONE => Ok(Flow::Done),
                NLMSG_ERROR => Err(kernel_error(msg, &what)),
                t => {
                    // MDB dump replies carry the request's type, RTM_GETMDB.
                    if classify_message(t, msg.payload).map(|(k, _)| k) == Some(kind)
                        || t == get_type
                    {
                        let decoded = decode_each(kind, msg.payload, filter.decode, &mut |r| {
                            if r.kept_by(filter) {
                                out.push(r)
                            }
                        });
                        if let Err(e) = decoded {
                            undecodable.push(format!("type {t}: {e}"));
                        }
                    }
                    Ok(Flow::More)
                }
            }
        },
    )?;
    Ok(!interrupted)
}
