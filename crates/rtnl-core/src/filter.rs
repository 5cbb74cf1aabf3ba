//! Kernel-side event filtering: a classic BPF program attached to the
//! monitor's socket (SO_ATTACH_FILTER), so unwanted messages never reach
//! user space, as FRR and dhcpcd do to survive large routing tables.
//!
//! The program sees each multicast skb, which holds one netlink message:
//! nlmsghdr (16 bytes), the kind's fixed header, then attributes. Classic
//! BPF loads are big-endian, netlink is host-endian: every constant compared
//! with a loaded half-word or word is byte-swapped to match (`ne16`/`ne32`).

use crate::error::Error;

/// What a monitor lets through. Every set criterion must hold; a criterion
/// that does not apply to a message's kind lets it through (links have no
/// family, rules no ifindex, only routes have a table).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Links: ifi_index; addresses: ifa_index; neighbours: ndm_ifindex;
    /// routes: RTA_OIF (a route without one does not match).
    pub ifindex: Vec<u32>,
    /// AF_INET (2) or AF_INET6 (10), for addresses, routes, neighbours, rules.
    pub family: Option<u8>,
    /// Routes: the effective table (RTA_TABLE, else rtm_table).
    pub table: Vec<u32>,
}

impl EventFilter {
    pub fn is_empty(&self) -> bool {
        self.ifindex.is_empty() && self.family.is_none() && self.table.is_empty()
    }
}

const LD: u16 = 0x00;
const LDX: u16 = 0x01;
const JMP: u16 = 0x05;
const JA: u16 = 0x00;
const RET: u16 = 0x06;
const MISC: u16 = 0x07;
const W: u16 = 0x00;
const H: u16 = 0x08;
const B: u16 = 0x10;
const IMM: u16 = 0x00;
const ABS: u16 = 0x20;
const IND: u16 = 0x40;
const JEQ: u16 = 0x10;
const K: u16 = 0x00;
const TAX: u16 = 0x00;
/// SKF_AD_OFF + SKF_AD_NLATTR: A = offset of attribute X, searching from offset A; 0 if absent.
const NLATTR: u32 = 0xffff_f000u32.wrapping_add(12);
const ACCEPT: u32 = 0xffff_ffff;

const NLMSG_TYPE: u32 = 4;
const BODY: u32 = 16;
/// The route attributes the filter looks up, as BPF operands.
const RTA_OIF: u32 = crate::route::RTA_OIF as u32;
const RTA_TABLE: u32 = crate::route::RTA_TABLE as u32;

fn ne16(v: u16) -> u32 {
    u16::from_be_bytes(v.to_ne_bytes()) as u32
}

fn ne32(v: u32) -> u32 {
    u32::from_be_bytes(v.to_ne_bytes())
}

/// An instruction whose jump targets are labels, resolved by `assemble`.
#[derive(Clone, Copy)]
enum Op {
    Stmt(u16, u32),
    /// if A == k goto t else goto f (labels within 255 instructions).
    Jeq(u32, Label, Label),
    /// goto (any distance: a 32-bit offset).
    Ja(Label),
    Here(Label),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Label {
    Next,
    Drop,
    At(usize),
}

struct Prog {
    ops: Vec<Op>,
    labels: usize,
}

impl Prog {
    fn label(&mut self) -> Label {
        self.labels += 1;
        Label::At(self.labels)
    }
    fn stmt(&mut self, code: u16, k: u32) {
        self.ops.push(Op::Stmt(code, k));
    }
    fn jeq(&mut self, k: u32, t: Label, f: Label) {
        self.ops.push(Op::Jeq(k, t, f));
    }
    fn here(&mut self, l: Label) {
        self.ops.push(Op::Here(l));
    }
    fn ja(&mut self, l: Label) {
        self.ops.push(Op::Ja(l));
    }
    /// if A == k goto `far` (any distance), else fall through.
    fn jeq_far(&mut self, k: u32, far: Label) {
        let skip = self.label();
        self.jeq(k, Label::Next, skip);
        self.ja(far);
        self.here(skip);
    }
    /// A must equal one of `values`, else drop.
    fn one_of(&mut self, values: &[u32]) {
        let ok = self.label();
        for &v in values {
            self.jeq(v, ok, Label::Next);
        }
        self.stmt(RET | K, 0);
        self.here(ok);
    }
    /// Loads into A the u32 payload of attribute `attr`, searching from
    /// `from`; jumps to `missing` (any distance) when the message has none.
    fn load_attr_u32(&mut self, from: u32, attr: u32, missing: Label) {
        self.stmt(LD | IMM, from);
        self.stmt(LDX | IMM, attr);
        self.stmt(LD | W | ABS, NLATTR);
        self.jeq_far(0, missing);
        self.stmt(MISC | TAX, 0);
        self.stmt(LD | W | IND, 4);
    }

