//! A whole datagram, as the monitor's reader sees it: frame it into netlink
//! messages, decode each into an event and encode that as the JSON handed to
//! JS. Seeds: fuzz/corpus/datagram (real captured datagrams, see seed.py).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtnl_core::message::{decode_events, Item};
use rtnl_core::wire::messages;

fuzz_target!(|data: &[u8]| {
    for msg in messages(data) {
        // A framing error ends the walk (the iterator yields it once, then None).
        let Ok(msg) = msg else { continue };
        for event in decode_events(msg.kind, msg.payload) {
            // Encoding a decoded event must never fail: the binding has no
            // better answer for JS than an internal error.
            if let Err(e) = serde_json::to_string(&Item::Event(event)) {
                panic!("event for nlmsg_type {} did not encode as JSON: {e}", msg.kind);
            }
        }
    }
});
