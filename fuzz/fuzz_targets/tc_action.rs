//! `tc_action::decode` on one message payload (the bytes after the 16-byte
//! nlmsghdr: a tcamsg and its actions), then the JSON encoding of every
//! action. Seeds: fuzz/corpus/tc_action (the captured events and dumps of
//! crates/rtnl-core/tests/data/tc-action-*.hex).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtnl_core::tc_action;

fuzz_target!(|data: &[u8]| {
    if let Ok(actions) = tc_action::decode(data) {
        if let Err(e) = serde_json::to_string(&actions) {
            panic!("decoded tc actions did not encode as JSON: {e}");
        }
    }
});
