//! `mutate::encode` on any JSON object, for every kind and verb: what the
//! validation of a change accepts must encode into a request that this
//! library's own decoder of that kind reads back, and what it refuses must
//! be refused with a code of this library (ERR_*) and a message; never a
//! panic. Seeds: fuzz/corpus/encode (one JSON object each, as list() gives
//! them and as a caller writes them).
#![no_main]

use libfuzzer_sys::fuzz_target;
use rtnl_core::change::Verb;
use rtnl_core::mutate;
use rtnl_core::message::{decode_each, DecodeOptions};
use rtnl_core::Kind;
use serde_json::Value;

const VERBS: [Verb; 5] = [Verb::Add, Verb::Replace, Verb::Append, Verb::Set, Verb::Del];

fuzz_target!(|data: &[u8]| {
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    for &kind in Kind::ALL {
        for verb in VERBS {
            let req = match mutate::encode(kind, verb, &obj) {
                Ok(req) => req,
                Err(e) => {
                    assert!(e.code.starts_with("ERR_"), "{kind:?} {verb:?}: refused with code {}", e.code);
                    assert!(!e.message.is_empty(), "{kind:?} {verb:?}: refused without a message");
                    continue;
                }
            };
            // The kind's own decoder, through the registry, as events and dumps use it.
            let decoded = decode_each(kind, &req.body, DecodeOptions::default(), &mut |_| {});
            if let Err(e) = decoded {
                panic!("{kind:?} {verb:?} ({}): encoded a request its decoder refuses: {e:?}", req.what);
            }
        }
    }
});
