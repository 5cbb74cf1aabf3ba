//! The names `ip` prints for numbers (iproute2's rt_protos, rt_scopes,
//! rt_tables and route types). A number without a name prints as its
//! decimal, as `ip` does.
//!
//! Names configured on the machine win over the built-in ones, as in `ip`:
//! /usr/share/iproute2/NAME then /etc/iproute2/NAME and their NAME.d/*.conf
//! (lines "NUMBER NAME", '#' comments). `refresh()` re-reads them when a file
//! changed, at most every REFRESH; the reader and every dump call it, so a
//! name added with `echo 100 vpn >> /etc/iproute2/rt_tables` shows up without
//! a restart. Lookups never touch a file or a lock on the hot path: each
//! thread keeps the current snapshot and swaps it when the generation moves.

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

const DIRS: [&str; 2] = ["/usr/share/iproute2", "/etc/iproute2"];
const REFRESH: Duration = Duration::from_secs(1);

/// The configured names of one kind of number.
type Map = Vec<(u32, String)>;

#[derive(Default)]
struct Configured {
    tables: Map,
    protocols: Map,
    scopes: Map,
}

struct Loaded {
    names: Arc<Configured>,
    /// Every file read (and every NAME.d directory), with its mtime.
    stamps: Vec<(String, Option<SystemTime>)>,
    checked: Option<Instant>,
}

static GENERATION: AtomicU64 = AtomicU64::new(0);
static CURRENT: RwLock<Option<Arc<Configured>>> = RwLock::new(None);
static LOADER: Mutex<Option<Loaded>> = Mutex::new(None);

thread_local! {
    static LOCAL: RefCell<(u64, Arc<Configured>)> = RefCell::new((u64::MAX, Arc::default()));
}

fn mtime(path: &str) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The files of one name kind, in the order `ip` reads them (later wins).
fn files_of(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for dir in DIRS {
        out.push(format!("{dir}/{name}"));
        let d = format!("{dir}/{name}.d");
        let mut confs: Vec<String> = std::fs::read_dir(&d)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.path().to_string_lossy().into_owned())
                    .filter(|p| p.ends_with(".conf"))
                    .collect()
            })
            .unwrap_or_default();
        confs.sort();
        out.push(d);
        out.extend(confs);
    }
    out
}

/// Parses "NUMBER NAME" lines; the number in decimal or 0x hex.
pub fn parse_name_file(text: &str, into: &mut Map) {
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let mut words = line.split_whitespace();
        let (Some(num), Some(name)) = (words.next(), words.next()) else {
            continue;
        };
        let value = match num.strip_prefix("0x") {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse().ok(),
        };
        if let Some(v) = value {
            into.retain(|(n, _)| *n != v);
            into.push((v, name.to_string()));
        }
    }
}

fn load() -> Loaded {
    let mut names = Configured::default();
    let mut stamps = Vec::new();
    for (kind, map) in [
        ("rt_tables", &mut names.tables),
        ("rt_protos", &mut names.protocols),
        ("rt_scopes", &mut names.scopes),
    ] {
        for f in files_of(kind) {
            stamps.push((f.clone(), mtime(&f)));
            if let Ok(text) = std::fs::read_to_string(&f) {
                parse_name_file(&text, map);
            }
        }
    }
    Loaded {
        names: Arc::new(names),
        stamps,
        checked: Some(Instant::now()),
    }
}

/// Re-reads the configured names if a file changed (at most every REFRESH).
pub fn refresh() {
    let Ok(mut guard) = LOADER.try_lock() else {
        return; // another thread is at it
    };
    let stale = match guard.as_ref() {
        None => true,
        Some(l) if l.checked.is_some_and(|c| c.elapsed() < REFRESH) => return,
        Some(l) => {
            let files: Vec<String> = l.stamps.iter().map(|(f, _)| f.clone()).collect();
            let now: Vec<String> = ["rt_tables", "rt_protos", "rt_scopes"]
                .iter()
                .flat_map(|k| files_of(k))
                .collect();
            files != now || l.stamps.iter().any(|(f, t)| mtime(f) != *t)
        }
    };
    if stale {
        let loaded = load();
        if let Ok(mut cur) = CURRENT.write() {
            *cur = Some(loaded.names.clone());
        }
        *guard = Some(loaded);
        GENERATION.fetch_add(1, Ordering::Release);
    } else if let Some(l) = guard.as_mut() {
        l.checked = Some(Instant::now());
    }
}

