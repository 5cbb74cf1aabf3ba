//! The one encoder of batches (events, resync notices, listed objects) for
//! JS: JSON text in which every struct is a row of its values, its field
//! names written once per batch as a "shape". V8 builds objects from rows
//! through one constructor per shape about 1.7 times faster than it parses
//! the same objects with their keys (bench/scale.mjs list), and the text is
//! a third of the size. src/batch.ts decodes it; the objects are the ones
//! serde_json would have written, field for field and in the same order.
//!
//! The text is `[rows, shapes]`. A value is either plain JSON (number,
//! string, bool, null) or an array whose last element says what it is:
//! - `[v0, v1, ..., S]` with S >= 0: a struct of shape S (`shapes[S]` names
//!   its fields in order; a name starting with `*` holds a non-plain value);
//! - `[e0, e1, ..., -1]`: a sequence;
//! - `[k0, v0, k1, v1, ..., -2]`: a map (and an enum variant with data, as
//!   serde_json writes it: `{"Variant": value}`).
//!
//! Runs on whatever thread hands the batch over (the reactor for events, a
//! namespace or stream thread for dumps): it keeps no state between batches.

use serde::ser::{self, Serialize};
use std::fmt;

/// serde_json's RawValue serialises as a struct with this name: its one
/// field is JSON text to write as it is (a kernel name that is not UTF-8).
const RAW_VALUE: &str = "$serde_json::private::RawValue";

const SEQ: &[u8] = b"-1]";
const MAP: &[u8] = b"-2]";

/// Encodes `items` as one batch. An item that fails to serialise (plain
/// structs cannot) becomes null rather than breaking the batch.
pub fn encode<T: Serialize>(items: &[T]) -> String {
    let mut e = Encoder {
        out: Vec::with_capacity(items.len() * 96 + 64),
        shapes: Vec::new(),
        last_shape: Vec::new(),
        pool: Vec::new(),
        composite: false,
        raw: false,
    };
    e.out.extend_from_slice(b"[[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            e.out.push(b',');
        }
        let start = e.out.len();
        if item.serialize(&mut e).is_err() {
            e.out.truncate(start);
            e.out.extend_from_slice(b"null");
        }
    }
    e.out.extend_from_slice(b"],[");
    for (i, shape) in e.shapes.iter().enumerate() {
        if i > 0 {
            e.out.push(b',');
        }
        e.out.push(b'[');
        for (j, &(name, composite)) in shape.iter().enumerate() {
            if j > 0 {
                e.out.push(b',');
            }
            e.out.push(b'"');
            if composite {
                e.out.push(b'*');
            }
            // Field names are Rust identifiers (camelCased): nothing to escape.
            e.out.extend_from_slice(name.as_bytes());
            e.out.push(b'"');
        }
        e.out.push(b']');
    }
    e.out.extend_from_slice(b"]]");
    // Everything written is UTF-8 (serde_json for values, identifiers for names).
    String::from_utf8(e.out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

type Shape = Vec<(&'static str, bool)>;

struct Encoder {
    out: Vec<u8>,
    shapes: Vec<Shape>,
    /// The shape a struct of this name had last: (name pointer, shape index).
    /// Tried first, so a batch of one kind interns each row in one comparison.
    last_shape: Vec<(usize, usize)>,
    /// Field lists of finished structs, reused by the next ones.
    pool: Vec<Shape>,
    /// Whether the value serialised last was written as an array.
    composite: bool,
    /// Inside a RawValue: its field is written verbatim.
    raw: bool,
}

#[derive(Debug)]
pub struct EncodeError(String);

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl ser::Error for EncodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        EncodeError(msg.to_string())
    }
}

impl Encoder {
    /// A plain value, written by serde_json exactly as it would write it.
    fn plain<V: Serialize + ?Sized>(&mut self, v: &V) -> Result<(), EncodeError> {
        self.composite = false;
        serde_json::to_writer(&mut self.out, v).map_err(|e| EncodeError(e.to_string()))
    }

