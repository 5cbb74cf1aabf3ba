//! The TypeScript types of what rtnl-core serialises, written by running its
//! ts-rs derives: no Rust source is read. Each struct's `///` docs (with their
//! `@example` blocks) become its JSDoc, so the published `.d.ts` and the API
//! reference carry them. One file per core module under `src/generated/`.
//!
//! Runs on the build machine only: `cargo run -p rtnl-typegen` writes the
//! files, `-- --check` lists the stale ones; tests/fresh.rs fails `cargo test`
//! (and so `npm test`) when a file on disk differs from what this renders.

use std::any::TypeId;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use ts_rs::{Config, TypeVisitor, TS};

mod kinds;
mod linkinfo;

/// Where the files go, relative to the repository.
pub const OUT_DIR: &str = "src/generated";

/// Every type JS receives from the core, by its roots: each registered
/// kind's object (rtnl-core's `kinds!`), and the structs it holds from there.
fn roots(walk: &mut Walk) {
    rtnl_core::kinds::visit_object_types(walk);
}

/// One TS declaration, from one Rust type.
struct Decl {
    name: String,
    module: String,
    text: String,
    /// The declared types it names: (TS name, module).
    uses: Vec<(String, String)>,
}

struct Walk {
    cfg: Config,
    seen: HashSet<TypeId>,
    decls: Vec<Decl>,
}

/// The core module a type is declared in: `rtnl_core::route::Route` -> "route".
fn module_of<T: ?Sized>() -> String {
    let path = std::any::type_name::<T>();
    let path = path.split('<').next().unwrap_or(path);
    path.split("::").nth(1).unwrap_or("wire").to_string()
}

/// Types with a derive have an output path; primitives and wrappers do not.
fn declared<T: TS + ?Sized>() -> bool {
    T::output_path().is_some()
}

impl TypeVisitor for Walk {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if !declared::<T>() || !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        struct Uses<'a>(&'a Config, Vec<(String, String)>);
        impl TypeVisitor for Uses<'_> {
            fn visit<U: TS + 'static + ?Sized>(&mut self) {
                if declared::<U>() {
                    self.1.push((U::ident(self.0), module_of::<U>()));
                }
            }
        }
        let mut uses = Uses(&self.cfg, Vec::new());
        T::visit_dependencies(&mut uses);
        let decl = Decl {
            name: T::ident(&self.cfg),
            module: module_of::<T>(),
            text: render(
                &T::ident(&self.cfg),
                T::docs().as_deref(),
                &T::decl(&self.cfg),
            ),
            uses: uses.1,
        };
        self.decls.push(decl);
        T::visit_dependencies(self);
    }
}

/// The text lines of a JSDoc block as ts-rs writes it ("/**\n * a\n *b\n */").
fn doc_lines(doc: &str) -> Vec<String> {
    let inner = doc.trim().trim_start_matches("/**").trim_end_matches("*/");
    let mut lines: Vec<String> = inner
        .lines()
        .map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix('*').unwrap_or(l);
            l.strip_prefix(' ').unwrap_or(l).trim_end().to_string()
        })
        .collect();
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

fn jsdoc(lines: &[String], indent: &str) -> String {
    match lines {
        [] => String::new(),
        [one] => format!("{indent}/** {one} */\n"),
        _ => {
            let mut out = format!("{indent}/**\n");
            for l in lines {
                if l.is_empty() {
                    out += &format!("{indent} *\n");
                } else {
                    out += &format!("{indent} * {l}\n");
                }
            }
            out + &format!("{indent} */\n")
        }
    }
}

/// One member of an object type: its docs, `name` or `name?`, and its type.
struct Member {
    doc: Vec<String>,
    name: String,
    ty: String,
}