/// This thread's snapshot of the configured names.
fn with_configured<T>(f: impl FnOnce(&Configured) -> T) -> T {
    let mut generation = GENERATION.load(Ordering::Acquire);
    if generation == 0 {
        refresh();
        generation = GENERATION.load(Ordering::Acquire);
    }
    LOCAL.with(|local| {
        let mut local = local.borrow_mut();
        if local.0 != generation {
            let current = CURRENT
                .read()
                .ok()
                .and_then(|c| c.clone())
                .unwrap_or_default();
            *local = (generation, current);
        }
        f(&local.1)
    })
}

fn configured(v: u32, pick: fn(&Configured) -> &Map) -> Option<Name> {
    with_configured(|c| {
        pick(c)
            .iter()
            .find(|(n, _)| *n == v)
            .map(|(_, s)| Cow::Owned(s.clone()))
    })
}

/// The number of a table named in rt_tables, whatever its size (a table
/// above 255 has no built-in name).
pub fn configured_table(name: &str) -> Option<u32> {
    with_configured(|c| c.tables.iter().find(|(_, s)| s == name).map(|(n, _)| *n))
}

/// A name from the table, borrowed (no allocation on the dump hot path), or
/// the number in decimal.
pub type Name = Cow<'static, str>;

fn named(v: u32, table: &'static [(u32, &'static str)]) -> Name {
    match table.iter().find(|(n, _)| *n == v) {
        Some((_, s)) => Cow::Borrowed(s),
        None => Cow::Owned(v.to_string()),
    }
}

/// RTPROT_*.
pub fn protocol(v: u8) -> Name {
    if let Some(n) = configured(v as u32, |c| &c.protocols) {
        return n;
    }
    named(
        v as u32,
        &[
            (0, "unspec"),
            (1, "redirect"),
            (2, "kernel"),
            (3, "boot"),
            (4, "static"),
            (8, "gated"),
            (9, "ra"),
            (10, "mrt"),
            (11, "zebra"),
            (12, "bird"),
            (13, "dnrouted"),
            (14, "xorp"),
            (15, "ntk"),
            (16, "dhcp"),
            (17, "mrouted"),
            (18, "keepalived"),
            (42, "babel"),
            (99, "openr"),
            (186, "bgp"),
            (187, "isis"),
            (188, "ospf"),
            (189, "rip"),
            (192, "eigrp"),
        ],
    )
}

/// RT_SCOPE_*.
pub fn scope(v: u8) -> Name {
    if let Some(n) = configured(v as u32, |c| &c.scopes) {
        return n;
    }
    named(
        v as u32,
        &[
            (0, "global"),
            (200, "site"),
            (253, "link"),
            (254, "host"),
            (255, "nowhere"),
        ],
    )
}

/// RTN_* route types.
pub fn route_type(v: u8) -> Name {
    named(
        v as u32,
        &[
            (0, "none"),
            (1, "unicast"),
            (2, "local"),
            (3, "broadcast"),
            (4, "anycast"),
            (5, "multicast"),
            (6, "blackhole"),
            (7, "unreachable"),
            (8, "prohibit"),
            (9, "throw"),
            (10, "nat"),
            (11, "xresolve"),
        ],
    )
}

/// RT_TABLE_*.
pub fn table(v: u32) -> Name {
    if let Some(n) = configured(v, |c| &c.tables) {
        return n;
    }
    named(
        v,
        &[
            (0, "unspec"),
            (252, "compat"),
            (253, "default"),
            (254, "main"),
            (255, "local"),
        ],
    )
}

/// FR_ACT_* rule actions.
pub fn rule_action(v: u8) -> Name {
    named(
        v as u32,
        &[
            (0, "unspec"),
            (1, "lookup"),
            (2, "goto"),
            (3, "nop"),
            (6, "blackhole"),
            (7, "unreachable"),
            (8, "prohibit"),
        ],
    )
}
