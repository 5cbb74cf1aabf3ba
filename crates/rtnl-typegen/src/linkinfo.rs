//! src/generated/linkinfo.ts: the TS types of `linkinfo.data` and
//! `linkinfo.slaveData`, one interface per table of rtnl-core's linkinfo.rs,
//! written from the tables themselves (`TABLES`, `DATA_KINDS`, `SLAVE_KINDS`).

use rtnl_core::linkinfo::{self, Fmt, Table, Width, DATA_KINDS, RAW_SUFFIX, SLAVE_KINDS, TABLES};

/// The keys the decoder adds beside a table's rows, with their TS type and
/// doc. Checked against the decoder's own list (linkinfo::DECODER_KEYS) by a
/// test, so a new one cannot go untyped.
pub const EXTRA_KEYS: &[(&str, &str, &str)] = &[
    (
        "unknown",
        "UnknownAttribute[]",
        "Attributes this version does not decode: not in the kind's table, shorter than their format, repeated, or a non-empty pad; kept as hex.",
    ),
    ("error", "string", "Why the attribute walk stopped early (a malformed attribute); what came before it is decoded."),
    ("errorData", "string", "The bytes from the malformed attribute on, as hex (with `error`)."),
];

/// What `value()` makes of a format in JSON: (TS type, doc). Named, the pairs
/// and Pad are written apart. The match is exhaustive: a new format does not
/// compile until it is typed here.
fn scalar(fmt: Fmt) -> Option<(&'static str, &'static str)> {
    Some(match fmt {
        Fmt::U8 => ("number", "u8"),
        Fmt::U16 => ("number", "u16"),
        Fmt::U32 => ("number", "u32"),
        Fmt::U64 => ("number", "u64"),
        Fmt::I32 => ("number", "s32"),
        Fmt::Be16 => ("number", "be16, as a host number"),
        Fmt::Be32 => ("number", "be32, as a host number"),
        Fmt::Flag => (
            "boolean",
            "flag: true when present (a payload's first byte decides when one is sent)",
        ),
        Fmt::Bool8 => ("boolean", "u8 as a boolean"),
        Fmt::Str => ("string", "string"),
        Fmt::Mac => ("string", "link-layer address, colon hex"),
        Fmt::Ip => ("string", "IPv4 or IPv6 address"),
        Fmt::Hex => ("string", "raw bytes as hex"),
        Fmt::Nested => ("string", "nested attributes, as hex"),
        Fmt::BridgeId => ("string", "bridge id, \"pppp.xx:xx:xx:xx:xx:xx\""),
        Fmt::U32Pair(..) | Fmt::Be16Pair(..) | Fmt::Named(..) | Fmt::Pad => return None,
    })
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn key(k: &str) -> String {
    let ident = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if ident {
        k.to_string()
    } else {
        quote(k)
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn interface(t: &Table) -> String {
    format!("{}Data", t.name)
}

/// Whether two tables are the same one. Consts are inlined where used, so
/// their addresses may differ: the rows (number, key, doc) tell them apart.
fn same(a: &[linkinfo::Row], b: &[linkinfo::Row]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x.0, x.1, x.3) == (y.0, y.1, y.3))
}

/// The kinds whose data (or whose ports' slave data) a table decodes.
fn kinds_of(
    t: &Table,
    kinds: &[&'static str],
    table_of: fn(&str) -> Option<&'static [linkinfo::Row]>,
) -> Vec<&'static str> {
    kinds
        .iter()
        .copied()
        .filter(|k| table_of(k).is_some_and(|rows| same(rows, t.rows)))
        .collect()
}

fn table_of(kind: &str, kinds_table: fn(&str) -> Option<&'static [linkinfo::Row]>) -> &'static str {
    let rows = kinds_table(kind).expect("every listed kind has a table");
    TABLES
        .iter()
        .find(|t| same(t.rows, rows))
        .map(|t| t.name)
        .expect("every table is in TABLES")
}

fn example(lines: &[String]) -> Vec<String> {
    let mut out = vec!["@example".to_string(), "```ts".to_string()];
    out.extend(lines.iter().cloned());
    out.push("```".to_string());
    out
}

fn block(doc: &[String]) -> String {
    let mut out = String::from("/**\n");
    for l in doc {
        out += &if l.is_empty() {
            " *\n".to_string()
        } else {
            format!(" * {l}\n")
        };
    }
    out + " */\n"
}

fn table_example(t: &Table, data_kinds: &[&str], slave_kinds: &[&str]) -> Vec<String> {
    let slave = data_kinds.is_empty();
    let kind = if slave { slave_kinds[0] } else { data_kinds[0] };
    let first = t
        .rows
        .iter()
        .find(|r| !matches!(r.2, Fmt::Pad))
        .map(|r| r.1)
        .unwrap_or("unknown");
    let get = if key(first) == first {
        format!(".{first}")
    } else {
        format!("[{}]", quote(first))
    };
    let (field, of, kind_field) = if slave {
        ("slaveData", "LinkSlaveDataOf", "slaveKind")
    } else {
        ("data", "LinkInfoDataOf", "kind")
    };
    vec![
        format!("import {{ links, type {of} }} from 'rtnl'"),
        String::new(),
        "for (const l of await links.list()) {".into(),
        format!("  if (l.linkinfo?.{kind_field} === {}) {{", quote(kind)),
        format!(
            "    const {field} = l.linkinfo.{field} as {of}<{}>",
            quote(kind)
        ),
        format!("    console.log(l.name, {field}{get})"),
        "  }".into(),
        "}".into(),
    ]
}

fn lines(ls: &[&str]) -> Vec<String> {
    ls.iter().map(|s| s.to_string()).collect()
}

/// The text of src/generated/linkinfo.ts.
pub fn render() -> String {
    let mut out = String::from(
        "// Generated by `cargo run -p rtnl-typegen` from the tables of crates/rtnl-core/src/linkinfo.rs: do not edit.\n",
    );
    out += "/**\n * `linkinfo.data` and `linkinfo.slaveData` per link kind: one interface per\n * table of linkinfo.rs, with camelCase keys after `ip -d -j` and values in\n * the kernel's units (see the comment at the top of linkinfo.rs). Every key\n * is optional: the kernel sends what it has. A kind without a table decodes\n * to `LinkInfoDataCommon` (its attributes all in `unknown`).\n */\n";
    out += "import type { UnknownAttribute } from './wire'\n\n";
    let mut doc = lines(&[
        "What any decoded IFLA_INFO_DATA or IFLA_INFO_SLAVE_DATA may hold besides its kind's keys; all of it for a kind with no table.",
        "",
        "@category Link kinds",
    ]);
    doc.extend(example(&lines(&[
        "import { links } from 'rtnl'",
        "",
        "for (const l of await links.list()) {",
        "  const data = l.linkinfo?.data",
        "  if (data?.error) console.warn(`${l.name}: ${l.linkinfo?.kind} data cut short: ${data.error}`)",
        "  if (data?.unknown?.length) console.log(`${l.name}: ${data.unknown.length} attributes this version does not decode`)",
        "}",
    ])));
    out += &block(&doc);
    out += "export interface LinkInfoDataCommon {\n";
    for (k, ty, d) in EXTRA_KEYS {
        out += &format!("  /** {d} */\n  {}?: {ty}\n", key(k));
    }
    out += "}\n";
    for t in TABLES {
        let dk = kinds_of(t, DATA_KINDS, linkinfo::data_table);
        let sk = kinds_of(t, SLAVE_KINDS, linkinfo::slave_data_table);
        if dk.is_empty() && sk.is_empty() {
            continue;
        }
        let mut doc = vec![t.doc.to_string()];
        let list = |ks: &[&str]| {
            ks.iter()
                .map(|k| format!("'{k}'"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !dk.is_empty() {
            doc.push(format!("`data` of kind {}.", list(&dk)));
        }
        if !sk.is_empty() {
            doc.push(format!(
                "`slaveData` of a port whose master is {}.",
                list(&sk)
            ));
        }
        doc.extend(lines(&["", "@category Link kinds"]));
        doc.extend(example(&table_example(t, &dk, &sk)));
        out += "\n";
        out += &block(&doc);
        let rows: Vec<_> = t.rows.iter().filter(|r| !matches!(r.2, Fmt::Pad)).collect();
        if rows.is_empty() {
            out += &format!(
                "export interface {} extends LinkInfoDataCommon {{}}\n",
                interface(t)
            );
            continue;
        }
        out += &format!(
            "export interface {} extends LinkInfoDataCommon {{\n",
            interface(t)
        );
        for &&(_, name, fmt, what) in &rows {
            let doc = |text: &str| {
                if what.is_empty() {
                    upper_first(text)
                } else {
                    format!("{what}: {text}")
                }
            };
            match fmt {
                Fmt::Named(width, names) => {
                    let mut alts: Vec<String> = names.iter().map(|(_, n)| quote(n)).collect();
                    alts.push("`${number}`".into());
                    let width = match width {
                        Width::W8 => "u8",
                        Width::W16 => "u16",
                        Width::W32 => "u32",
                    };
                    let listed = names
                        .iter()
                        .map(|(v, n)| format!("{v} {n}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    out += &format!(
                        "  /** {} */\n  {}?: {}\n",
                        doc(&format!("the name `ip` prints, or the number in decimal when it has none; the number is `{name}{RAW_SUFFIX}`.")),
                        key(name),
                        alts.join(" | ")
                    );
                    out += &format!(
                        "  /** {} */\n  {}?: number\n",
                        doc(&format!("{width}, named by `{name}` ({listed}).")),
                        key(&format!("{name}{RAW_SUFFIX}"))
                    );
                }
                Fmt::U32Pair(a, b) | Fmt::Be16Pair(a, b) => {
                    let pair = if matches!(fmt, Fmt::U32Pair(..)) {
                        "u32"
                    } else {
                        "be16"
                    };
                    let attr = if what.is_empty() {
                        "The attribute's".to_string()
                    } else {
                        format!("{what}'s")
                    };
                    out += &format!(
                        "  /** {} */\n  {}?: {{\n",
                        doc(&format!("two {pair} values.")),
                        key(name)
                    );
                    out += &format!("    /** {attr} first {pair}. */\n    {}: number\n", key(a));
                    out += &format!("    /** {attr} second {pair}. */\n    {}: number\n", key(b));
                    out += "  }\n";
                }
                Fmt::Pad => {}
                _ => {
                    let (ty, what_it_is) = scalar(fmt).expect("scalar formats are typed");
                    out += &format!(
                        "  /** {} */\n  {}?: {ty}\n",
                        doc(&format!("{what_it_is}.")),
                        key(name)
                    );
                }
            }
        }
        out += "}\n";
    }
    let by_kind = |kinds: &[&'static str],
                   what: &str,
                   table: fn(&str) -> Option<&'static [linkinfo::Row]>| {
        let field = if what == "data" { "kind" } else { "slaveKind" };
        kinds
            .iter()
            .map(|k| format!("  /** The {what} of a link whose `linkinfo.{field}` is '{k}'. */\n  {}: {}Data\n", key(k), table_of(k, table)))
            .collect::<String>()
    };
    let alias = |doc: &[&str], ex: &[&str]| {
        let mut d = lines(doc);
        d.extend(lines(&["", "@category Link kinds"]));
        d.extend(example(&lines(ex)));
        block(&d)
    };
    out += "\n";
    out += &alias(
        &["`linkinfo.data` by `linkinfo.kind`, for the kinds this version decodes."],
        &[
            "import { links, type LinkInfoDataByKind } from 'rtnl'",
            "",
            "const bridges: [string | undefined, LinkInfoDataByKind['bridge']][] = []",
            "for (const l of await links.list()) if (l.linkinfo?.kind === 'bridge') bridges.push([l.name, l.linkinfo.data as LinkInfoDataByKind['bridge']])",
        ],
    );
    out += &format!(
        "export interface LinkInfoDataByKind {{\n{}}}\n\n",
        by_kind(DATA_KINDS, "data", linkinfo::data_table)
    );
    out += &alias(
        &["`linkinfo.slaveData` by `linkinfo.slaveKind` (the master's kind), for the kinds this version decodes."],
        &[
            "import { links, type LinkSlaveDataByKind } from 'rtnl'",
            "",
            "for (const l of await links.list()) {",
            "  if (l.linkinfo?.slaveKind === 'bond') console.log(l.name, (l.linkinfo.slaveData as LinkSlaveDataByKind['bond']).state)",
            "}",
        ],
    );
    out += &format!(
        "export interface LinkSlaveDataByKind {{\n{}}}\n\n",
        by_kind(SLAVE_KINDS, "slaveData", linkinfo::slave_data_table)
    );
    out += &alias(
        &["Any `linkinfo.data`: one of the kinds above, or the common keys only for another kind."],
        &[
            "import { links, type LinkInfoData } from 'rtnl'",
            "",
            "const data: (LinkInfoData | undefined)[] = (await links.list()).map((l) => l.linkinfo?.data)",
        ],
    );
    out += "export type LinkInfoData = LinkInfoDataByKind[keyof LinkInfoDataByKind] | LinkInfoDataCommon\n\n";
    out += &alias(
        &["Any `linkinfo.slaveData`."],
        &[
            "import { links, type LinkSlaveData } from 'rtnl'",
            "",
            "const ports: (LinkSlaveData | undefined)[] = (await links.list()).map((l) => l.linkinfo?.slaveData)",
        ],
    );
    out += "export type LinkSlaveData = LinkSlaveDataByKind[keyof LinkSlaveDataByKind] | LinkInfoDataCommon\n\n";
    out += &alias(
        &[
            "The `data` of a link whose `linkinfo.kind` is K: `LinkInfoDataOf<'bridge'>`",
            "is BridgeData; a kind without a table gives LinkInfoDataCommon, and a",
            "plain `string` any of them.",
        ],
        &[
            "import { links, type LinkInfoDataOf } from 'rtnl'",
            "",
            "const br0 = await links.get({ name: 'br0' })",
            "if (br0?.linkinfo?.kind === 'bridge') console.log('STP', (br0.linkinfo.data as LinkInfoDataOf<'bridge'>).stpState)",
        ],
    );
    out += "export type LinkInfoDataOf<K extends string | undefined> = string extends K\n  ? LinkInfoData\n  : K extends keyof LinkInfoDataByKind\n    ? LinkInfoDataByKind[K]\n    : LinkInfoDataCommon\n\n";
    out += &alias(
        &["The `slaveData` of a link whose `linkinfo.slaveKind` is K."],
        &[
            "import { links, type LinkSlaveDataOf } from 'rtnl'",
            "",
            "const port = await links.get({ name: 'v1' })",
            "if (port?.linkinfo?.slaveKind === 'bridge') console.log('port state', (port.linkinfo.slaveData as LinkSlaveDataOf<'bridge'>).state)",
        ],
    );
    out += "export type LinkSlaveDataOf<K extends string | undefined> = string extends K\n  ? LinkSlaveData\n  : K extends keyof LinkSlaveDataByKind\n    ? LinkSlaveDataByKind[K]\n    : LinkInfoDataCommon\n";
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_keys_are_the_keys_the_decoder_adds() {
        let mut typed: Vec<&str> = EXTRA_KEYS.iter().map(|k| k.0).collect();
        typed.push("pad");
        typed.sort();
        let mut decoder: Vec<&str> = linkinfo::DECODER_KEYS.to_vec();
        decoder.sort();
        assert_eq!(
            typed, decoder,
            "linkinfo::DECODER_KEYS changed: type the new key in EXTRA_KEYS"
        );
    }

    #[test]
    fn every_kind_resolves_to_a_listed_table() {
        for k in DATA_KINDS {
            table_of(k, linkinfo::data_table);
        }
        for k in SLAVE_KINDS {
            table_of(k, linkinfo::slave_data_table);
        }
    }
}
