//! Times the encoding side of a batch: 100,000 route adds as the binding
//! hands them to `mutate::apply_json` (JSON chunks of 1,024 ops), parsed and
//! encoded, nothing sent. No root, no kernel.
//!   cargo run --release -p rtnl-core --example encode_speed
use std::time::Instant;

use rtnl_core::mutate;

fn main() {
    let ops: Vec<String> = (0..100_000)
        .map(|i| {
            format!(
                r#"{{"kind":"routes","verb":"add","object":{{"dst":"10.{}.{}.{}","dstLen":32,"gateway":"10.254.0.2","oif":2,"table":100}}}}"#,
                (i >> 16) & 255,
                (i >> 8) & 255,
                i & 255
            )
        })
        .collect();
    let chunks: Vec<String> = ops
        .chunks(1024)
        .map(|c| format!("[{}]", c.join(",")))
        .collect();
    for _ in 0..5 {
        let t = Instant::now();
        let mut bytes = 0;
        for chunk in &chunks {
            let parsed: Vec<mutate::JsonOp> = serde_json::from_str(chunk).expect("a chunk");
            for op in &parsed {
                bytes += mutate::encode_json(op).expect("a route").body.len();
            }
        }
        println!(
            "{} ops encoded in {:?} ({bytes} bytes)",
            ops.len(),
            t.elapsed()
        );
    }
}
