//! The names `ip` prints for numbers (iproute2's rt_protos, rt_scopes,
//! rt_tables and route types). A number without a name prints as its
//! decimal, as `ip` does.

use std::borrow::Cow;

/// A name from the table, borrowed (no allocation on the dump hot path), or
/// the number in decimal.
pub type Name = Cow<'static, str>;

fn named(v: u32, table: &'static [(u32, &'static str)]) -> Name {
    match table.iter().find(|(n, _)| *n == v) {
        Some((_, s)) => Cow::Borrowed(s),
        None => Cow::Owned(v.to_string()),
    }
}

/// RTPROT_*.
pub fn protocol(v: u8) -> Name {
    named(
        v as u32,
        &[
            (0, "unspec"),
            (1, "redirect"),
            (2, "kernel"),
            (3, "boot"),
            (4, "static"),
            (8, "gated"),
            (9, "ra"),
            (10, "mrt"),
            (11, "zebra"),
            (12, "bird"),
            (13, "dnrouted"),
            (14, "xorp"),
            (15, "ntk"),
            (16, "dhcp"),
            (17, "mrouted"),
            (18, "keepalived"),
            (42, "babel"),
            (99, "openr"),
            (186, "bgp"),
            (187, "isis"),
            (188, "ospf"),
            (189, "rip"),
            (192, "eigrp"),
        ],
    )
}

/// RT_SCOPE_*.
pub fn scope(v: u8) -> Name {
    named(
        v as u32,
        &[
            (0, "global"),
            (200, "site"),
            (253, "link"),
            (254, "host"),
            (255, "nowhere"),
        ],
    )
}

/// RTN_* route types.
pub fn route_type(v: u8) -> Name {
    named(
        v as u32,
        &[
            (0, "none"),
            (1, "unicast"),
            (2, "local"),
            (3, "broadcast"),
            (4, "anycast"),
            (5, "multicast"),
            (6, "blackhole"),
            (7, "unreachable"),
            (8, "prohibit"),
            (9, "throw"),
            (10, "nat"),
            (11, "xresolve"),
        ],
    )
}

/// RT_TABLE_*.
pub fn table(v: u32) -> Name {
    named(
        v,
        &[
            (0, "unspec"),
            (252, "compat"),
            (253, "default"),
            (254, "main"),
            (255, "local"),
        ],
    )
}

/// FR_ACT_* rule actions.
pub fn rule_action(v: u8) -> Name {
    named(
        v as u32,
        &[
            (0, "unspec"),
            (1, "lookup"),
            (2, "goto"),
            (3, "nop"),
            (6, "blackhole"),
            (7, "unreachable"),
            (8, "prohibit"),
        ],
    )
}
