//! Reading the objects a caller gives back for a change (`routes.add(route)`):
//! the same JSON structs `list()` returns, as a `serde_json` map. Every kind's
//! encoder reads its fields through a `Spec`, so every bad field is refused
//! the same way, before anything is sent: the error names the operation, the
//! field, what it was and what was expected.
//!
//! Read-only fields (counters, cacheinfo, the `*Name` forms of numbers) are
//! accepted and ignored: what you list, you can give back. A key the kind
//! does not have is an error, as a misspelling would otherwise be silently
//! dropped.

use std::net::IpAddr;

use serde_json::{Map, Value};

use crate::error::Error;

/// The fields of one object, read by an encoder.
pub struct Spec<'a> {
    /// The object's fields, in key order, each with whether an encoder read
    /// or ignored it. A Vec searched by length first, not the map: an
    /// encoder asks for thirty fields of an object that has five, and the
    /// map's ordered search (a memcmp per key) cost more than the encoding.
    fields: Vec<(&'a str, &'a Value, bool)>,
    /// "routes.add": names the operation in errors.
    what: String,
    /// Every field asked for, present or not: the "expected one of" list of
    /// an unknown-field error.
    asked: Vec<&'a str>,
}

/// A colon-hex link-layer address ("02:00:00:00:00:01", either case) as
/// bytes; `what` and `field` name it in the error.
pub fn mac_bytes(what: &str, field: &str, text: &str) -> Result<Vec<u8>, Error> {
    let bytes: Option<Vec<u8>> = text
        .split(':')
        .map(|p| {
            (p.len() == 2)
                .then(|| u8::from_str_radix(p, 16).ok())
                .flatten()
        })
        .collect();
    bytes.filter(|b| !b.is_empty()).ok_or_else(|| {
        invalid(format!(
            "{what}: {field} must be a link-layer address as colon hex ('02:00:00:00:00:01'), got '{text}'"
        ))
    })
}

/// An invalid argument: code ERR_INVALID_ARG_VALUE (ERR_INVALID_ARG_TYPE for
/// a value of the wrong JSON type), with `message` naming what was wrong.
pub fn invalid(message: String) -> Error {
    Error::other("ERR_INVALID_ARG_VALUE", message)
}

fn invalid_type(message: String) -> Error {
    Error::other("ERR_INVALID_ARG_TYPE", message)
}

fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => format!("'{s}'"),
        Value::Null => "null".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
        other => other.to_string(),
    }
}

impl<'a> Spec<'a> {
    pub fn new(obj: &'a Map<String, Value>, what: impl Into<String>) -> Self {
        Spec {
            fields: obj.iter().map(|(k, v)| (k.as_str(), v, false)).collect(),
            what: what.into(),
            asked: Vec::with_capacity(48),
        }
    }

    /// The operation, for messages ("routes.add").
    pub fn what(&self) -> &str {
        &self.what
    }