    fn intern(&mut self, name: &'static str, fields: Shape) -> usize {
        let id = name.as_ptr() as usize;
        let cached = self.last_shape.iter().position(|&(n, _)| n == id);
        if let Some(at) = cached {
            let s = self.last_shape[at].1;
            if self.shapes[s] == fields {
                self.pool.push(fields);
                return s;
            }
        }
        let s = match self.shapes.iter().position(|s| *s == fields) {
            Some(s) => {
                self.pool.push(fields);
                s
            }
            None => {
                self.shapes.push(fields);
                self.shapes.len() - 1
            }
        };
        match cached {
            Some(at) => self.last_shape[at].1 = s,
            None => self.last_shape.push((id, s)),
        }
        s
    }
}

/// A struct being written: its fields so far.
pub struct Struct<'a> {
    e: &'a mut Encoder,
    name: &'static str,
    fields: Shape,
    /// Written as `{"Variant": {...}}` by serde_json: close the map too.
    variant: bool,
}

/// A sequence, tuple or map being written.
pub struct Compound<'a> {
    e: &'a mut Encoder,
    first: bool,
    /// The closing tag: SEQ or MAP (and SEQ then MAP for a tuple variant).
    close: &'static [u8],
    variant: bool,
}

impl Compound<'_> {
    fn comma(&mut self) {
        if !self.first {
            self.e.out.push(b',');
        }
        self.first = false;
    }

    fn finish(self) -> Result<(), EncodeError> {
        if !self.first {
            self.e.out.push(b',');
        }
        self.e.out.extend_from_slice(self.close);
        if self.variant {
            self.e.out.push(b',');
            self.e.out.extend_from_slice(MAP);
        }
        self.e.composite = true;
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Encoder {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Struct<'a>;
    type SerializeStructVariant = Struct<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_char(self, v: char) -> Result<(), EncodeError> {
        self.plain(&v)
    }
    fn serialize_str(self, v: &str) -> Result<(), EncodeError> {
        if self.raw {
            // RawValue's JSON text, already a literal.
            self.composite = false;
            self.out.extend_from_slice(v.as_bytes());
            return Ok(());
        }
        self.plain(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), EncodeError> {
        // serde_json writes bytes as an array of numbers: a sequence here.
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<(), EncodeError> {
        self.plain(&())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), EncodeError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), EncodeError> {
        self.plain(&())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), EncodeError> {
        self.plain(&())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), EncodeError> {
        self.plain(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), EncodeError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), EncodeError> {
        self.out.push(b'[');
        self.plain(variant)?;
        self.out.push(b',');
        v.serialize(&mut *self)?;
        self.out.push(b',');
        self.out.extend_from_slice(MAP);
        self.composite = true;
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, EncodeError> {
        self.out.push(b'[');
        Ok(Compound {
            e: self,
            first: true,
            close: SEQ,
            variant: false,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, EncodeError> {
        self.out.push(b'[');
        self.plain(variant)?;
        self.out.extend_from_slice(b",[");
        Ok(Compound {
            e: self,
            first: true,
            close: SEQ,
            variant: true,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, EncodeError> {
        self.out.push(b'[');
        Ok(Compound {
            e: self,
            first: true,
            close: MAP,
            variant: false,
        })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Struct<'a>, EncodeError> {
        if name == RAW_VALUE {
            self.raw = true;
        } else {
            self.out.push(b'[');
        }
        let fields = self.pool.pop().map(|mut f| {
            f.clear();
            f
        });
        Ok(Struct {
            e: self,
            name,
            fields: fields.unwrap_or_default(),
            variant: false,
        })
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Struct<'a>, EncodeError> {
        self.out.push(b'[');
        self.plain(variant)?;
        self.out.push(b',');
        let mut s = self.serialize_struct(name, len)?;
        s.variant = true;
        Ok(s)
    }
}

impl ser::SerializeStruct for Struct<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), EncodeError> {
        if self.e.raw {
            v.serialize(&mut *self.e)?;
            self.e.raw = false;
            return Ok(());
        }
        if !self.fields.is_empty() {
            self.e.out.push(b',');
        }
        v.serialize(&mut *self.e)?;
        self.fields.push((key, self.e.composite));
        Ok(())
    }

    fn end(self) -> Result<(), EncodeError> {
        if self.name == RAW_VALUE {
            self.e.raw = false;
            self.e.composite = false;
            return Ok(());
        }
        if !self.fields.is_empty() {
            self.e.out.push(b',');
        }
        let shape = self.e.intern(self.name, self.fields);
        use std::io::Write;
        let _ = write!(self.e.out, "{shape}]");
        if self.variant {
            self.e.out.push(b',');
            self.e.out.extend_from_slice(MAP);
        }
        self.e.composite = true;
        Ok(())
    }
}

impl ser::SerializeStructVariant for Struct<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), EncodeError> {
        ser::SerializeStruct::serialize_field(self, key, v)
    }

    fn end(self) -> Result<(), EncodeError> {
        ser::SerializeStruct::end(self)
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), EncodeError> {
        self.comma();
        v.serialize(&mut *self.e)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), EncodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), EncodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), EncodeError> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), EncodeError> {
        self.comma();
        // serde_json's keys are strings; numbers become strings in JS all the same.
        k.serialize(&mut *self.e)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), EncodeError> {
        self.e.out.push(b',');
        v.serialize(&mut *self.e)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    //! The batches decode to exactly what serde_json writes: checked with a
    //! decoder that follows src/batch.ts, over every event of the captured
    //! session and over the shapes serde can produce.
    use super::encode;
    use rtnl_core::message::decode_events;
    use rtnl_core::wire::messages;
    use serde::Serialize;
    use serde_json::{Map, Value};

    /// What src/batch.ts does, into serde_json values.
    fn decode(text: &str) -> Vec<Value> {
        let v: Value = serde_json::from_str(text).expect("a batch is JSON");
        let [rows, shapes] = <[Value; 2]>::try_from(v.as_array().expect("[rows, shapes]").clone())
            .expect("two parts");
        let shapes: Vec<Vec<String>> =
            serde_json::from_value(shapes).expect("shapes are lists of names");
        fn dec(v: &Value, shapes: &[Vec<String>]) -> Value {
            let Some(a) = v.as_array() else {
                return v.clone();
            };
            let (tag, body) = a.split_last().expect("a tagged array");
            match tag.as_i64().expect("a numeric tag") {
                -1 => Value::Array(body.iter().map(|e| dec(e, shapes)).collect()),
                -2 => {
                    let mut m = Map::new();
                    for kv in body.chunks(2) {
                        let k = match &kv[0] {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        m.insert(k, dec(&kv[1], shapes));
                    }
                    Value::Object(m)
                }
                s => {
                    let shape = &shapes[s as usize];
                    assert_eq!(shape.len(), body.len(), "row length is its shape's");
                    let mut m = Map::new();
                    for (name, value) in shape.iter().zip(body) {
                        match name.strip_prefix('*') {
                            Some(n) => m.insert(n.to_string(), dec(value, shapes)),
                            None => {
                                assert!(
                                    !value.is_array(),
                                    "{name} is marked plain but holds an array"
                                );
                                m.insert(name.clone(), value.clone())
                            }
                        };
                    }
                    Value::Object(m)
                }
            }
        }
        rows.as_array()
            .expect("rows")
            .iter()
            .map(|r| dec(r, &shapes))
            .collect()
    }

    fn same<T: Serialize>(items: &[T]) {
        let text = encode(items);
        let plain: Vec<Value> = items
            .iter()
            .map(|i| serde_json::to_value(i).expect("serialisable"))
            .collect();
        assert_eq!(decode(&text), plain, "batch {text}");
        // Key order too: the JS objects keep serde_json's order.
        assert_eq!(
            serde_json::to_string(&decode(&text)).unwrap(),
            serde_json::to_string(&plain).unwrap()
        );
    }

    #[test]
    fn captured_events_decode_to_what_serde_json_writes() {
        let mut events = Vec::new();
        for line in include_str!("../../rtnl-core/tests/data/monitor-session.hex").lines() {
            let Some((_, hex)) = line.split_once(' ') else {
                continue;
            };
            let bytes: Vec<u8> = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
                .collect();
            for m in messages(&bytes) {
                let m = m.expect("captured datagrams frame cleanly");
                events.extend(decode_events(m.kind, m.payload));
            }
        }
        assert!(events.len() >= 70);
        same(&events);
        // One per batch as well: shapes are per batch.
        for e in &events {
            same(std::slice::from_ref(e));
        }
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Inner {
        a: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        b: Option<String>,
    }

    #[derive(Serialize)]
    enum Variant {
        Unit,
        Newtype(u32),
        Tuple(u8, String),
        Struct { x: i64, inner: Inner },
    }

    #[derive(Serialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum Tagged {
        One { n: u8 },
        Two(Inner),
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Everything {
        flag: bool,
        float: f64,
        nan: f64,
        big: u64,
        neg: i64,
        text: String,
        quote: &'static str,
        empty_list: Vec<u8>,
        list: Vec<Inner>,
        nested_lists: Vec<Vec<u16>>,
        names: Vec<&'static str>,
        map: Map<String, Value>,
        empty_map: Map<String, Value>,
        none: Option<u8>,
        some_inner: Option<Inner>,
        variants: Vec<Variant>,
        tagged: Vec<Tagged>,
        tuple: (u8, &'static str),
        kernel_name: rtnl_core::wire::KernelName,
        #[serde(with = "serde_bytes_like")]
        bytes: Vec<u8>,
    }

    mod serde_bytes_like {
        pub fn serialize<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(b)
        }
    }

    #[test]
    fn every_serde_shape_decodes_to_what_serde_json_writes() {
        let mut map = Map::new();
        map.insert(
            "rx".into(),
            serde_json::json!({"bytes": 1, "list": [1, [2, 3], {"k": null}]}),
        );
        map.insert("__proto__".into(), Value::from(7));
        map.insert("".into(), Value::from("empty key"));
        let all = Everything {
            flag: true,
            float: 1.5,
            nan: f64::NAN,
            big: u64::MAX,
            neg: -42,
            text: "tab\t \u{2028} é \u{1F600}".into(),
            quote: "\"\\",
            empty_list: vec![],
            list: vec![
                Inner { a: 1, b: None },
                Inner {
                    a: 2,
                    b: Some("x".into()),
                },
            ],
            nested_lists: vec![vec![], vec![1, 2]],
            names: vec!["up", "broadcast"],
            map,
            empty_map: Map::new(),
            none: None,
            some_inner: Some(Inner { a: 3, b: None }),
            variants: vec![
                Variant::Unit,
                Variant::Newtype(9),
                Variant::Tuple(1, "t".into()),
                Variant::Struct {
                    x: -1,
                    inner: Inner {
                        a: 0,
                        b: Some("y".into()),
                    },
                },
            ],
            tagged: vec![Tagged::One { n: 1 }, Tagged::Two(Inner { a: 5, b: None })],
            tuple: (4, "four"),
            kernel_name: rtnl_core::wire::name_of(b"eth0\0"),
            bytes: vec![0, 255],
        };
        same(std::slice::from_ref(&all));
        same(&[
            Inner { a: 1, b: None },
            Inner {
                a: 1,
                b: Some("s".into()),
            },
            Inner { a: 2, b: None },
        ]);
        same::<Inner>(&[]);
    }

    #[test]
    fn a_name_that_is_not_utf8_is_written_as_serde_json_writes_it() {
        // A lone surrogate (surrogateescape): JSON.parse takes it, serde_json's reader does not.
        let odd = rtnl_core::wire::name_of(b"bad\xff\xfename");
        let literal = serde_json::to_string(&odd).unwrap();
        assert!(literal.contains("\\udcff"), "{literal}");
        assert_eq!(encode(&[&odd]), format!("[[{literal}],[]]"));
        #[derive(Serialize)]
        struct Named {
            name: rtnl_core::wire::KernelName,
            index: u32,
        }
        let named = Named {
            name: odd,
            index: 3,
        };
        assert_eq!(
            encode(&[&named]),
            format!("[[[{literal},3,0]],[[\"name\",\"index\"]]]")
        );
    }
}
