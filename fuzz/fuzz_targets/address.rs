//! `address::decode` on one message payload (the bytes after the 16-byte
//! nlmsghdr), then its JSON encoding. Seeds: fuzz/corpus/address.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtnl_core::address;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = address::decode(data) {
        if let Err(e) = serde_json::to_string(&v) {
            panic!("decoded address did not encode as JSON: {e}");
        }
    }
});
