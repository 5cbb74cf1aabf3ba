//! The registry of kinds: `KINDS`, one line per kind, the table that
//! classifies a message by its type, and `Kind`'s methods, which read the
//! kind's declaration. Imports every kind module; none imports it.
//!
//! Pure data, read on any thread.

use serde::Serialize;

use crate::kind::{DecodeOptions, Filter, KindDecl, KindDef};
use crate::wire::DecodeError;
use crate::{
    address, bridge_port, link, mdb, nduseropt, neighbour, netconf, nexthop, nsid, prefix, route,
    rule, stats, tc, tc_action, vlan,
};

/// Registers the kinds: each line names a kind's variant, the type of its
/// objects (boxed where it is much larger than a route, so that `Resource`
/// stays small) and its `KindDef`. Writes `Kind`, `KINDS`, `Resource`,
/// `decode_each` and `Resource::kept_by` from them.
macro_rules! kinds {
    ($($variant:ident($object:ty) = $def:path;)*) => {
        /// The object kinds, each with its own module and the
        /// `ip`/`tc`/`bridge` subcommand it mirrors.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($variant,)*
        }

        impl Kind {
            /// Every kind, in the order the README's kind table lists them.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];
        }

        /// Every kind's declaration, in `Kind`'s order.
        pub const KINDS: &[&KindDecl] = &[$(&$def.decl,)*];

        /// A decoded object, of the kind its variant names. Serialised as
        /// the object alone: the kind is the event's op or the list it
        /// came from.
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(untagged)]
        pub enum Resource {
            $($variant($object),)*
        }

        impl Resource {
            pub fn kind(&self) -> Kind {
                match self {
                    $(Resource::$variant(_) => Kind::$variant,)*
                }
            }

            /// Whether a `list()` filter keeps the object (the kind's `keeps`).
            pub fn kept_by(&self, filter: &Filter) -> bool {
                match self {
                    $(Resource::$variant(o) => ($def.keeps)(o, filter),)*
                }
            }
        }

        /// Hands each kind's object type to `v`: the roots from which the
        /// type generator (crates/rtnl-typegen) reaches every type JS receives.
        pub fn visit_object_types(v: &mut impl ts_rs::TypeVisitor) {
            $(visit_object_type(&$def, v);)*
        }

        /// The TS declaration of a kind's object type (from its ts-rs
        /// derive): what the encoder's field names are checked against.
        #[cfg(test)]
        fn object_ts_decl(kind: Kind) -> String {
            match kind {
                $(Kind::$variant => ts_decl_of(&$def),)*
            }
        }

        /// Decodes one message of `kind` into its objects, handing each to
        /// `each` in order, through the kind's one decoder (events and dumps
        /// alike).
        pub fn decode_each(
            kind: Kind,
            payload: &[u8],
            opts: DecodeOptions,
            each: &mut dyn FnMut(Resource),
        ) -> Result<(), DecodeError> {
            match kind {
                $(Kind::$variant => ($def.decode)(payload, &opts, &mut |o| each(Resource::$variant(o.into()))),)*
            }
        }
    };
}

#[cfg(test)]
fn ts_decl_of<T: ts_rs::TS + 'static>(_: &KindDef<T>) -> String {
    T::decl(&ts_rs::Config::default())
}

fn visit_object_type<T: ts_rs::TS + 'static>(_: &KindDef<T>, v: &mut impl ts_rs::TypeVisitor) {
    v.visit::<T>();
}

// One line per kind: a new kind adds its line (and its module to the `use` above).
kinds! {
    Link(Box<link::Link>) = link::LINKS;
    Address(address::Address) = address::ADDRESSES;
    Route(route::Route) = route::ROUTES;
    Rule(rule::Rule) = rule::RULES;
    Neighbour(neighbour::Neighbour) = neighbour::NEIGHBOURS;
    Nexthop(Box<nexthop::NexthopObject>) = nexthop::NEXTHOPS;
    NexthopBucket(Box<nexthop::NexthopObject>) = nexthop::NEXTHOP_BUCKETS;
    Netconf(netconf::Netconf) = netconf::NETCONF;
    Nsid(nsid::Nsid) = nsid::NSIDS;
    Qdisc(Box<tc::Tc>) = tc::QDISCS;
    TcClass(Box<tc::Tc>) = tc::TC_CLASSES;
    TcFilter(Box<tc::Tc>) = tc::TC_FILTERS;
    TcChain(Box<tc::Tc>) = tc::TC_CHAINS;
    BridgeVlan(Box<vlan::BridgeVlan>) = vlan::BRIDGE_VLANS;
    BridgePort(Box<bridge_port::BridgePort>) = bridge_port::BRIDGE_PORTS;
    Mdb(Box<mdb::MdbEntry>) = mdb::MDB;
    Prefix(prefix::Prefix) = prefix::PREFIXES;
    NdUserOption(Box<nduseropt::NdUserOption>) = nduseropt::ND_USER_OPTIONS;
    LinkStats(Box<stats::LinkStats>) = stats::LINK_STATS;
    TcAction(Box<tc_action::TcAction>) = tc_action::TC_ACTIONS;
}

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
                table[op.nlmsg_type as usize] = Some((Kind::ALL[k], op.name));
            }
            o += 1;
        }
        k += 1;
    }
    table
};

