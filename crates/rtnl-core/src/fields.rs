//! Field readers the encoders of links, addresses, routes, rules and
//! neighbours share, on top of spec.rs: numbers given by the name `list()`
//! prints beside them, bit sets given by their names, the address family of
//! an object, and attribute payloads.

use std::net::IpAddr;

use serde_json::{Map, Value};

use crate::error::Error;
use crate::names::Name;
use crate::spec::{invalid, Spec};

/// A number `list()` prints with its name beside it (`table` and
/// `tableName`, `type` and `typeName`, ...). The number field takes the
/// number or a name, as `ip` does (`table: 'main'`, `protocol: 'static'`);
/// the name field takes a name. Both given must agree (a listed object fed
/// back does): `table: 254, tableName: 'local'` is refused, naming both. A
/// name is looked up among the names of 0..=255 (and, for tables, every
/// table rt_tables names), or read as a decimal.
pub fn number_or_name<'a>(
    spec: &mut Spec<'a>,
    field: &'a str,
    name_field: &'a str,
    max: u32,
    name_of: fn(u32) -> Name,
) -> Result<Option<u32>, Error> {
    let mut given_name = None;
    let given = match spec.value(field) {
        Some(Value::String(name)) => {
            given_name = Some(name.as_str());
            Some(lookup(spec, field, name, max, name_of)?)
        }
        Some(_) => spec.int(field, 0, max as i64)?.map(|n| n as u32),
        None => None,
    };
    let named = match spec.str(name_field)? {
        Some(name) => Some((name, lookup(spec, name_field, name, max, name_of)?)),
        None => None,
    };
    match (given, named) {
        // A listed object's name is the one printed for its number (two numbers may share one).
        (Some(n), Some((name, m))) if n != m && name_of(n) != name => Err(invalid(format!(
            "{}: {field} {} and {name_field} '{name}' disagree ('{name}' is {m}); give one, or both alike",
            spec.what(),
            match given_name {
                Some(s) => format!("'{s}' ({n})"),
                None => n.to_string(),
            }
        ))),
        (Some(n), _) => Ok(Some(n)),
        (None, named) => Ok(named.map(|(_, m)| m)),
    }
}

/// The number a name stands for in `field`: a name of 0..=255 (`name_of`),
/// a table rt_tables names (tables only: `max` above 255), or a decimal.
fn lookup(
    spec: &Spec<'_>,
    field: &str,
    name: &str,
    max: u32,
    name_of: fn(u32) -> Name,
) -> Result<u32, Error> {
    if let Ok(n) = name.parse::<u32>() {
        if n <= max {
            return Ok(n);
        }
    }
    let top = max.min(255);
    if let Some(n) = (0..=top).find(|&v| name_of(v) == name) {
        return Ok(n);
    }
    if max > 255 {
        if let Some(n) = crate::names::configured_table(name) {
            return Ok(n);
        }
    }
    if name.contains('\0') {
        return Err(invalid(format!(
            "{}: {field} must not contain NUL (the kernel would cut it there), got {name:?}",
            spec.what()
        )));
    }
    let known: Vec<String> = (0..=top)
        .map(|v| (v, name_of(v)))
        .filter(|(v, n)| *n != v.to_string())
        .map(|(_, n)| n.into_owned())
        .collect();
    Err(invalid(format!(
        "{}: {field} must be one of {} or a number from 0 to {max}, got '{name}'",
        spec.what(),
        known.join(", ")
    )))
}

/// A bit set `list()` prints with the names of its bits beside it (`flags`
/// and `flagNames`, `state` and `stateNames`): the number wins; the names
/// alone are or-ed together.
pub fn bits_or_names<'a>(
    spec: &mut Spec<'a>,
    field: &'a str,
    names_field: &'a str,
    max: u32,
    table: &[(u32, &str)],
) -> Result<Option<u32>, Error> {
    if let Some(n) = spec.int(field, 0, max as i64)? {
        spec.ignore(&[names_field]);
        return Ok(Some(n as u32));
    }
    let Some(list) = spec.array(names_field)? else {
        return Ok(None);
    };
    let mut bits = 0u32;
    for v in list {
        let found = v
            .as_str()
            .and_then(|s| table.iter().find(|(_, n)| n.eq_ignore_ascii_case(s)));
        match found {
            Some((bit, _)) => bits |= bit,
            None => {
                let known: Vec<&str> = table.iter().map(|(_, n)| *n).collect();
                return Err(invalid(format!(
                    "{}: {names_field} must hold names from {}, got {}",
                    spec.what(),
                    known.join(", "),
                    match v {
                        Value::String(s) => format!("'{s}'"),
                        other => other.to_string(),
                    }
                )));
            }
        }
    }
    Ok(Some(bits))
}

/// The family of an object: `family` when given (it must be one of
/// `allowed`), else the family of the first address among `from`; None when
/// nothing tells.
pub fn family<'a>(
    spec: &mut Spec<'a>,
    obj: &Map<String, Value>,
    allowed: &[(u8, &str)],
    from: &[&'a str],
) -> Result<Option<u8>, Error> {
    if let Some(f) = spec.u8("family")? {
        if allowed.iter().any(|(a, _)| *a == f) {
            return Ok(Some(f));
        }
        let list: Vec<String> = allowed.iter().map(|(a, n)| format!("{a} ({n})")).collect();
        return Err(invalid(format!(
            "{}: family must be {}, got {f}",
            spec.what(),
            list.join(" or ")
        )));
    }
    for k in from {
        // A bad address is its own error, not a missing family.
        if let Some(ip) = spec.ip(k, None)? {
            return Ok(Some(if ip.is_ipv4() { 2 } else { 10 }));
        }
    }
    let _ = obj;
    Ok(None)
}

/// An address as the kernel takes it: 4 or 16 bytes, network order.
pub fn ip_bytes(ip: IpAddr) -> Vec<u8> {
    match ip {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    }
}

/// A string attribute: its bytes and a NUL.
pub fn cstr(s: &str) -> Vec<u8> {
    let mut b = s.as_bytes().to_vec();
    b.push(0);
    b
}

/// A prefix as `ip` writes it, for the `what` of a request.
pub fn prefix(addr: Option<IpAddr>, len: u8) -> String {
    match addr {
        None if len == 0 => "default".into(),
        None => format!("?/{len}"),
        Some(a) => format!("{a}/{len}"),
    }
}
