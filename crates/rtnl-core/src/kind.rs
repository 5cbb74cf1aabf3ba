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
use crate::spec::Spec;
use crate::wire::DecodeError;

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
    /// The JS name: `routes.list()`, `watch(['routes'])`.
    pub name: &'static str,
    /// The events of the kind.
    pub ops: &'static [Op],
    /// RTM_GET* (its replies carry the RTM_NEW* type); None for kinds the
    /// kernel only multicasts.
    pub get_type: Option<u16>,
    /// The fixed header's length, padded to the attribute alignment.
    pub header_len: usize,
    /// The multicast groups its events come on (RTNLGRP_* names, without
    /// the prefix): what `subscribe()` joins for the kind.
    pub groups: &'static [&'static str],
    /// How `list()` asks the kernel for the kind.
    pub dump: Dump,
    /// How `get()` asks for one object by its identity; None for kinds
    /// without a `get()` or with one of their own (links by name, route
    /// lookups, MDB groups: get.rs).
    pub get: Option<GetRequestOf>,
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

/// How a kind is dumped.
#[derive(Debug, Clone, Copy)]
pub enum Dump {
    /// The kernel has no dump of it: it only multicasts.
    None,
    /// One dump request per body, each the kind's fixed header with the
    /// filters the kernel applies itself (strict checking).
    Bodies {
        bodies: fn(&Filter) -> Vec<Vec<u8>>,
        /// An errno of a request that means "nothing to list here" (a
        /// routing table that does not exist yet, a kernel without a VLAN
        /// database), not a failure.
        empty_when: Option<fn(&Filter, i32) -> bool>,
    },
    /// One request per link and tc parent, found by dumping the qdiscs
    /// (and for filters and chains the classes) first: the kernel keeps tc
    /// classes, filters and chains per qdisc and class (dump.rs).
    PerTcParent,
}

/// The kind's fixed header, zeroed but for the family: what a dump or get
/// request starts with (strict checking wants every other field 0).
pub fn zeroed_header(header_len: usize, family: u8) -> Vec<u8> {
    let mut header = vec![0u8; header_len];
    header[0] = family;
    header
}

/// What a link decode includes beyond what `ip -d` shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkDecode {
    /// The bulky per-family details: IPv4/IPv6 devconf and IPv6 statistics
    /// (about 3.5 kB of JSON per link). Without it they are skipped: known,
    /// and deliberately left out, not lost.
    pub af_details: bool,
}

/// What a decode includes beyond the defaults; the same for a monitor's
/// events and a dump, so that both give identical structs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecodeOptions {
    pub link: LinkDecode,
}

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
    /// tc actions only: the action kind ("gact"); without it, every kind
    /// rtnl knows is dumped.
    pub action_kind: Option<String>,
    /// What the decoder includes (as a monitor's `Config::decode`).
    pub decode: DecodeOptions,
}

impl Filter {
    /// Whether an object's family passes (kinds without one pass).
    pub fn family_is(&self, family: u8) -> bool {
        self.family.is_none_or(|want| want == family)
    }

    /// Whether an object's link passes.
    pub fn ifindex_is(&self, ifindex: i64) -> bool {
        self.ifindex.is_none_or(|want| want as i64 == ifindex)
    }
}

/// Decodes one message of a kind into its objects, each handed to `each`
/// in order: one for most kinds, every entry for the kinds whose dump
/// message carries many (bridge VLANs, MDB, tc actions).
pub type Decode<T> = fn(&[u8], &DecodeOptions, &mut dyn FnMut(T)) -> Result<(), DecodeError>;

/// A kind's declaration with its typed codec: what `kinds!` registers.
pub struct KindDef<T: 'static> {
    pub decl: KindDecl,
    /// The one decoder of the kind, for its events and its dumps alike.
    pub decode: Decode<T>,
    /// What a `list()` filter keeps, applied again after the kernel's own.
    pub keeps: fn(&T, &Filter) -> bool,
}

/// The request for one object, from the query JS gives (`{ id }`,
/// `{ ifindex, handle }`): each field read through `Spec`, so a wrong or
/// unknown one is an error that names it.
pub type GetRequestOf = fn(&mut Spec) -> Result<GetRequest, Error>;

/// One get request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetRequest {
    pub body: Vec<u8>,
    /// What is asked, for errors ("getting nexthop 7").
    pub what: String,
    /// Extra request flags: tc answers a qdisc, class or chain get as a
    /// notification, to the asker only with NLM_F_ECHO.
    pub flags: u16,
    /// The errnos that mean "no such object" (None, not an error).
    pub none: &'static [i32],
}