impl Kind {
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == name)
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
        crate::kind::zeroed_header(self.header_len(), family)
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

    /// The top-level field names of a TS object declaration (`type X = { a: .., b?: .. }`).
    fn ts_fields(decl: &str) -> Vec<String> {
        let mut text = decl.to_string();
        while let Some(start) = text.find("/*") {
            let end = text[start..]
                .find("*/")
                .map_or(text.len(), |e| start + e + 2);
            text.replace_range(start..end, " ");
        }
        let (mut depth, mut fields, mut after_sep) = (0, Vec::new(), false);
        let chars: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '{' | '[' | '(' | '<' => {
                    depth += 1;
                    after_sep = depth == 1;
                }
                '}' | ']' | ')' | '>' => depth -= 1,
                ',' | ';' | '\n' if depth == 1 => after_sep = true,
                c if depth == 1 && after_sep && (c.is_alphabetic() || c == '_') => {
                    let start = i;
                    while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                        i += 1;
                    }
                    let name: String = chars[start..i].iter().collect();
                    let rest: String = chars[i..].iter().take(2).collect();
                    if rest.starts_with(':') || rest.starts_with("?:") {
                        fields.push(name);
                    }
                    after_sep = false;
                    continue;
                }
                c if !c.is_whitespace() => after_sep = false,
                _ => {}
            }
            i += 1;
        }
        fields
    }

    /// Every field name a kind's encoder reads is a field of the struct its
    /// decoder makes (the same serde/ts-rs declaration), or one of the few
    /// inputs a listing cannot give back, each named here with its reason:
    /// so a misspelt name in an encoder fails here, not in a user's write.
    #[test]
    fn encoders_read_the_fields_the_decoders_write() {
        use crate::change::Verb;
        // A valid object of each kind rtnl writes, plus a field no kind has: the encoder reads
        // every field it knows, then names them all in its unknown-field error.
        let minimal = |name: &str| -> serde_json::Value {
            match name {
                "links" => serde_json::json!({"name": "x0", "linkinfo": {"kind": "dummy"}}),
                "addresses" => {
                    serde_json::json!({"family": 2, "index": 1, "local": "10.0.0.1", "prefixlen": 24})
                }
                "routes" => {
                    serde_json::json!({"family": 2, "dst": "10.9.0.0", "dstLen": 16, "oif": 1})
                }
                "neighbours" => {
                    serde_json::json!({"family": 2, "ifindex": 1, "dst": "10.0.0.2", "lladdr": "02:00:00:00:00:01"})
                }
                "rules" => serde_json::json!({"family": 2, "priority": 5, "table": 10}),
                "nexthops" => serde_json::json!({"id": 1, "blackhole": true}),
                "qdiscs" => {
                    serde_json::json!({"ifindex": 1, "parent": 0xffffffffu32, "handle": 0x10000, "kind": "pfifo"})
                }
                "tcClasses" => {
                    serde_json::json!({"ifindex": 1, "parent": 0x10000, "handle": 0x10010, "kind": "htb", "options": {"parms": {"rate": {"rate": 125000}, "ceil": {"rate": 125000}}}})
                }
                "tcFilters" => {
                    serde_json::json!({"ifindex": 1, "parent": 0x10000, "prio": 1, "protocol": 8, "kind": "matchall"})
                }
                "tcChains" => serde_json::json!({"ifindex": 1, "parent": 0x10000, "chain": 5}),
                other => panic!("{other} is written: give it a minimal object here"),
            }
        };
        // Inputs that are not in the listed struct, each with why.
        let input_only: &[(&str, &str, &str)] = &[
            ("links", "netns", "moves the new link into another namespace: a listing shows where it is, not where it came from"),
            ("links", "setFlags", "which flag bits the change sets (ifi_change): a listing has the flags, not the mask"),
            ("links", "nameHex", "the name's bytes, which src/mutate.ts sends in place of `name` when they are not UTF-8"),
        ];
        let mut checked = 0;
        let mut used: Vec<String> = Vec::new();
        for (i, k) in KINDS.iter().enumerate() {
            let Some(encode) = k.encode else { continue };
            let mut obj = minimal(k.name);
            obj["zzzNotAField"] = serde_json::json!(1);
            let err = match encode(Verb::Add, obj.as_object().unwrap()) {
                Err(e) => e.message,
                Ok(_) => panic!("{}: the encoder took a field no kind has", k.name),
            };
            let (_, asked) = err
                .split_once("unknown field 'zzzNotAField'; expected one of ")
                .unwrap_or_else(|| {
                    panic!(
                        "{}: the minimal object is refused for another reason: {err}",
                        k.name
                    )
                });
            let fields = ts_fields(&object_ts_decl(Kind::ALL[i]));
            assert!(
                fields.len() > 3,
                "{}: fields read from {}",
                k.name,
                object_ts_decl(Kind::ALL[i])
            );
            for name in asked.split(", ") {
                let excused = input_only
                    .iter()
                    .any(|(kind, field, _)| *kind == k.name && *field == name);
                if excused {
                    used.push(name.to_string());
                }
                assert!(
                    fields.iter().any(|f| f == name) || excused,
                    "{}: the encoder reads '{name}', which the decoded struct does not have (fields: {})",
                    k.name,
                    fields.join(", ")
                );
            }
            checked += 1;
        }
        assert!(checked >= 9, "{checked} writable kinds checked");
        for (kind, field, _) in input_only {
            assert!(
                used.iter().any(|u| u == field),
                "{kind}: '{field}' is excused but no encoder reads it"
            );
        }
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
