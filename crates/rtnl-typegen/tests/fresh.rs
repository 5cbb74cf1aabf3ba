//! The generated TS files on disk are what rtnl-typegen renders now: a struct,
//! doc or table changed without `cargo run -p rtnl-typegen` fails here (and so
//! `npm test`), naming the stale files.

use std::path::Path;

#[test]
fn generated_files_are_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let differences = rtnl_typegen::out_of_date(&root);
    assert!(
        differences.is_empty(),
        "src/generated differs from what rtnl-typegen writes (run `cargo run -p rtnl-typegen`): {differences:?}"
    );
}

#[test]
fn every_declaration_has_docs() {
    // typedoc refuses undocumented members; say which Rust item lacks its `///` here, sooner.
    for (path, text) in rtnl_typegen::files() {
        let lines: Vec<&str> = text.lines().collect();
        let mut in_interface = false;
        for (i, l) in lines.iter().enumerate() {
            if l.starts_with("export interface ") {
                in_interface = !l.trim_end().ends_with("{}");
            } else if *l == "}" {
                in_interface = false;
            }
            // A declaration, or a member of an interface (two spaces in, `name:` or `name?:`).
            let member = in_interface
                && l.strip_prefix("  ").is_some_and(|m| {
                    m.split(':').next().is_some_and(|n| {
                        !n.is_empty()
                            && n.trim_end_matches('?')
                                .chars()
                                .all(|c| c.is_alphanumeric() || c == '_' || c == '\'')
                    })
                });
            if !(l.starts_with("export ") || member) {
                continue;
            }
            let prev = if i > 0 { lines[i - 1].trim() } else { "" };
            assert!(
                prev.ends_with("*/"),
                "{path}:{}: `{}` has no doc comment: add `///` to its Rust field or struct",
                i + 1,
                l.trim()
            );
        }
    }
}
