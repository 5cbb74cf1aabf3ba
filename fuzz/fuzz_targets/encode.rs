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
use rtnl_core::tc::TcObject;
use rtnl_core::Kind;
use serde_json::Value;

const VERBS: [Verb; 5] = [Verb::Add, Verb::Replace, Verb::Append, Verb::Set, Verb::Del];

fuzz_target!(|data: &[u8]| {
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    for kind in Kind::ALL {
        for verb in VERBS {
            let req = match mutate::encode(kind, verb, &obj) {
                Ok(req) => req,
                Err(e) => {
                    assert!(e.code.starts_with("ERR_"), "{kind:?} {verb:?}: refused with code {}", e.code);
                    assert!(!e.message.is_empty(), "{kind:?} {verb:?}: refused without a message");
                    continue;
                }
            };
            let body = &req.body[..];
            let decoded = match kind {
                Kind::Link => rtnl_core::link::decode(body).map(drop),
                Kind::Address => rtnl_core::address::decode(body).map(drop),
                Kind::Route => rtnl_core::route::decode(body).map(drop),
                Kind::Neighbour => rtnl_core::neighbour::decode(body).map(drop),
                Kind::Rule => rtnl_core::rule::decode(body).map(drop),
                Kind::Nexthop => rtnl_core::nexthop::decode(body).map(drop),
                Kind::Qdisc => rtnl_core::tc::decode_as(TcObject::Qdisc, body).map(drop),
                Kind::TcClass => rtnl_core::tc::decode_as(TcObject::Class, body).map(drop),
                Kind::TcFilter => rtnl_core::tc::decode_as(TcObject::Filter, body).map(drop),
                Kind::TcChain => rtnl_core::tc::decode_as(TcObject::Chain, body).map(drop),
                _ => Ok(()),
            };
            if let Err(e) = decoded {
                panic!("{kind:?} {verb:?} ({}): encoded a request its decoder refuses: {e:?}", req.what);
            }
        }
    }
});
