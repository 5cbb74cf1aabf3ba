//! Prints every rtnetlink datagram this namespace's kernel multicasts, one
//! hex line each, prefixed with the first message's type. Used to capture
//! the bytes under tests/data (see tests/data/README.md):
//!
//!   ip netns exec NS cargo run -p rtnl-core --example capture -- 1 3 5 7 8 9 11 19

use rtnl_core::socket::{Recv, RouteSocket};
use rtnl_core::wire;

fn main() {
    let groups: Vec<u32> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sock = RouteSocket::open().expect("socket");
    for g in groups {
        sock.join(g).expect("join");
    }
    let mut buf = vec![0u8; 65536];
    loop {
        if let Recv::Datagram { len, .. } = sock.recv(&mut buf, false) {
            let kind = wire::u16_at(&buf, 4).unwrap_or(0);
            println!("{kind} {}", wire::hex(&buf[..len]));
        }
    }
}