    /// The raw value of a field, marking it used; None when absent or null.
    pub fn value(&mut self, field: &'a str) -> Option<&'a Value> {
        self.asked.push(field);
        let (_, v, used) = self
            .fields
            .iter_mut()
            .find(|(k, _, _)| k.len() == field.len() && *k == field)?;
        *used = true;
        match v {
            Value::Null => None,
            v => Some(*v),
        }
    }

    /// Whether the field is present (and not null), marking it used.
    pub fn has(&mut self, field: &'a str) -> bool {
        self.value(field).is_some()
    }

    /// An error about `field`, naming the operation.
    pub fn error(&self, field: &str, expected: &str, got: &Value) -> Error {
        invalid(format!(
            "{}: {field} must be {expected}, got {}",
            self.what,
            describe(got)
        ))
    }

    /// A required field is missing.
    pub fn missing(&self, field: &str, expected: &str) -> Error {
        invalid(format!("{}: {field} is required ({expected})", self.what))
    }

    /// An integer field within `min..=max`.
    pub fn int(&mut self, field: &'a str, min: i64, max: i64) -> Result<Option<i64>, Error> {
        let Some(v) = self.value(field) else {
            return Ok(None);
        };
        if let Some(n) = v.as_i64().filter(|n| (min..=max).contains(n)) {
            return Ok(Some(n));
        }
        // Only on the way out: a string per field read cost more than the encoding.
        let expected = format!("an integer from {min} to {max}");
        match v.as_i64() {
            Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
            Some(_) => Err(Error::other(
                "ERR_OUT_OF_RANGE",
                format!("{}: {field} must be {expected}, got {v}", self.what),
            )),
            None if v.is_number() => Err(self.error(field, &expected, v)),
            None => Err(invalid_type(format!(
                "{}: {field} must be {expected}, got {}",
                self.what,
                describe(v)
            ))),
        }
    }

    pub fn u8(&mut self, field: &'a str) -> Result<Option<u8>, Error> {
        Ok(self.int(field, 0, u8::MAX as i64)?.map(|n| n as u8))
    }

    pub fn u16(&mut self, field: &'a str) -> Result<Option<u16>, Error> {
        Ok(self.int(field, 0, u16::MAX as i64)?.map(|n| n as u16))
    }

    pub fn u32(&mut self, field: &'a str) -> Result<Option<u32>, Error> {
        Ok(self.int(field, 0, u32::MAX as i64)?.map(|n| n as u32))
    }

    pub fn i32(&mut self, field: &'a str) -> Result<Option<i32>, Error> {
        Ok(self
            .int(field, i32::MIN as i64, i32::MAX as i64)?
            .map(|n| n as i32))
    }

    pub fn bool(&mut self, field: &'a str) -> Result<Option<bool>, Error> {
        let Some(v) = self.value(field) else {
            return Ok(None);
        };
        v.as_bool().map(Some).ok_or_else(|| {
            invalid_type(format!(
                "{}: {field} must be a boolean, got {}",
                self.what,
                describe(v)
            ))
        })
    }

    /// A string field. A NUL in it is refused: the kernel takes strings as
    /// C strings and would cut it there (an alias, a label, a kind).
    pub fn str(&mut self, field: &'a str) -> Result<Option<&'a str>, Error> {
        let Some(v) = self.value(field) else {
            return Ok(None);
        };
        match v.as_str() {
            Some(s) if s.contains('\0') => Err(invalid(format!(
                "{}: {field} must not contain NUL (the kernel would cut it there), got {:?}",
                self.what, s
            ))),
            Some(s) => Ok(Some(s)),
            None => Err(invalid_type(format!(
                "{}: {field} must be a string, got {}",
                self.what,
                describe(v)
            ))),
        }
    }

    /// An IP address field; `family` (2 or 10), when known, must match.
    pub fn ip(&mut self, field: &'a str, family: Option<u8>) -> Result<Option<IpAddr>, Error> {
        let Some(s) = self.str(field)? else {
            return Ok(None);
        };
        let ip: IpAddr = s.parse().map_err(|_| {
            invalid(format!(
                "{}: {field} must be an IPv4 or IPv6 address, got '{s}'",
                self.what
            ))
        })?;
        match (family, ip) {
            (Some(2), IpAddr::V6(_)) | (Some(10), IpAddr::V4(_)) => Err(invalid(format!(
                "{}: {field} '{s}' is not of the object's family ({})",
                self.what,
                if family == Some(2) {
                    "IPv4, family 2"
                } else {
                    "IPv6, family 10"
                }
            ))),
            _ => Ok(Some(ip)),
        }
    }

    /// A lower-case or upper-case colon MAC ("02:00:00:00:00:01") as bytes.
    pub fn mac(&mut self, field: &'a str) -> Result<Option<Vec<u8>>, Error> {
        let Some(s) = self.str(field)? else {
            return Ok(None);
        };
        mac_bytes(&self.what, field, s).map(Some)
    }

    /// A nested object field.
    pub fn object(&mut self, field: &'a str) -> Result<Option<&'a Map<String, Value>>, Error> {
        let Some(v) = self.value(field) else {
            return Ok(None);
        };
        v.as_object().map(Some).ok_or_else(|| {
            invalid_type(format!(
                "{}: {field} must be an object, got {}",
                self.what,
                describe(v)
            ))
        })
    }

    /// An array field.
    pub fn array(&mut self, field: &'a str) -> Result<Option<&'a Vec<Value>>, Error> {
        let Some(v) = self.value(field) else {
            return Ok(None);
        };
        v.as_array().map(Some).ok_or_else(|| {
            invalid_type(format!(
                "{}: {field} must be an array, got {}",
                self.what,
                describe(v)
            ))
        })
    }

    /// Marks fields that are read-only (counters, names of numbers, ...):
    /// accepted and ignored.
    pub fn ignore(&mut self, fields: &[&'a str]) {
        for field in fields {
            self.value(field);
        }
    }

    /// Fails on the first key nothing read or ignored: a misspelling, or a
    /// field this kind does not have.
    pub fn finish(self) -> Result<(), Error> {
        let unknown = self
            .fields
            .iter()
            .filter(|(_, _, used)| !used)
            .map(|(k, _, _)| *k)
            .min();
        match unknown {
            None => Ok(()),
            Some(k) => {
                let mut known: Vec<&str> = self.asked.clone();
                known.sort_unstable();
                known.dedup();
                Err(invalid(format!(
                    "{}: unknown field '{k}'; expected one of {}",
                    self.what,
                    known.join(", ")
                )))
            }
        }
    }
}
