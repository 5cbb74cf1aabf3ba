//! Shared by the mutate_* tests: a throwaway namespace per test (deleted in
//! Drop, even when the test panics), changes applied in it through
//! mutate::apply_here on a namespace thread, and what `ip -j` and the
//! crate's own dump then show. Needs root; skipped with a message otherwise.
#![allow(dead_code)]

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use rtnl_core::dump::{self, Filter};
use rtnl_core::mutate::{self, Verb};
use rtnl_core::{nsthread, Error, Kind, Netns};
use serde_json::{Map, Value};

static NEXT: AtomicUsize = AtomicUsize::new(0);

pub struct Ns(pub String);

impl Ns {
    pub fn new() -> Option<Ns> {
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: needs root to create network namespaces");
            return None;
        }
        let name = format!(
            "rtnlmut-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let ok = Command::new("ip")
            .args(["netns", "add", &name])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "ip netns add {name}");
        let ns = Ns(name);
        ns.ip(&["link", "set", "lo", "up"]);
        Some(ns)
    }

    pub fn netns(&self) -> Netns {
        Netns::Name(self.0.clone())
    }

    /// Runs a command in the namespace (`ip -n`, `bridge -n`); panics on failure.
    pub fn run(&self, tool: &str, args: &[&str]) -> String {
        let out = Command::new(tool)
            .arg("-n")
            .arg(&self.0)
            .args(args)
            .output()
            .expect(tool);
        assert!(
            out.status.success(),
            "{tool} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn ip(&self, args: &[&str]) -> String {
        self.run("ip", args)
    }

    /// `ip -j ARGS` parsed (an empty output is an empty array).
    pub fn ip_json(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["-j"];
        all.extend_from_slice(args);
        let out = self.ip(&all);
        if out.trim().is_empty() {
            return Vec::new();
        }
        serde_json::from_str::<Value>(&out)
            .expect("ip -j output")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// `bridge -j ARGS` parsed.
    pub fn bridge_json(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["-j"];
        all.extend_from_slice(args);
        let out = self.run("bridge", &all);
        if out.trim().is_empty() {
            return Vec::new();
        }
        serde_json::from_str::<Value>(&out)
            .expect("bridge -j output")
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Encodes and applies a batch of changes; one result per change.
    pub fn batch(&self, kind: Kind, changes: Vec<(Verb, Value)>) -> Vec<Result<(), Error>> {
        let reqs: Vec<_> = changes
            .iter()
            .map(|(verb, obj)| mutate::encode(kind, *verb, obj.as_object().expect("an object")))
            .collect();
        nsthread::run_in(&self.netns(), move |_| mutate::apply_here(reqs)).expect("apply_here")
    }

    /// One change.
    pub fn apply(&self, kind: Kind, verb: Verb, obj: Value) -> Result<(), Error> {
        self.batch(kind, vec![(verb, obj)]).pop().unwrap()
    }

    /// The crate's own dump of `kind`, as the JSON list() gives.
    pub fn list(&self, kind: Kind) -> Vec<Value> {
        dump::list(kind, &self.netns(), Filter::default())
            .expect("list")
            .iter()
            .map(|r| serde_json::to_value(r).unwrap())
            .collect()
    }

    pub fn ifindex(&self, name: &str) -> u32 {
        self.ip_json(&["link", "show", "dev", name])[0]["ifindex"]
            .as_u64()
            .unwrap() as u32
    }
}

impl Drop for Ns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

/// Encodes without sending: the error of an invalid field.
pub fn encode_err(kind: Kind, verb: Verb, obj: Value) -> Error {
    mutate::encode(kind, verb, obj.as_object().expect("an object")).expect_err("an invalid object")
}

/// Whether `big` holds every key of `small` with an equal value (objects
/// and arrays compared recursively): the listed object contains what was given.
pub fn contains(big: &Value, small: &Value) -> bool {
    match (big, small) {
        (Value::Object(b), Value::Object(s)) => s
            .iter()
            .all(|(k, v)| b.get(k).is_some_and(|bv| contains(bv, v))),
        (Value::Array(b), Value::Array(s)) => {
            b.len() == s.len() && b.iter().zip(s).all(|(bv, sv)| contains(bv, sv))
        }
        _ => big == small,
    }
}

pub fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}
