//! Sends one rtnetlink dump request in this namespace and prints every reply
//! message as "<type> <hex of the message>" (the tests/data format), the
//! final NLMSG_DONE/NLMSG_ERROR included. Used to capture dump replies for
//! the tests (see tests/data/README.md):
//!
//!   ip netns exec NS cargo run -p rtnl-core --example dumpraw -- TYPE BODYHEX
//!
//! BODYHEX is the request body after the nlmsghdr (the family header and any
//! attributes), e.g. for a qdisc dump of every link: `38 000000000000000000000000000000000000000000`.
//! Strict checking is on, as in the library's dumps.

use rtnl_core::socket::{Recv, RouteSocket};
use rtnl_core::wire;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let kind: u16 = args.first().and_then(|a| a.parse().ok()).expect("TYPE");
    let body_hex = args.get(1).map(String::as_str).unwrap_or("");
    let body: Vec<u8> = (0..body_hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&body_hex[i..i + 2], 16).expect("hex"))
        .collect();
    let sock = RouteSocket::open().expect("socket");
    sock.enable_dump_options();
    let len = 16 + body.len();
    let mut req = Vec::with_capacity(len);
    req.extend_from_slice(&(len as u32).to_ne_bytes());
    req.extend_from_slice(&kind.to_ne_bytes());
    req.extend_from_slice(&0x301u16.to_ne_bytes()); // NLM_F_REQUEST | NLM_F_DUMP
    req.extend_from_slice(&1u32.to_ne_bytes());
    req.extend_from_slice(&0u32.to_ne_bytes());
    req.extend_from_slice(&body);
    sock.send(&req).expect("send");
    let mut buf = vec![0u8; 1 << 20];
    loop {
        if let Recv::Datagram { len, .. } = sock.recv(&mut buf, false) {
            let mut off = 0;
            for m in wire::messages(&buf[..len]) {
                let m = m.expect("framed");
                let mlen = 16 + m.payload.len();
                println!("{} {}", m.kind, wire::hex(&buf[off..off + mlen]));
                off += wire::align4(mlen);
                if m.kind == wire::NLMSG_DONE || m.kind == wire::NLMSG_ERROR {
                    return;
                }
            }
        }
    }
}
