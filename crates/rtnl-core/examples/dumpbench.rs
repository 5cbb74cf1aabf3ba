//! Times the stages of a route dump in the current namespace:
//!   ip netns exec NS cargo run --release -p rtnl-core --example dumpbench
use rtnl_core::{dump, Kind};
use std::time::Instant;

fn main() {
    recv_only();
    recv_only();
    for _ in 0..3 {
        let t0 = Instant::now();
        let mut routes = Vec::new();
        dump::dump_here(Kind::Route, &dump::Filter::default(), &mut routes).unwrap();
        let t1 = Instant::now();
        let json = serde_json::to_string(&routes).unwrap();
        let t2 = Instant::now();
        println!(
            "{} routes: dump+decode {:?}, json {:?} ({} bytes)",
            routes.len(),
            t1 - t0,
            t2 - t1,
            json.len()
        );
    }
}

/// The kernel's share: the same dump read and framed but not decoded.
#[allow(dead_code)]
pub fn recv_only() -> std::time::Duration {
    use rtnl_core::socket::{Recv, RouteSocket};
    let sock = RouteSocket::open().unwrap();
    let mut req = vec![0u8; 28];
    req[..4].copy_from_slice(&28u32.to_ne_bytes());
    req[4..6].copy_from_slice(&26u16.to_ne_bytes());
    req[6..8].copy_from_slice(&0x301u16.to_ne_bytes());
    req[8..12].copy_from_slice(&1u32.to_ne_bytes());
    let t0 = Instant::now();
    sock.send(&req).unwrap();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0;
    'outer: loop {
        if let Recv::Datagram { len, .. } = sock.recv(&mut buf, false) {
            for m in rtnl_core::wire::messages(&buf[..len]) {
                let m = m.unwrap();
                if m.kind == 3 {
                    break 'outer;
                }
                n += 1;
            }
        }
    }
    let d = t0.elapsed();
    println!("recv only: {n} messages in {d:?}");
    d
}
