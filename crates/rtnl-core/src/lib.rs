//! rtnl-core: watch the kernel's network configuration over rtnetlink.
//!
//! Sockets, namespaces, decoding and the reader loop, with no napi in sight;
//! the `rtnl-node` crate converts these types for JS. One module per object
//! kind (`link`, `address`, `route`, `neighbour`, `rule`), each with a
//! `decode` used by both events (`monitor`) and dumps (`dump`).

pub mod address;
pub mod bridge_port;
pub mod change;
pub mod dump;
pub mod error;
pub mod fields;
pub mod filter;
pub mod get;
pub mod kind;
pub mod kinds;
pub mod link;
pub mod link_af;
pub mod linkinfo;
pub mod mdb;
pub mod message;
pub mod monitor;
pub mod mutate;
pub mod names;
pub mod nduseropt;
pub mod neighbour;
pub mod netconf;
pub mod netns;
pub mod nexthop;
pub mod nsid;
pub mod nsthread;
pub mod prefix;
pub mod protocol;
pub mod reactor;
pub mod route;
pub mod rule;
pub mod socket;
pub mod spec;
pub mod stats;
pub mod tc;
pub mod tc_action;
mod ts;
pub mod vlan;
pub mod wire;

pub use error::Error;
pub use message::{Item, Kind, Resource};
pub use monitor::{Config, Monitor, Shared, Sink};
pub use netns::Netns;
