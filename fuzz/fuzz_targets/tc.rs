//! `tc::decode_typed` on one message payload (the bytes after the 16-byte
//! nlmsghdr), then its JSON encoding. The first byte picks the message
//! type (qdisc, class, filter, chain); the rest is the payload. Seeds:
//! fuzz/corpus/tc.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtnl_core::tc;

const TYPES: [u16; 4] = [
    tc::RTM_NEWQDISC,
    tc::RTM_NEWTCLASS,
    tc::RTM_NEWTFILTER,
    tc::RTM_NEWCHAIN,
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, payload)) = data.split_first() else {
        return;
    };
    if let Ok(v) = tc::decode_typed(TYPES[sel as usize % TYPES.len()], payload) {
        if let Err(e) = serde_json::to_string(&v) {
            panic!("decoded tc did not encode as JSON: {e}");
        }
    }
});
