//! The kinds and what is declared about each: each kind's module holds its
//! `KindDecl` (name, event ops, request type, header, list filters, the
//! fields that move by themselves, reconcile's scope keys, and its two
//! identities), and `kinds::KINDS` registers them, one line each. This module
//! is what the kind modules import; `kinds.rs` is what imports them.
//!
//! Pure data, read on any thread.

use serde_json::{Map, Value};

use crate::change::{Request, Verb};
use crate::error::Error;

/// How a kind's changes are encoded: the object as JS gives it, checked
/// whole, to one request (or the error that names what is wrong).
pub type Encode = fn(Verb, &Map<String, Value>) -> Result<Request, Error>;

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
    /// How its changes are encoded; None for a kind rtnl does not write.
    pub encode: Option<Encode>,
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

/// The object kinds, each with its own module and the `ip`/`tc`/`bridge`
/// subcommand it mirrors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Link,
    Address,
    Route,
    Neighbour,
    Rule,
    Nexthop,
    NexthopBucket,
    Netconf,
    Nsid,
    Qdisc,
    TcClass,
    TcFilter,
    TcChain,
    BridgeVlan,
    BridgePort,
    Mdb,
    Prefix,
    NdUserOption,
    LinkStats,
}

impl Kind {
    /// Every kind, in the order the README's kind table lists them.
    pub const ALL: [Kind; 19] = [
        Kind::Link,
        Kind::Address,
        Kind::Route,
        Kind::Neighbour,
        Kind::Rule,
        Kind::Nexthop,
        Kind::NexthopBucket,
        Kind::Netconf,
        Kind::Nsid,
        Kind::Qdisc,
        Kind::TcClass,
        Kind::TcFilter,
        Kind::TcChain,
        Kind::BridgeVlan,
        Kind::BridgePort,
        Kind::Mdb,
        Kind::Prefix,
        Kind::NdUserOption,
        Kind::LinkStats,
    ];
}
