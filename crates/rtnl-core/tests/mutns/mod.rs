//! Shared by the change tests (mutate_*.rs): a throwaway namespace with a
//! veth pair, deleted on drop (also on panic), requests applied in it, and
//! the `ip`/`tc` JSON output to check them against. Needs root; a test
//! without it is skipped with a message.
#![allow(dead_code)]

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use rtnl_core::dump::{self, Filter};
use rtnl_core::error::Error;
use rtnl_core::mutate::{self, Verb};
use rtnl_core::{nsthread, Kind, Netns, Resource};
use serde_json::{Map, Value};

static NEXT: AtomicUsize = AtomicUsize::new(0);

pub struct Ns {
    pub name: String,
    pub netns: Netns,
}

impl Ns {
    /// A namespace `rtnlmut-<pid>-<n>` with lo up and veth v0/v1 up
    /// (v0 10.0.0.1/24, 2001:db8::1/64); None when not root.
    pub fn new() -> Option<Ns> {
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: needs root to create network namespaces");
            return None;
        }
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let name = format!("rtnlmut-{}-{n}", std::process::id());
        run("ip", &["netns", "add", &name]);
        let ns = Ns {
            netns: Netns::Name(name.clone()),
            name,
        };
        ns.ip(&["link", "set", "lo", "up"]);
        ns.ip(&["link", "add", "v0", "type", "veth", "peer", "name", "v1"]);
        ns.ip(&["link", "set", "v0", "up"]);
        ns.ip(&["link", "set", "v1", "up"]);
        ns.ip(&["addr", "add", "10.0.0.1/24", "dev", "v0"]);
        ns.ip(&["-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"]);
        Some(ns)
    }

    /// `ip -n NS args...`, which must succeed.
    pub fn ip(&self, args: &[&str]) -> String {
        let mut all = vec!["-n", &self.name];
        all.extend_from_slice(args);
        run("ip", &all)
    }

    /// `ip -n NS -j args...` parsed.
    pub fn ip_json(&self, args: &[&str]) -> Value {
        let mut all = vec!["-j"];
        all.extend_from_slice(args);
        json(&self.ip(&all))
    }

    /// `tc -n NS args...`, which must succeed.
    pub fn tc(&self, args: &[&str]) -> String {
        let mut all = vec!["-n", &self.name];
        all.extend_from_slice(args);
        run("tc", &all)
    }

    /// `tc -n NS -j args...` parsed.
    pub fn tc_json(&self, args: &[&str]) -> Value {
        let mut all = vec!["-j"];
        all.extend_from_slice(args);
        json(&self.tc(&all))
    }

    pub fn ifindex(&self, dev: &str) -> u32 {
        self.ip_json(&["link", "show", dev])[0]["ifindex"]
            .as_u64()
            .unwrap() as u32
    }

    /// Encodes and applies one change in the namespace: the encoder's error
    /// or the kernel's answer.
    pub fn apply(&self, kind: Kind, verb: Verb, obj: &Value) -> Result<(), Error> {
        let req = mutate::encode(kind, verb, obj.as_object().expect("an object"))?;
        self.apply_all(vec![Ok(req)]).remove(0)
    }

    pub fn apply_all(&self, reqs: Vec<Result<mutate::Request, Error>>) -> Vec<Result<(), Error>> {
        nsthread::run_in(&self.netns, move |_| mutate::apply_here(reqs)).expect("the batch ran")
    }

    /// Applies and panics with the error when it fails.
    pub fn ok(&self, kind: Kind, verb: Verb, obj: &Value) {
        if let Err(e) = self.apply(kind, verb, obj) {
            panic!("{} {} {obj}: {e:?}", kind.name(), verb.name());
        }
    }

    /// The crate's own dump of `kind`, each object as its JSON.
    pub fn list(&self, kind: Kind) -> Vec<Value> {
        dump::list(kind, &self.netns, Filter::default())
            .expect("dump")
            .into_iter()
            .map(|r| match r {
                Resource::Nexthop(n) => serde_json::to_value(&*n).unwrap(),
                Resource::Tc(t) => serde_json::to_value(&*t).unwrap(),
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    }
}

impl Drop for Ns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
    }
}

pub fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().expect(cmd);
    assert!(
        out.status.success(),
        "{cmd} {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(s: &str) -> Value {
    if s.trim().is_empty() {
        return Value::Array(Vec::new());
    }
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

/// Encodes only (no kernel): the encoder's error message.
pub fn refused(kind: Kind, verb: Verb, obj: Value) -> Error {
    match mutate::encode(kind, verb, obj.as_object().expect("an object")) {
        Ok(r) => panic!("{} {} {obj} encoded: {r:?}", kind.name(), verb.name()),
        Err(e) => e,
    }
}

/// Whether `whole` contains every field of `part` (recursively; arrays
/// element by element).
pub fn contains(whole: &Value, part: &Value) -> bool {
    match (whole, part) {
        (Value::Object(w), Value::Object(p)) => p
            .iter()
            .all(|(k, v)| w.get(k).is_some_and(|wv| contains(wv, v))),
        (Value::Array(w), Value::Array(p)) => {
            w.len() == p.len() && w.iter().zip(p).all(|(a, b)| contains(a, b))
        }
        (a, b) => a == b,
    }
}

pub fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

/// Asserts a kernel error: errno name, its ext-ack, and the message
/// starting with the request's `what`.
pub fn assert_kernel(r: Result<(), Error>, code: &str, ext_ack: Option<&str>, what: &str) -> Error {
    let e = r.expect_err("the kernel refuses");
    assert_eq!(e.code, code, "{e:?}");
    assert!(e.errno.is_some(), "{e:?}");
    assert_eq!(e.ext_ack.as_deref(), ext_ack, "{e:?}");
    assert!(
        e.message
            .starts_with(&format!("{what}: the kernel answered {code}")),
        "{e:?}"
    );
    e
}
