//! `linkinfo::decode_data` / `decode_slave_data` on an IFLA_INFO_DATA /
//! IFLA_INFO_SLAVE_DATA payload, then its JSON encoding. The first input byte
//! selects the kind: index = byte % (DATA_KINDS.len() + SLAVE_KINDS.len());
//! indices below DATA_KINDS.len() pick a DATA_KINDS entry for decode_data,
//! the rest a SLAVE_KINDS entry for decode_slave_data. The rest of the input
//! is the attribute payload. Seeds: fuzz/corpus/linkinfo (seed.py uses the
//! same mapping).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtnl_core::linkinfo::{decode_data, decode_slave_data, DATA_KINDS, SLAVE_KINDS};

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let i = sel as usize % (DATA_KINDS.len() + SLAVE_KINDS.len());
    let map = match DATA_KINDS.get(i) {
        Some(kind) => decode_data(kind, rest),
        None => decode_slave_data(SLAVE_KINDS[i - DATA_KINDS.len()], rest),
    };
    if let Err(e) = serde_json::to_string(&map) {
        panic!("decoded linkinfo did not encode as JSON: {e}");
    }
});
