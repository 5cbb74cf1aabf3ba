//! Shared by the change tests (mutate_*.rs): a throwaway namespace per test
//! (deleted on drop, also when the test panics), changes applied in it
//! through mutate::apply_here on a namespace thread, and what `ip`, `tc` and
//! `bridge -j` and the crate's own dump then show. Needs root; a test
//! without it is skipped with a message.
#![allow(dead_code)]

use std::borrow::Borrow;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use rtnl_core::dump::{self, Filter};
use rtnl_core::error::Error;
use rtnl_core::mutate::{self, Verb};
use rtnl_core::{nsthread, Kind, Netns};
use serde_json::{Map, Value};

static NEXT: AtomicUsize = AtomicUsize::new(0);

pub struct Ns {
    pub name: String,
    pub netns: Netns,
}

impl Ns {
    /// A namespace `rtnlmut-<pid>-<n>` with lo up; None when not root.
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
        Some(ns)
    }

    /// [`Ns::new`] plus veth v0/v1 up (v0 10.0.0.1/24, 2001:db8::1/64).
    pub fn with_veth() -> Option<Ns> {
        let ns = Ns::new()?;
        ns.ip(&["link", "add", "v0", "type", "veth", "peer", "name", "v1"]);
        ns.ip(&["link", "set", "v0", "up"]);
        ns.ip(&["link", "set", "v1", "up"]);
        ns.ip(&["addr", "add", "10.0.0.1/24", "dev", "v0"]);
        ns.ip(&["-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"]);
        Some(ns)
    }

    /// `TOOL -n NS ARGS` (ip, tc, bridge), which must succeed.
    pub fn run(&self, tool: &str, args: &[&str]) -> String {
        let mut all = vec!["-n", &self.name];
        all.extend_from_slice(args);
        run(tool, &all)
    }

    pub fn ip(&self, args: &[&str]) -> String {
        self.run("ip", args)
    }

    pub fn tc(&self, args: &[&str]) -> String {
        self.run("tc", args)
    }

    /// `ip -j ARGS` parsed (an empty output is an empty list).
    pub fn ip_json(&self, args: &[&str]) -> Vec<Value> {
        self.json("ip", args)
    }

    /// `tc -j ARGS` parsed.
    pub fn tc_json(&self, args: &[&str]) -> Vec<Value> {
        self.json("tc", args)
    }

    /// `bridge -j ARGS` parsed.
    pub fn bridge_json(&self, args: &[&str]) -> Vec<Value> {
        self.json("bridge", args)
    }

    fn json(&self, tool: &str, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["-j"];
        all.extend_from_slice(args);
        let out = self.run(tool, &all);
        if out.trim().is_empty() {
            return Vec::new();
        }
        match serde_json::from_str(&out) {
            Ok(Value::Array(list)) => list,
            other => panic!("{tool} -j {args:?}: {other:?}: {out}"),
        }
    }

    pub fn ifindex(&self, dev: &str) -> u32 {
        self.ip_json(&["link", "show", "dev", dev])[0]["ifindex"]
            .as_u64()
            .unwrap() as u32
    }

    /// Encodes and applies a batch of changes; one result per change.
    pub fn batch(&self, kind: Kind, changes: Vec<(Verb, Value)>) -> Vec<Result<(), Error>> {
        self.apply_all(
            changes
                .iter()
                .map(|(verb, obj)| mutate::encode(kind, *verb, obj.as_object().expect("an object")))
                .collect(),
        )
    }

    /// Encodes and applies one change: the encoder's error or the kernel's answer.
    pub fn apply(&self, kind: Kind, verb: Verb, obj: impl Borrow<Value>) -> Result<(), Error> {
        let req = mutate::encode(kind, verb, obj.borrow().as_object().expect("an object"))?;
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

    /// The crate's own dump of `kind`, each object as the JSON list() gives.
    pub fn list(&self, kind: Kind) -> Vec<Value> {
        dump::list(kind, &self.netns, Filter::default())
            .expect("dump")
            .iter()
            .map(|r| serde_json::to_value(r).unwrap())
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

/// Encodes only (no kernel): the encoder's error.
pub fn refused(kind: Kind, verb: Verb, obj: Value) -> Error {
    match mutate::encode(kind, verb, obj.as_object().expect("an object")) {
        Ok(r) => panic!("{} {} {obj} encoded: {r:?}", kind.name(), verb.name()),
        Err(e) => e,
    }
}

/// Whether `whole` contains every field of `part` (recursively; arrays
/// element by element): the listed object holds what was given.
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
    v.as_object().cloned().unwrap()
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
