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
use crate::message::{classify_message, decode_each, Kind, Resource};
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
        // The kinds whose family the options can filter on.
        let family = match r {
            Resource::Link(l) => Some(l.family),
            Resource::Address(a) => Some(a.family),
            Resource::Route(r) => Some(r.family),
            Resource::Neighbour(n) => Some(n.family),
            Resource::Rule(r) => Some(r.family),
            Resource::Nexthop(n) => Some(n.family),
            Resource::Netconf(n) => Some(n.family),
            _ => None,
        };
        if let (Some(want), Some(family)) = (self.family, family) {
            if want != family {
                return false;
            }
        }
        let ifindex = |i: i64| self.ifindex.is_none_or(|want| want as i64 == i);
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
            Resource::Address(a) => ifindex(a.index as i64),
            Resource::Neighbour(n) => ifindex(n.ifindex as i64),
            Resource::Tc(t) => ifindex(t.ifindex as i64),
            Resource::BridgeVlan(v) => ifindex(v.ifindex as i64),
            Resource::BridgePort(p) => ifindex(p.index as i64),
            Resource::Mdb(m) => ifindex(m.ifindex as i64),
            Resource::LinkStats(s) => ifindex(s.ifindex as i64),
            Resource::Netconf(n) => ifindex(n.ifindex.unwrap_or(0) as i64),
            Resource::Nexthop(n) => self.oif.is_none_or(|o| n.oif == Some(o)),
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
                // A kernel without bridge VLAN filtering has no VLAN database
                // to dump, and says so: there is no VLAN entry to list.
                Err(e) if kind == Kind::BridgeVlan && e.errno == Some(libc::EOPNOTSUPP) => true,
                // A routing table exists from its first route on: asked for
                // one that does not exist yet, the kernel answers ENOENT
                // ("FIB table does not exist"). It holds no route.
                Err(e)
                    if kind == Kind::Route
                        && filter.table.is_some()
                        && e.errno == Some(libc::ENOENT) =>
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

/// The dump requests that together list `kind`: one for most kinds;
/// neighbours without a family ask the neighbour tables (AF_UNSPEC) and the
/// bridge forwarding database (AF_BRIDGE), since both arrive as
/// RTM_NEWNEIGH on one group; tc classes, filters and chains are dumped per
/// link and parent, since the kernel keeps them per qdisc and class (see
/// `tc_parents`). None: listing the parents was interrupted, start over.
fn requests(
    req: &mut Requester,
    kind: Kind,
    filter: &Filter,
) -> Result<Option<Vec<Vec<u8>>>, Error> {
    Ok(Some(match (kind, filter.family) {
        (Kind::Neighbour, None) => vec![
            dump_body(kind, 0, filter),
            dump_body(kind, wire::AF_BRIDGE, filter),
        ],
        (Kind::BridgeVlan | Kind::Mdb, _) => vec![dump_body(kind, wire::AF_BRIDGE, filter)],
        (Kind::BridgePort, _) => vec![crate::bridge_port::dump_body()],
        (Kind::TcClass | Kind::TcFilter | Kind::TcChain, _) => {
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
        (_, f) => vec![dump_body(kind, f.unwrap_or(0), filter)],
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
    let qdisc_body = dump_body(Kind::Qdisc, 0, &scoped);
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
        let Resource::Tc(t) = q else { continue };
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
            if let Resource::Tc(t) = c {
                if t.handle & !TC_H_MAJ_MASK != 0 && !parents.contains(&(t.ifindex, t.handle)) {
                    parents.push((t.ifindex, t.handle));
                }
            }
        }
    }
    Ok(Some(parents))
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
        Kind::Nexthop => {
            if let Some(oif) = filter.oif {
                push_attr(&mut body, crate::nexthop::NHA_OIF, &oif.to_ne_bytes());
            }
        }
        Kind::BridgeVlan | Kind::Qdisc => {
            if let Some(ifindex) = filter.ifindex {
                body[4..8].copy_from_slice(&ifindex.to_ne_bytes());
            }
        }
        Kind::LinkStats => {
            // filter_mask: the groups `ip stats show` prints (a dump with
            // none is refused). The ifindex filter is applied here: the
            // kernel refuses one in a dump request.
            body[8..12].copy_from_slice(&crate::stats::DUMP_FILTER_MASK.to_ne_bytes());
        }
        _ => {}
    }
    body
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
                            if filter.keeps(&r) {
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
