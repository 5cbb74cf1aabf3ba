//! Namespace ids (`ip netns list-id`): the number one namespace gives
//! another, which NETLINK_LISTEN_ALL_NSID tags events with.

use crate::error::Error;
use crate::kind::{new_del, zeroed_header, Dump, Key, KindDecl, KindDef};
use crate::netns;
use crate::protocol::{kernel_error, push_attr, Flow, Requester};
use crate::wire::{self, attrs, check, need, DecodeError, UnknownAttr};
use serde::Serialize;
use serde_with::skip_serializing_none;
use ts_rs::TS;

pub const RTM_NEWNSID: u16 = 88;
pub const RTM_DELNSID: u16 = 89;
pub const RTM_GETNSID: u16 = 90;
/// sizeof(struct rtgenmsg), 1 byte, padded to the attribute alignment.
pub const HEADER_LEN: usize = 4;

/// Namespace ids (`ip netns list-id`).
pub const NSIDS: KindDef<Nsid> = KindDef {
    decl: KindDecl {
        name: "nsids",
        ops: &new_del((RTM_NEWNSID, "new_nsid"), (RTM_DELNSID, "del_nsid")),
        get_type: Some(RTM_GETNSID),
        header_len: HEADER_LEN,
        groups: &["NSID"],
        dump: Dump::Bodies {
            bodies: |f| vec![zeroed_header(HEADER_LEN, f.family.unwrap_or(0))],
            empty_when: None,
        },
        get: None,
        encode: None,
        list_filters: &[],
        moving: &[],
        scope_keys: &[],
        watch_key: Key::of(&["nsid"], "the kernel keys an id by its number"),
        desired_key: None,
    },
    decode: |p, _, each| {
        each(decode(p)?);
        Ok(())
    },
    keeps: |_, _| true,
};
const NETNSA_NSID: u16 = 1;
const NETNSA_PID: u16 = 2;
const NETNSA_FD: u16 = 3;
const NETNSA_TARGET_NSID: u16 = 4;
const NETNSA_CURRENT_NSID: u16 = 5;
/// NETNSA_NSID_NOT_ASSIGNED.
const NOT_ASSIGNED: i32 = -1;

/// The id the calling thread's namespace gives the namespace behind `fd`,
/// or None when it has none.
pub fn nsid_of_fd(fd: libc::c_int) -> Result<Option<i32>, Error> {
    let mut req = Requester::open()?;
    // struct rtgenmsg (padded to 4) + NETNSA_FD
    let mut body = vec![0u8; 4];
    push_attr(&mut body, NETNSA_FD, &(fd as u32).to_ne_bytes());
    let what = "getting a namespace id";
    let seq = req.send(RTM_GETNSID, 0, &body)?;
    let mut id = None;
    req.replies(seq, what, &|| false, |msg| {
        if msg.kind == wire::NLMSG_ERROR {
            return Err(kernel_error(msg, what));
        }
        if msg.kind != RTM_NEWNSID {
            return Ok(Flow::More);
        }
        for (t, v) in wire::attrs(msg.payload.get(4..).unwrap_or(&[])) {
            if t == NETNSA_NSID {
                id = wire::i32_at(v, 0).filter(|id| *id != NOT_ASSIGNED);
            }
        }
        Ok(Flow::Done)
    })?;
    Ok(id)
}

/// The id the calling thread's namespace gives the namespace file at `path`.
pub fn nsid_of_path(path: &str) -> Result<Option<i32>, Error> {
    let fd = netns::open_file(path, "opening a namespace file", "path")?;
    let result = nsid_of_fd(fd);
    unsafe { libc::close(fd) };
    result
}

/// The id the namespace of the monitor's socket gives itself, if any: some
/// kernels tag events from the own namespace with it.
/// Called on the monitor's thread, which is in that namespace.
pub fn own_nsid() -> Option<i32> {
    nsid_of_path("/proc/thread-self/ns/net").ok().flatten()
}

/// A namespace id: the number this namespace gives another one (`ip netns
/// list-id`), as `nsids.list()` returns it and an nsid event carries it
/// (struct rtgenmsg and its NETNSA_* attributes). Events of a monitor with
/// `allNsid` carry these numbers in `nsid`.
///
/// @example
/// ```ts
/// import { nsids, netnsNameOf } from 'rtnl'
///
/// for (const { nsid } of await nsids.list()) {
///   if (nsid !== undefined && nsid >= 0) console.log(nsid, await netnsNameOf(nsid))
/// }
/// ```
/// @category Namespaces
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct Nsid {
    /// rtgen_family (AF_UNSPEC in practice).
    pub family: u8,
    /// NETNSA_NSID: the id this namespace gives the other one; -1 (NETNSA_NSID_NOT_ASSIGNED) when it gives none.
    pub nsid: Option<i32>,
    /// NETNSA_PID: a process in the other namespace (requests only).
    pub pid: Option<u32>,
    /// NETNSA_FD: a file descriptor of the other namespace (requests only).
    pub fd: Option<u32>,
    /// NETNSA_TARGET_NSID: the namespace whose ids a request asks for (`ip netns list-id target-nsid N`).
    pub target_nsid: Option<i32>,
    /// NETNSA_CURRENT_NSID: in a reply to a request with a target, the id the asking namespace gives the listed one (-1 if none).
    pub current_nsid: Option<i32>,
    /// Attributes not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// Decodes the body of an RTM_NEWNSID/RTM_DELNSID message, for events and dumps alike.
pub fn decode(payload: &[u8]) -> Result<Nsid, DecodeError> {
    need(payload, 1, "rtgenmsg")?;
    let mut n = Nsid {
        family: payload[0],
        ..Nsid::default()
    };
    let mut walk = attrs(payload.get(HEADER_LEN..).unwrap_or(&[]));
    for (kind, data) in walk.by_ref() {
        match (kind, wire::i32_at(data, 0)) {
            (NETNSA_NSID, Some(v)) => n.nsid = Some(v),
            (NETNSA_PID, Some(v)) => n.pid = Some(v as u32),
            (NETNSA_FD, Some(v)) => n.fd = Some(v as u32),
            (NETNSA_TARGET_NSID, Some(v)) => n.target_nsid = Some(v),
            (NETNSA_CURRENT_NSID, Some(v)) => n.current_nsid = Some(v),
            _ => n.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "nsid attributes")?;
    Ok(n)
}
