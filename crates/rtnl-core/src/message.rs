//! One rtnetlink message to one monitor item: the op name and the resource,
//! decoded by the same per-kind `decode` that dumps use, and the JSON form
//! both hand to JS.

use serde::Serialize;

use crate::wire::DecodeError;
use crate::{address, link, neighbour, route, rule};

/// The object kinds, each with its own module and the `ip` subcommand it mirrors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Link,
    Address,
    Route,
    Neighbour,
    Rule,
}

impl Kind {
    pub fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "links" => Kind::Link,
            "addresses" => Kind::Address,
            "routes" => Kind::Route,
            "neighbours" => Kind::Neighbour,
            "rules" => Kind::Rule,
            _ => return None,
        })
    }

    /// The JS name of the kind.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Link => "links",
            Kind::Address => "addresses",
            Kind::Route => "routes",
            Kind::Neighbour => "neighbours",
            Kind::Rule => "rules",
        }
    }

    /// The RTM_GET* request type and the RTM_NEW* type its replies carry.
    pub fn get_type(self) -> u16 {
        match self {
            Kind::Link => link::RTM_GETLINK,
            Kind::Address => address::RTM_GETADDR,
            Kind::Route => route::RTM_GETROUTE,
            Kind::Neighbour => neighbour::RTM_GETNEIGH,
            Kind::Rule => rule::RTM_GETRULE,
        }
    }

    /// The kind's fixed header, zeroed but for the family: what a dump or
    /// get request starts with (strict checking wants every other field 0).
    pub fn dump_header(self, family: u8) -> Vec<u8> {
        let len = match self {
            Kind::Link => link::HEADER_LEN,
            Kind::Address => address::HEADER_LEN,
            Kind::Route => route::HEADER_LEN,
            Kind::Neighbour => neighbour::HEADER_LEN,
            Kind::Rule => rule::HEADER_LEN,
        };
        let mut header = vec![0u8; len];
        header[0] = family;
        header
    }
}

/// A decoded object. Links are boxed: they are several times larger than
/// the other kinds, and an unboxed enum would copy that size for every route.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Resource {
    Link(Box<link::Link>),
    Address(address::Address),
    Route(route::Route),
    Neighbour(neighbour::Neighbour),
    Rule(rule::Rule),
}

/// Maps an nlmsg_type to its kind and op name; None for types that are not
/// one of the ten object events.
pub fn classify(rtm_type: u16) -> Option<(Kind, &'static str)> {
    Some(match rtm_type {
        link::RTM_NEWLINK => (Kind::Link, "new_link"),
        link::RTM_DELLINK => (Kind::Link, "del_link"),
        address::RTM_NEWADDR => (Kind::Address, "new_addr"),
        address::RTM_DELADDR => (Kind::Address, "del_addr"),
        route::RTM_NEWROUTE => (Kind::Route, "new_route"),
        route::RTM_DELROUTE => (Kind::Route, "del_route"),
        neighbour::RTM_NEWNEIGH => (Kind::Neighbour, "new_neigh"),
        neighbour::RTM_DELNEIGH => (Kind::Neighbour, "del_neigh"),
        rule::RTM_NEWRULE => (Kind::Rule, "new_rule"),
        rule::RTM_DELRULE => (Kind::Rule, "del_rule"),
        _ => return None,
    })
}

/// What a decode includes beyond the defaults; the same for a monitor's
/// events and a dump, so that both give identical structs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecodeOptions {
    pub link: link::LinkDecode,
}

/// The one decoder entry point per kind, shared by events and dumps.
pub fn decode_resource(kind: Kind, payload: &[u8]) -> Result<Resource, DecodeError> {
    decode_resource_with(kind, payload, DecodeOptions::default())
}

/// `decode_resource` with options.
pub fn decode_resource_with(
    kind: Kind,
    payload: &[u8],
    opts: DecodeOptions,
) -> Result<Resource, DecodeError> {
    Ok(match kind {
        Kind::Link => Resource::Link(Box::new(link::decode_with(payload, opts.link)?)),
        Kind::Address => Resource::Address(address::decode(payload)?),
        Kind::Route => Resource::Route(route::decode(payload)?),
        Kind::Neighbour => Resource::Neighbour(neighbour::decode(payload)?),
        Kind::Rule => Resource::Rule(rule::decode(payload)?),
    })
}

/// What a monitor hands to JS, in order.
// Built and serialised in place by the reader, never stored in bulk: the
// size difference costs nothing, boxing would cost an allocation per event.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Item {
    Event(Event),
    ResyncNeeded {
        reason: ResyncReason,
    },
    /// The last item a monitor sends when the namespace file it was opened
    /// with no longer refers to its namespace (`ip netns del`, the process
    /// of `/proc/PID/ns/net` exited): nothing more can happen there that
    /// anyone can reach, and the reader ends.
    NetnsGone {
        path: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResyncReason {
    /// The kernel dropped messages: recv failed with ENOBUFS.
    Enobufs,
    /// This library dropped events: the queue to JS was full.
    Overflow,
    /// A datagram was larger than the receive buffer (MSG_TRUNC).
    Truncated,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub op: &'static str,
    /// Set for op 'unknown' only: the nlmsg_type that was not understood.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rtm_type: Option<u16>,
    pub resource: Option<Resource>,
    /// Set when a known message type failed to decode (op 'unknown').
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// CLOCK_REALTIME nanoseconds when the reader received the datagram (0:
    /// not set). Sent as a decimal string: JSON numbers lose precision past 2^53.
    #[serde(serialize_with = "decimal", skip_serializing_if = "is_zero")]
    pub received_at: u64,
    /// With NETLINK_LISTEN_ALL_NSID: Some(None) for the monitor's own
    /// namespace, Some(Some(id)) for a peer's; None when not listening to all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nsid: Option<Option<i32>>,
    /// The message's netlink header flags when any is set: NLM_F_REPLACE
    /// (0x100), NLM_F_EXCL (0x200), NLM_F_CREATE (0x400), NLM_F_APPEND
    /// (0x800). An IPv4 `ip route replace` that changes a route's gateway is
    /// one new_route with NLM_F_REPLACE: the route it replaced is gone.
    #[serde(skip_serializing_if = "is_zero_u16")]
    pub nlmsg_flags: u16,
}

fn is_zero_u16(v: &u16) -> bool {
    *v == 0
}

fn decimal<S: serde::Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

impl Event {
    /// An event for something that could not be decoded.
    pub fn undecodable(rtm_type: u16, error: Option<String>) -> Event {
        Event {
            op: "unknown",
            rtm_type: Some(rtm_type),
            resource: None,
            error,
            received_at: 0,
            nsid: None,
            nlmsg_flags: 0,
        }
    }
}

/// Decodes one multicast message. Never fails: what cannot be decoded
/// becomes an 'unknown' event carrying its type and the reason.
pub fn decode_event(rtm_type: u16, payload: &[u8]) -> Event {
    decode_event_with(rtm_type, payload, DecodeOptions::default())
}

/// `decode_event` with options.
pub fn decode_event_with(rtm_type: u16, payload: &[u8], opts: DecodeOptions) -> Event {
    let unknown = |error: Option<String>| Event::undecodable(rtm_type, error);
    match classify(rtm_type) {
        None => unknown(None),
        Some((kind, op)) => match decode_resource_with(kind, payload, opts) {
            Ok(resource) => Event {
                op,
                rtm_type: None,
                resource: Some(resource),
                error: None,
                received_at: 0,
                nsid: None,
                nlmsg_flags: 0,
            },
            Err(e) => unknown(Some(e.0)),
        },
    }
}
