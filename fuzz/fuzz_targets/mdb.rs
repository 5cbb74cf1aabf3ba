//! `mdb::decode` on one message payload (the bytes after the 16-byte
//! nlmsghdr), then its JSON encoding. Seeds: fuzz/corpus/mdb.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtnl_core::mdb;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = mdb::decode(data) {
        if let Err(e) = serde_json::to_string(&v) {
            panic!("decoded mdb did not encode as JSON: {e}");
        }
    }
});
