//! Single requests (`ip link show dev X`, `ip route get`): one request,
//! one object back, decoded by the same per-kind decoders as events.
//!
//! Threads: these run on a namespace thread (nsthread.rs) inside the target
//! namespace.

use std::net::IpAddr;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::fields;
use crate::link::{self, IFLA_IFNAME};
use crate::message::{classify, decode_resource_with, DecodeOptions, Kind, Resource};
use crate::protocol::{kernel_error, push_attr, Flow, Requester};
use crate::route::{self, RTA_DST, RTA_IIF, RTA_MARK, RTA_OIF, RTA_SRC};
use crate::spec::Spec;
use crate::wire::{self, NLMSG_ERROR};

/// A request answered by one RTM_NEW* message or an error. ENODEV ("no
/// such object") comes back as Ok(None); an ACK is skipped.
fn request_one(
    kind: Kind,
    get_type: u16,
    body: &[u8],
    what: &str,
    opts: DecodeOptions,
) -> Result<Option<Resource>, Error> {
    request_one_or(kind, get_type, 0, body, what, opts, &[libc::ENODEV])
}

/// `request_one` with extra request `flags`, where `none` are the errnos
/// that mean "no such object".
fn request_one_or(
    kind: Kind,
    get_type: u16,
    flags: u16,
    body: &[u8],
    what: &str,
    opts: DecodeOptions,
    none: &[i32],
) -> Result<Option<Resource>, Error> {
    // A chain get is answered with the request's own type, RTM_GETCHAIN.
    let answers = |t: u16| classify(t).map(|(k, _)| k) == Some(kind) || t == get_type;
    ask(get_type, flags, body, what, none, answers, |payload| {
        decode_resource_with(kind, payload, opts)
    })
}

/// One request, one answer: the first reply whose type `answers` takes,
/// decoded by `decode`; None on an errno of `none` ("no such object"). An
/// ACK is skipped.
fn ask<T>(
    get_type: u16,
    flags: u16,
    body: &[u8],
    what: &str,
    none: &[i32],
    answers: impl Fn(u16) -> bool,
    decode: impl Fn(&[u8]) -> Result<T, crate::wire::DecodeError>,
) -> Result<Option<T>, Error> {
    let mut req = Requester::open()?;
    let seq = req.send(get_type, flags, body)?;
    let mut found = None;
    req.replies(seq, what, &|| false, |msg| {
        if msg.kind == NLMSG_ERROR {
            let e = kernel_error(msg, what);
            return match e.errno {
                Some(0) => Ok(Flow::More),
                Some(e) if none.contains(&e) => Ok(Flow::Done),
                _ => Err(e),
            };
        }
        if !answers(msg.kind) {
            return Ok(Flow::More);
        }
        let r = decode(msg.payload).map_err(|e| {
            Error::other(
                "EPROTO",
                format!("the reply to {what} could not be decoded: {e}"),
            )
        })?;
        found = Some(r);
        Ok(Flow::Done)
    })?;
    Ok(found)
}

/// Which link `get_link_here` asks for.
#[derive(Debug, Clone)]
pub enum LinkSelector {
    Index(u32),
    /// The name's exact bytes (see wire::KernelName).
    Name(wire::KernelName),
}

/// RTM_GETLINK for one link (`ip link show dev X`). None when there is no such link.
pub fn get_link_here(
    which: &LinkSelector,
    opts: DecodeOptions,
) -> Result<Option<link::Link>, Error> {
    let mut body = Kind::Link.dump_header(0);
    match which {
        LinkSelector::Index(i) => body[4..8].copy_from_slice(&i.to_ne_bytes()),
        LinkSelector::Name(n) => {
            // The kernel reads IFLA_IFNAME up to the first NUL: a name with
            // one inside would silently ask for a shorter name.
            if n.0.is_empty() || n.0.len() > 15 || n.0.contains(&0) {
                return Err(Error::other(
                    "ERR_INVALID_ARG_VALUE",
                    format!(
                        "links.get: name must be 1 to 15 bytes without NUL, got {} bytes",
                        n.0.len()
                    ),
                ));
            }
            let mut name = n.0.clone();
            name.push(0);
            push_attr(&mut body, IFLA_IFNAME, &name);
        }
    }
    match request_one(Kind::Link, link::RTM_GETLINK, &body, "getting a link", opts)? {
        Some(Resource::Link(l)) => Ok(Some(*l)),
        _ => Ok(None),
    }
}