/// Splits ts-rs's one-line object type `{ a: T, /** doc */ b?: U, }` into members.
fn members(body: &str) -> Vec<Member> {
    let inner = body
        .trim()
        .strip_prefix('{')
        .and_then(|b| b.strip_suffix('}'))
        .unwrap_or(body);
    let mut out = Vec::new();
    let mut doc = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut rest = inner;
    while let Some(c) = rest.chars().next() {
        if quote.is_none() && depth == 0 && rest.starts_with("/**") {
            let end = rest.find("*/").map(|e| e + 2).unwrap_or(rest.len());
            doc = doc_lines(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        rest = &rest[c.len_utf8()..];
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[' | '(' | '<') => depth += 1,
            (None, '}' | ']' | ')' | '>') => depth -= 1,
            (None, ',') if depth == 0 => {
                push_member(&mut out, &mut doc, &cur);
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    push_member(&mut out, &mut doc, &cur);
    out
}

fn push_member(out: &mut Vec<Member>, doc: &mut Vec<String>, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let (name, ty) = text.split_once(':').unwrap_or((text, "unknown"));
    out.push(Member {
        doc: std::mem::take(doc),
        name: name.trim().to_string(),
        ty: tidy(ty.trim()),
    });
}

/// `Array<Name>` as `Name[]` and ts-rs's `{ [key in string]: T }` as `Record<string, T>`, as the hand-written types spelled them.
fn tidy(ty: &str) -> String {
    let mut out = ty.to_string();
    while let Some(start) = out.find("Array<") {
        let after = &out[start + 6..];
        let Some(end) = after.find('>') else { break };
        let inner = &after[..end];
        if !inner.chars().all(|c| c.is_alphanumeric() || c == '_') {
            break;
        }
        out = format!("{}{}[]{}", &out[..start], inner, &after[end + 1..]);
    }
    if let Some(v) = out
        .strip_prefix("{ [key in string]: ")
        .and_then(|r| r.strip_suffix(" }"))
    {
        out = format!("Record<string, {v}>");
    }
    out
}

/// A declaration as `export interface` (objects) or `export type` (unions).
fn render(name: &str, docs: Option<&str>, decl: &str) -> String {
    let mut out = jsdoc(&docs.map(doc_lines).unwrap_or_default(), "");
    let decl = match decl.find("*/") {
        Some(end) if decl.trim_start().starts_with("/**") => &decl[end + 2..],
        _ => decl,
    };
    let body = decl
        .trim()
        .strip_prefix(&format!("type {name} = "))
        .unwrap_or(decl)
        .trim()
        .trim_end_matches(';')
        .trim();
    if body.starts_with('{') && body.ends_with('}') {
        out += &format!("export interface {name} {{\n");
        for m in members(body) {
            out += &jsdoc(&m.doc, "  ");
            out += &format!("  {}: {}\n", m.name, m.ty);
        }
        out += "}\n";
    } else {
        out += &format!("export type {name} = {}\n", tidy(body));
    }
    out
}

/// The file a core module's types go to: `bridge_port` -> `bridge-port.ts`.
fn file_of(module: &str) -> String {
    format!("{}.ts", module.replace('_', "-"))
}

/// Every generated file: (path relative to the repository, text).
pub fn files() -> Vec<(String, String)> {
    let mut walk = Walk {
        cfg: Config::new().with_large_int("number"),
        seen: HashSet::new(),
        decls: Vec::new(),
    };
    roots(&mut walk);
    let mut by_module: BTreeMap<String, Vec<&Decl>> = BTreeMap::new();
    // By name within a module: the walk's order follows ts-rs's and is not stable from one build to the next.
    walk.decls.sort_by(|a, b| a.name.cmp(&b.name));
    for d in &walk.decls {
        by_module.entry(d.module.clone()).or_default().push(d);
    }
    let linkinfo = linkinfo::render();
    let linkinfo_names = exported_names(&linkinfo);
    let mut out = Vec::new();
    for (module, decls) in by_module {
        let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for d in &decls {
            for (name, from) in &d.uses {
                if *from != module {
                    imports
                        .entry(from.clone())
                        .or_default()
                        .insert(name.clone());
                }
            }
        }
        // Fields typed by name (`#[ts(type = "LinkInfoData")]`) from the linkinfo tables' file.
        let body: String = decls.iter().map(|d| d.text.as_str()).collect();
        for name in &linkinfo_names {
            if code_names(&body).contains(name.as_str()) {
                imports
                    .entry("linkinfo".into())
                    .or_default()
                    .insert(name.clone());
            }
        }
        let mut text = format!(
            "// Generated by `cargo run -p rtnl-typegen` from the ts-rs derives of crates/rtnl-core/src/{module}.rs: do not edit.\n"
        );
        for (from, names) in &imports {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            text += &format!(
                "import type {{ {} }} from './{}'\n",
                names.join(", "),
                file_of(from).trim_end_matches(".ts")
            );
        }
        for d in decls {
            text += "\n";
            text += &d.text;
        }
        out.push((format!("{OUT_DIR}/{}", file_of(&module)), text));
    }
    out.push((format!("{OUT_DIR}/linkinfo.ts"), linkinfo));
    out.push((format!("{OUT_DIR}/kinds.ts"), kinds::render()));
    out
}

/// The names a generated file declares.
fn exported_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            l.strip_prefix("export interface ")
                .or_else(|| l.strip_prefix("export type "))
        })
        .filter_map(|l| l.split(|c: char| !c.is_alphanumeric() && c != '_').next())
        .map(String::from)
        .collect()
}

/// The identifiers of declarations, docs left out.
fn code_names(text: &str) -> HashSet<&str> {
    text.lines()
        .map(str::trim_start)
        .filter(|l| !l.starts_with("/**") && !l.starts_with('*'))
        .flat_map(|l| l.split(|c: char| !c.is_alphanumeric() && c != '_'))
        .collect()
}

/// How `src/generated/` under `root` differs from what this renders: each
/// file that is stale or missing, and each file there that nothing renders
/// any more. Empty when it is current. `--check` and `cargo test` use it.
pub fn out_of_date(root: &std::path::Path) -> Vec<String> {
    let files = files();
    let mut out: Vec<String> = files
        .iter()
        .filter(|(path, text)| {
            std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(text.as_str())
        })
        .map(|(path, _)| format!("{path} is stale"))
        .collect();
    if let Ok(entries) = std::fs::read_dir(root.join(OUT_DIR)) {
        for e in entries.flatten() {
            let path = format!("{OUT_DIR}/{}", e.file_name().to_string_lossy());
            if !files.iter().any(|(f, _)| *f == path) {
                out.push(format!("{path} is no longer written"));
            }
        }
    }
    out
}
