//! What rtnl knows about each kind, declared once: each kind's module holds
//! its `KindDecl` (name, event ops, request type, header, list filters, the
//! fields that move by themselves, reconcile's scope keys, and its two
//! identities), and `KINDS` registers them, one line each. `Kind`'s methods
//! and `message::classify` read them here; crates/rtnl-typegen writes them
//! into src/generated/kinds.ts for watch(), reconcile() and `keyOf`.
//!
//! Pure data, read on any thread.

use crate::message::Kind;
use crate::{
    address, bridge_port, link, mdb, nduseropt, neighbour, netconf, nexthop, nsid, prefix, route,
    rule, stats, tc, vlan,
};

/// One event type of a kind.
#[derive(Debug, Clone, Copy)]
pub struct Op {
    /// The nlmsg_type the kernel sends.
    pub nlmsg_type: u16,
    /// The op name events carry ("new_route").
    pub name: &'static str,
    /// Whether the event removes the object (a del_*).
    pub removes: bool,
    /// Whether the object is one `list()` returns: multicast and anycast
    /// addresses come as address events but are not in the address dump.
    pub listed: bool,
}

/// How objects of a kind are told apart: the fields, each with its reason.
/// A part is a field (`dst`), a field with the value it takes when absent
/// (`chain=0`), two fields shown as one (`dst/dstLen`), or whether a list
/// field holds a name (`flagNames:self`). `*` is the whole object.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub parts: &'static [&'static str],
    /// Parts added when `when.0` equals `when.1` (bridge fdb entries, family 7).
    pub when: Option<(&'static str, i64, &'static [&'static str])>,
    /// Why these fields: the kernel's own identity rule for the kind.
    pub why: &'static str,
}

impl Key {
    pub const fn of(parts: &'static [&'static str], why: &'static str) -> Key {
        Key {
            parts,
            when: None,
            why,
        }
    }
}

/// Everything about one kind that more than one place needs.
#[derive(Debug, Clone, Copy)]
pub struct KindDecl {
    pub kind: Kind,
    /// The JS name: `routes.list()`, `watch(['routes'])`.
    pub name: &'static str,
    /// The events of the kind.
    pub ops: &'static [Op],
    /// RTM_GET* (its replies carry the RTM_NEW* type); None for kinds the
    /// kernel only multicasts.
    pub get_type: Option<u16>,
    /// The fixed header's length, padded to the attribute alignment.
    pub header_len: usize,
    /// The `list()` options that select objects (and so watch()'s `filters`).
    pub list_filters: &'static [&'static str],
    /// Fields that move without anything being configured (counters, ages,
    /// countdowns): a change to them alone is not a change.
    pub moving: &'static [&'static str],
    /// The fields a reconcile() scope may fix (empty: not reconciled).
    pub scope_keys: &'static [&'static str],
    /// What an event's object is keyed by in watch() and `keyOf`: what the
    /// kernel keeps apart as two objects.
    pub watch_key: Key,
    /// What a desired object is matched to a listed one by in reconcile(),
    /// where it differs from `watch_key`: the fields a change can set in
    /// place are left out, so that changing them is a replace, not a new object.
    pub desired_key: Option<Key>,
}

/// Ops of the common new/del pair.
pub const fn new_del(new: (u16, &'static str), del: (u16, &'static str)) -> [Op; 2] {
    [
        Op {
            nlmsg_type: new.0,
            name: new.1,
            removes: false,
            listed: true,
        },
        Op {
            nlmsg_type: del.0,
            name: del.1,
            removes: true,
            listed: true,
        },
    ]
}

/// Every kind, in `Kind`'s order (checked at compile time below). A new kind adds its line.
pub const KINDS: [&KindDecl; 19] = [
    &link::LINKS,
    &address::ADDRESSES,
    &route::ROUTES,
    &neighbour::NEIGHBOURS,
    &rule::RULES,
    &nexthop::NEXTHOPS,
    &nexthop::NEXTHOP_BUCKETS,
    &netconf::NETCONF,
    &nsid::NSIDS,
    &tc::QDISCS,
    &tc::TC_CLASSES,
    &tc::TC_FILTERS,
    &tc::TC_CHAINS,
    &vlan::BRIDGE_VLANS,
    &bridge_port::BRIDGE_PORTS,
    &mdb::MDB,
    &prefix::PREFIXES,
    &nduseropt::ND_USER_OPTIONS,
    &stats::LINK_STATS,
];

const _: () = {
    let mut i = 0;
    while i < KINDS.len() {
        assert!(
            KINDS[i].kind as usize == i,
            "KINDS must list the kinds in Kind's order"
        );
        i += 1;
    }
};

/// The highest nlmsg_type an event of any kind has, plus one.
const TYPES: usize = 128;

/// Kind and op by nlmsg_type, built from KINDS when compiling: the reader
/// classifies every message, so this is one index, not a search. The first
/// kind to claim a type keeps it (RTM_NEWLINK is a link; a bridge port is
/// told by its family in `message::classify_message`).
pub static BY_TYPE: [Option<(Kind, &str)>; TYPES] = {
    let mut table: [Option<(Kind, &str)>; TYPES] = [None; TYPES];
    let mut k = 0;
    while k < KINDS.len() {
        let mut o = 0;
        while o < KINDS[k].ops.len() {
            let op = KINDS[k].ops[o];
            assert!(
                (op.nlmsg_type as usize) < TYPES,
                "an op's nlmsg_type is past BY_TYPE"
            );
            if table[op.nlmsg_type as usize].is_none() {
                table[op.nlmsg_type as usize] = Some((KINDS[k].kind, op.name));
            }
            o += 1;
        }
        k += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ops_are_unique() {
        let mut names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), KINDS.len());
        let mut ops: Vec<&str> = KINDS
            .iter()
            .flat_map(|k| k.ops.iter().map(|o| o.name))
            .collect();
        let n = ops.len();
        ops.sort();
        ops.dedup();
        assert_eq!(ops.len(), n, "an op name is declared twice");
    }

    #[test]
    fn every_reconciled_kind_says_why_its_desired_key_differs() {
        for k in KINDS {
            assert!(!k.watch_key.why.is_empty(), "{}", k.name);
            if let Some(d) = k.desired_key {
                assert!(
                    !k.scope_keys.is_empty(),
                    "{}: a desired key without reconcile()",
                    k.name
                );
                assert!(!d.why.is_empty(), "{}", k.name);
            }
        }
    }
}