/// What `ip route get` takes besides the destination.
#[derive(Debug, Clone, Default)]
pub struct RouteQuery {
    pub dst: String,
    pub src: Option<String>,
    pub iif: Option<u32>,
    pub oif: Option<u32>,
    pub mark: Option<u32>,
}

fn parse_ip(s: &str, what: &str) -> Result<IpAddr, Error> {
    s.parse::<IpAddr>().map_err(|_| {
        crate::spec::invalid(format!("{what} must be an IPv4 or IPv6 address, got '{s}'"))
    })
}

/// RTM_GETROUTE for one destination: the route the kernel would use, as
/// `ip route get` prints it.
pub fn get_route_here(q: &RouteQuery) -> Result<route::Route, Error> {
    let dst = parse_ip(&q.dst, "dst")?;
    let (family, bits) = match dst {
        IpAddr::V4(_) => (wire::AF_INET, 32u8),
        IpAddr::V6(_) => (wire::AF_INET6, 128u8),
    };
    let mut body = Kind::Route.dump_header(family);
    body[1] = bits;
    push_attr(&mut body, RTA_DST, &fields::ip_bytes(dst));
    if let Some(src) = &q.src {
        let src = parse_ip(src, "src")?;
        if src.is_ipv4() != dst.is_ipv4() {
            return Err(Error::other(
                "ERR_INVALID_ARG_VALUE",
                "src and dst must be of the same family",
            ));
        }
        body[2] = bits;
        push_attr(&mut body, RTA_SRC, &fields::ip_bytes(src));
    }
    for (attr, value) in [(RTA_IIF, q.iif), (RTA_OIF, q.oif), (RTA_MARK, q.mark)] {
        if let Some(v) = value {
            push_attr(&mut body, attr, &v.to_ne_bytes());
        }
    }
    let what = format!("getting the route to {}", q.dst);
    match request_one(
        Kind::Route,
        route::RTM_GETROUTE,
        &body,
        &what,
        DecodeOptions::default(),
    )? {
        Some(Resource::Route(r)) => Ok(r),
        _ => Err(Error::sys(libc::ENETUNREACH, "recvmsg", None, &what)),
    }
}

/// One object of `kind` by what identifies it, as the kind declares its
/// get (`KindDecl::get`): a nexthop by id (`ip nexthop get id N`), a link's
/// netconf (`ip netconf show dev X`), a link's statistics, a qdisc, class,
/// filter or chain by handle. `query` is the identity as JS gives it; a
/// wrong or unknown field is an error naming it. None when there is no
/// such object.
pub fn get_here(kind: Kind, query: &Map<String, Value>) -> Result<Option<Resource>, Error> {
    let decl = kind.decl();
    let (Some(request), Some(get_type)) = (decl.get, decl.get_type) else {
        return Err(Error::other(
            "ERR_INVALID_ARG_VALUE",
            format!("{}.get: the kind has no get by identity", decl.name),
        ));
    };
    let mut spec = Spec::new(query, format!("{}.get", decl.name));
    let req = request(&mut spec)?;
    spec.finish()?;
    request_one_or(
        kind,
        get_type,
        req.flags,
        &req.body,
        &req.what,
        DecodeOptions::default(),
        req.none,
    )
}

/// RTM_GETMDB for one group of one bridge (`bridge mdb get`, kernel 6.7
/// and later): its entry on every port, as `mdb.list()` has them. Empty
/// when the bridge has no such group (the kernel's ENOENT).
pub fn get_mdb_here(q: &crate::mdb::MdbQuery) -> Result<Vec<crate::mdb::MdbEntry>, Error> {
    let body = crate::mdb::get_request(q)?;
    let what = format!("getting mdb group {} of link {}", q.grp, q.ifindex);
    let found = ask(
        crate::mdb::RTM_GETMDB,
        0,
        &body,
        &what,
        &[libc::ENOENT],
        |t| t == crate::mdb::RTM_NEWMDB,
        crate::mdb::decode,
    )?;
    Ok(found.unwrap_or_default())
}
