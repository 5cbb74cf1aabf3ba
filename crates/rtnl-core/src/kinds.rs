//! The registry of kinds: `KINDS`, one line per kind, the table that
//! classifies a message by its type, and `Kind`'s methods, which read the
//! kind's declaration. Imports every kind module; none imports it.
//!
//! Pure data, read on any thread.

use crate::kind::{Kind, KindDecl};
use crate::{
    address, bridge_port, link, mdb, nduseropt, neighbour, netconf, nexthop, nsid, prefix, route,
    rule, stats, tc, vlan,
};

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

impl Kind {
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Everything declared about the kind (in its module, registered in KINDS).
    pub fn decl(self) -> &'static KindDecl {
        KINDS[self as usize]
    }

    /// The JS name of the kind.
    pub fn name(self) -> &'static str {
        self.decl().name
    }

    /// The RTM_GET* request type (its replies carry the RTM_NEW* type), or
    /// None for kinds the kernel only multicasts (IPv6 prefixes, ND options).
    pub fn get_type(self) -> Option<u16> {
        self.decl().get_type
    }

    /// The length of the kind's fixed header, padded to the attribute alignment.
    pub fn header_len(self) -> usize {
        self.decl().header_len
    }

    /// The kind's fixed header, zeroed but for the family: what a dump or
    /// get request starts with (strict checking wants every other field 0).
    pub fn dump_header(self, family: u8) -> Vec<u8> {
        let mut header = vec![0u8; self.header_len()];
        header[0] = family;
        header
    }
}

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
