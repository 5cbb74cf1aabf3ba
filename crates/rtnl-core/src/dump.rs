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
use crate::message::{classify, decode_resource_with, Kind, Resource};
use crate::neighbour::NDA_IFINDEX;
use crate::netns::Netns;
use crate::nsthread;
use crate::protocol::{kernel_error, push_attr, Flow, Requester, NLM_F_DUMP};
use crate::route::{RTA_OIF, RTA_TABLE};
use crate::wire::{self, NLMSG_DONE, NLMSG_ERROR, NLM_F_DUMP_INTR};

/// A dump interrupted by a concurrent change is retried this many times.
const DUMP_ATTEMPTS: usize = 5;

/// What a dump keeps. Each field is sent to the kernel where it filters
/// (strict checking: family for every kind, table for routes, ifindex for
/// addresses and neighbours) and applied again here, so the result is the
/// same on kernels that ignore a filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// AF_INET (2), AF_INET6 (10), or for neighbours AF_BRIDGE (7).
    pub family: Option<u8>,
    /// Routes only: the effective table.
    pub table: Option<u32>,
    /// Addresses and neighbours only: the link's ifindex.
    pub ifindex: Option<u32>,
    /// Routes only: a nexthop through this link (RTA_OIF, or one hop of a
    /// multipath route): the kernel checks every nexthop of a route against
    /// it (`ip route show dev X` keeps only routes whose RTA_OIF is X).
    pub oif: Option<u32>,
    /// What the decoder includes (as a monitor's `Config::decode`).
    pub decode: crate::message::DecodeOptions,
}

impl Filter {
    pub fn keeps(&self, r: &Resource) -> bool {
        let family = match r {
            Resource::Link(l) => l.family,
            Resource::Address(a) => a.family,
            Resource::Route(r) => r.family,
            Resource::Neighbour(n) => n.family,
            Resource::Rule(r) => r.family,
        };
        if self.family.is_some_and(|f| f != family) {
            return false;
        }
        match r {
            Resource::Route(r) => {
                self.table.is_none_or(|t| t == r.table)
                    && self.oif.is_none_or(|o| {
                        r.oif == Some(o)
                            || r.multipath
                                .iter()
                                .flatten()
                                .any(|h| h.oif as i64 == o as i64)
                    })
            }
            Resource::Address(a) => self.ifindex.is_none_or(|i| i == a.index),
            Resource::Neighbour(n) => self.ifindex.is_none_or(|i| i as i64 == n.ifindex as i64),
            _ => true,
        }
    }
}

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
    let families: Vec<u8> = match (kind, filter.family) {
        (Kind::Neighbour, None) => vec![0, wire::AF_BRIDGE],
        (_, f) => vec![f.unwrap_or(0)],
    };
    // One collector for every family: a retry restarts the whole dump.
    'attempts: for _ in 0..DUMP_ATTEMPTS {
        out.reset();
        let mut undecodable: Vec<String> = Vec::new();
        for &family in &families {
            if !dump_once(req, kind, family, filter, out, &mut undecodable)? {
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

/// The dump request body for `kind`, with the filters the kernel applies
/// itself under strict checking.
fn dump_body(kind: Kind, family: u8, filter: &Filter) -> Vec<u8> {
    let mut body = kind.dump_header(family);
    match kind {
        Kind::Route => {
            if let Some(table) = filter.table {
                // rtm_table holds tables below 256; RTA_TABLE any.
                body[4] = if table < 256 { table as u8 } else { 0 };
                push_attr(&mut body, RTA_TABLE, &table.to_ne_bytes());
            }
            if let Some(oif) = filter.oif {
                push_attr(&mut body, RTA_OIF, &oif.to_ne_bytes());
            }
        }
        Kind::Address => {
            if let Some(ifindex) = filter.ifindex {
                body[4..8].copy_from_slice(&ifindex.to_ne_bytes());
            }
        }
        Kind::Neighbour if family != wire::AF_BRIDGE => {
            if let Some(ifindex) = filter.ifindex {
                push_attr(&mut body, NDA_IFINDEX, &ifindex.to_ne_bytes());
            }
        }
        _ => {}
    }
    body
}

/// One dump to NLMSG_DONE. Ok(false) means NLM_F_DUMP_INTR: start over.
fn dump_once(
    req: &mut Requester,
    kind: Kind,
    family: u8,
    filter: &Filter,
    out: &mut dyn Collect,
    undecodable: &mut Vec<String>,
) -> Result<bool, Error> {
    let seq = req.send(
        kind.get_type(),
        NLM_F_DUMP,
        &dump_body(kind, family, filter),
    )?;
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
                    if classify(t).map(|(k, _)| k) == Some(kind) {
                        match decode_resource_with(kind, msg.payload, filter.decode) {
                            Ok(r) if filter.keeps(&r) => out.push(r),
                            Ok(_) => {}
                            Err(e) => undecodable.push(format!("type {t}: {e}")),
                        }
                    }
                    Ok(Flow::More)
                }
            }
        },
    )?;
    Ok(!interrupted)
}
