//! What a change is, shared by every kind's encoder and the engine that
//! sends them (mutate.rs): the verbs, an encoded request, and the error for
//! a verb a kind does not take. The kind modules encode into these and the
//! engine dispatches to the kind modules, so these live a floor below both.

use crate::error::Error;
use crate::netns::Netns;

pub const NLM_F_ACK: u16 = 0x4;
pub const NLM_F_REPLACE: u16 = 0x100;
pub const NLM_F_EXCL: u16 = 0x200;
pub const NLM_F_CREATE: u16 = 0x400;
pub const NLM_F_APPEND: u16 = 0x800;

/// What a change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// Create; fails with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
    Add,
    /// Create or replace (NLM_F_CREATE | NLM_F_REPLACE).
    Replace,
    /// Add beside what has the same key (routes: NLM_F_CREATE | NLM_F_APPEND).
    Append,
    /// Change an existing object in place (links).
    Set,
    /// Delete.
    Del,
}

impl Verb {
    pub fn from_name(name: &str) -> Option<Verb> {
        Some(match name {
            "add" => Verb::Add,
            "replace" => Verb::Replace,
            "append" => Verb::Append,
            "set" => Verb::Set,
            "del" => Verb::Del,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Verb::Add => "add",
            Verb::Replace => "replace",
            Verb::Append => "append",
            Verb::Set => "set",
            Verb::Del => "del",
        }
    }

    /// The verb in -ing form, for the `what` of a request ("adding route ...").
    pub fn ing(self) -> &'static str {
        match self {
            Verb::Add => "adding",
            Verb::Replace => "replacing",
            Verb::Append => "appending",
            Verb::Set => "setting",
            Verb::Del => "deleting",
        }
    }

    /// The nlmsg flags of a NEW request for this verb.
    pub fn new_flags(self) -> u16 {
        match self {
            Verb::Add => NLM_F_CREATE | NLM_F_EXCL,
            Verb::Replace => NLM_F_CREATE | NLM_F_REPLACE,
            Verb::Append => NLM_F_CREATE | NLM_F_APPEND,
            Verb::Set | Verb::Del => 0,
        }
    }
}

/// One encoded request: what is sent, and how errors name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub msg_type: u16,
    /// NLM_F_CREATE/EXCL/REPLACE/APPEND; REQUEST and ACK are added when sent.
    pub flags: u16,
    pub body: Vec<u8>,
    /// "adding route 10.1.0.0/24 table 254": the start of its error messages.
    pub what: String,
    /// Attributes whose value is a namespace file descriptor (IFLA_NET_NS_FD,
    /// IFLA_LINK_NETNSID is a number and needs none): opened when sent, on
    /// the thread that sends, and closed after the answer.
    pub netns_fds: Vec<(u16, Netns)>,
}

impl Request {
    pub fn new(msg_type: u16, flags: u16, body: Vec<u8>, what: impl Into<String>) -> Self {
        Request {
            msg_type,
            flags,
            body,
            what: what.into(),
            netns_fds: Vec::new(),
        }
    }
}

/// The error for a verb a kind does not take (`kind` as `Kind::name`).
pub fn unsupported(kind: &str, verb: Verb, has: &[Verb]) -> Error {
    let has: Vec<&str> = has.iter().map(|v| v.name()).collect();
    Error::other(
        "ERR_RTNL_UNSUPPORTED",
        format!(
            "{kind}.{}: {kind} cannot be changed with {}; they take {}",
            verb.name(),
            verb.name(),
            has.join(", ")
        ),
    )
}
