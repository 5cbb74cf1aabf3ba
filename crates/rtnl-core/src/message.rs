//! One rtnetlink message to one monitor item: the op name and the resource,
//! decoded by the same per-kind `decode` that dumps use, and the JSON form
//! both hand to JS.

use serde::Serialize;

pub use crate::kind::DecodeOptions;
use crate::kinds::BY_TYPE;
pub use crate::kinds::{decode_each, Kind, Resource};

use crate::bridge_port;
use crate::wire::DecodeError;

/// Maps a message to its kind and op name by its nlmsg_type and, for the
/// one type two kinds share, its family: an AF_BRIDGE RTM_NEWLINK/DELLINK
/// is a bridge port, not a link. None for types that are not one of the
/// object events.
pub fn classify_message(rtm_type: u16, payload: &[u8]) -> Option<(Kind, &'static str)> {
    match classify(rtm_type)? {
        (Kind::Link, op) if bridge_port::is_bridge_port_message(payload) => Some((
            Kind::BridgePort,
            if op == "new_link" {
                "new_bridge_port"
            } else {
                "del_bridge_port"
            },
        )),
        other => Some(other),
    }
}

/// Maps an nlmsg_type to its kind and op name, without looking at the
/// body (RTM_NEWLINK is a link here: see `classify_message`); None for
/// types that are not one of the object events.
pub fn classify(rtm_type: u16) -> Option<(Kind, &'static str)> {
    BY_TYPE.get(rtm_type as usize).copied().flatten()
}

/// The kernel's name for an nlmsg_type (`RTM_NEWACTION`), for the events
/// of types this library does not decode; None past the known table.
pub fn type_name(rtm_type: u16) -> Option<&'static str> {
    const NAMES: [&str; 4] = ["NEW", "DEL", "GET", "SET"];
    const OBJECTS: [&str; 27] = [
        "LINK",
        "ADDR",
        "ROUTE",
        "NEIGH",
        "RULE",
        "QDISC",
        "TCLASS",
        "TFILTER",
        "ACTION",
        "PREFIX",
        "MULTICAST",
        "ANYCAST",
        "NEIGHTBL",
        "",
        "NDUSEROPT",
        "ADDRLABEL",
        "DCB",
        "NETCONF",
        "",
        "MDB",
        "NSID",
        "STATS",
        "CACHEREPORT",
        "CHAIN",
        "NEXTHOP",
        "LINKPROP",
        "VLAN",
    ];
    static TABLE: std::sync::OnceLock<Vec<Option<String>>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = vec![None; 16 + OBJECTS.len() * 4 + 8];
        for (i, object) in OBJECTS.iter().enumerate() {
            if object.is_empty() {
                continue;
            }
            for (j, op) in NAMES.iter().enumerate() {
                t[16 + i * 4 + j] = Some(format!("RTM_{op}{object}"));
            }
        }
        // The types that break the pattern (linux/rtnetlink.h).
        t[16 + 27 * 4] = Some("RTM_NEWTUNNEL".into());
        t[16 + 27 * 4 + 1] = Some("RTM_DELTUNNEL".into());
        t[16 + 27 * 4 + 2] = Some("RTM_GETTUNNEL".into());
        t
    });
    table.get(rtm_type as usize).and_then(|n| n.as_deref())
}

/// The one decoder entry point per kind, shared by events and dumps, for
/// the kinds whose message is one object (all but bridge VLANs and MDB).
pub fn decode_resource(kind: Kind, payload: &[u8]) -> Result<Resource, DecodeError> {
    decode_resource_with(kind, payload, DecodeOptions::default())
}

/// `decode_resource` with options. A message of a kind that carries several
/// objects yields its first (use `decode_each` to get them all).
pub fn decode_resource_with(
    kind: Kind,
    payload: &[u8],
    opts: DecodeOptions,
) -> Result<Resource, DecodeError> {
    let mut first = None;
    decode_each(kind, payload, opts, &mut |r| {
        if first.is_none() {
            first = Some(r)
        }
    })?;
    first.ok_or_else(|| DecodeError(format!("the {} message holds no entry", kind.name())))
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
    /// Set for op 'unknown' only: the type's kernel name (`RTM_NEWACTION`),
    /// or `RTM_<number>` past the table this version knows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_name: Option<String>,
    /// Set for op 'unknown' only: the message body after the netlink header,
    /// in lower-case hex, so nothing the kernel said is lost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
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
    /// An event for something that could not be decoded, carrying its bytes.
    pub fn undecodable(rtm_type: u16, payload: &[u8], error: Option<String>) -> Event {
        Event {
            op: "unknown",
            rtm_type: Some(rtm_type),
            type_name: Some(match type_name(rtm_type) {
                Some(n) => n.to_string(),
                None => format!("RTM_{rtm_type}"),
            }),
            payload: Some(crate::wire::hex(payload)),
            resource: None,
            error,
            received_at: 0,
            nsid: None,
            nlmsg_flags: 0,
        }
    }
}

/// Decodes one multicast message into its events (one per object: see
/// `decode_each`). Never fails: what cannot be decoded becomes an 'unknown'
/// event carrying its type, its bytes and the reason.
pub fn decode_events(rtm_type: u16, payload: &[u8]) -> Vec<Event> {
    let mut out = Vec::with_capacity(1);
    decode_events_with(rtm_type, payload, DecodeOptions::default(), &mut out);
    out
}

/// `decode_events` with options, appending to `out`.
pub fn decode_events_with(
    rtm_type: u16,
    payload: &[u8],
    opts: DecodeOptions,
    out: &mut Vec<Event>,
) {
    let unknown = |error: Option<String>| Event::undecodable(rtm_type, payload, error);
    match classify_message(rtm_type, payload) {
        None => out.push(unknown(None)),
        Some((kind, op)) => {
            let start = out.len();
            let result = decode_each(kind, payload, opts, &mut |resource| {
                out.push(Event {
                    op,
                    rtm_type: None,
                    type_name: None,
                    payload: None,
                    resource: Some(resource),
                    error: None,
                    received_at: 0,
                    nsid: None,
                    nlmsg_flags: 0,
                })
            });
            match result {
                Ok(()) if out.len() > start => {}
                // A message with no entry: nothing to report but the message.
                Ok(()) => out.push(unknown(Some(format!(
                    "the {} message holds no entry",
                    kind.name()
                )))),
                Err(e) => {
                    out.truncate(start);
                    out.push(unknown(Some(e.0)));
                }
            }
        }
    }
}