    fn assemble(self) -> Result<Vec<libc::sock_filter>, Error> {
        // The program ends with `ret accept; ret drop`.
        let mut at = std::collections::HashMap::new();
        let mut n = 0usize;
        for op in &self.ops {
            match op {
                Op::Here(Label::At(l)) => {
                    at.insert(*l, n);
                }
                Op::Here(_) => {}
                _ => n += 1,
            }
        }
        let drop = n + 1;
        let mut out = Vec::with_capacity(n + 2);
        for op in &self.ops {
            let pc = out.len();
            let target = |l: Label| -> Result<u8, Error> {
                let to = match l {
                    Label::Next => pc + 1,
                    Label::Drop => drop,
                    Label::At(i) => at[&i],
                };
                u8::try_from(to - pc - 1).map_err(|_| {
                    Error::other(
                        "ERR_OUT_OF_RANGE",
                        "the event filter is too long for a BPF jump",
                    )
                })
            };
            match *op {
                Op::Stmt(code, k) => out.push(libc::sock_filter {
                    code,
                    jt: 0,
                    jf: 0,
                    k,
                }),
                Op::Jeq(k, t, f) => out.push(libc::sock_filter {
                    code: JMP | JEQ | K,
                    jt: target(t)?,
                    jf: target(f)?,
                    k,
                }),
                Op::Ja(l) => {
                    let to = match l {
                        Label::Next => pc + 1,
                        Label::Drop => drop,
                        Label::At(i) => at[&i],
                    };
                    out.push(libc::sock_filter {
                        code: JMP | JA,
                        jt: 0,
                        jf: 0,
                        k: (to - pc - 1) as u32,
                    });
                }
                Op::Here(_) => {}
            }
        }
        out.push(libc::sock_filter {
            code: RET | K,
            jt: 0,
            jf: 0,
            k: ACCEPT,
        });
        out.push(libc::sock_filter {
            code: RET | K,
            jt: 0,
            jf: 0,
            k: 0,
        });
        if out.len() > 4096 {
            return Err(Error::other(
                "ERR_OUT_OF_RANGE",
                "the event filter has more than 4096 BPF instructions",
            ));
        }
        Ok(out)
    }
}

/// Compiles `f` to a classic BPF program.
pub fn compile(f: &EventFilter) -> Result<Vec<libc::sock_filter>, Error> {
    let mut p = Prog {
        ops: Vec::new(),
        labels: 0,
    };
    let (link, addr, route, neigh, rule) = (p.label(), p.label(), p.label(), p.label(), p.label());
    p.stmt(LD | H | ABS, NLMSG_TYPE);
    for (types, l) in [
        ([16u16, 17], link),
        ([20, 21], addr),
        ([24, 25], route),
        ([28, 29], neigh),
        ([32, 33], rule),
    ] {
        for t in types {
            p.jeq_far(ne16(t), l);
        }
    }
    p.stmt(RET | K, ACCEPT); // other message types pass
    let ifindexes: Vec<u32> = f.ifindex.iter().map(|&i| ne32(i)).collect();
    let family = |p: &mut Prog| {
        if let Some(fam) = f.family {
            p.stmt(LD | B | ABS, BODY);
            p.one_of(&[fam as u32]);
        }
    };
    // Links, addresses, neighbours: the ifindex is at body + 4.
    for (l, has_family) in [(link, false), (addr, true), (neigh, true)] {
        p.here(l);
        if has_family {
            family(&mut p);
        }
        if !ifindexes.is_empty() {
            p.stmt(LD | W | ABS, BODY + 4);
            p.one_of(&ifindexes);
        }
        p.stmt(RET | K, ACCEPT);
    }
    // Routes: family, table (RTA_TABLE, else the header byte), RTA_OIF.
    p.here(route);
    family(&mut p);
    if !f.table.is_empty() {
        let from_header = p.label();
        let checked = p.label();
        p.load_attr_u32(BODY + 12, RTA_TABLE, from_header);
        let tables: Vec<u32> = f.table.iter().map(|&t| ne32(t)).collect();
        p.one_of(&tables);
        p.ja(checked);
        p.here(from_header);
        p.stmt(LD | B | ABS, BODY + 4);
        let small: Vec<u32> = f.table.iter().copied().filter(|&t| t < 256).collect();
        if small.is_empty() {
            p.stmt(RET | K, 0);
        } else {
            p.one_of(&small);
        }
        p.here(checked);
    }
    if !ifindexes.is_empty() {
        p.load_attr_u32(BODY + 12, RTA_OIF, Label::Drop);
        p.one_of(&ifindexes);
    }
    p.stmt(RET | K, ACCEPT);
    // Rules: family only.
    p.here(rule);
    family(&mut p);
    p.stmt(RET | K, ACCEPT);
    p.assemble()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_filter_compiles_to_accept_all_branches() {
        let prog = compile(&EventFilter::default()).unwrap();
        assert!(prog
            .iter()
            .all(|i| i.code != (RET | K) || i.k == ACCEPT || i.k == 0));
        assert!(prog.len() < 40);
    }

    #[test]
    fn long_lists_are_refused_not_miscompiled() {
        let f = EventFilter {
            ifindex: (1..400).collect(),
            ..Default::default()
        };
        assert_eq!(compile(&f).unwrap_err().code, "ERR_OUT_OF_RANGE");
        let ok = EventFilter {
            ifindex: (1..=100).collect(),
            table: (200..300).collect(),
            family: Some(2),
        };
        assert!(compile(&ok).is_ok());
    }
}
