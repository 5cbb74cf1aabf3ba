//! `cargo run -p rtnl-typegen` writes src/generated/*.ts; `-- --check` exits 1
//! naming each stale file. Run from the repository root.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = rtnl_typegen::files();
    let mut stale = Vec::new();
    if !check {
        let _ = std::fs::remove_dir_all(root.join(rtnl_typegen::OUT_DIR));
        if let Err(e) = std::fs::create_dir_all(root.join(rtnl_typegen::OUT_DIR)) {
            eprintln!("rtnl-typegen: cannot create {}: {e}", rtnl_typegen::OUT_DIR);
            return ExitCode::FAILURE;
        }
    }
    for (path, text) in &files {
        let full = root.join(path);
        if check {
            if std::fs::read_to_string(&full).ok().as_deref() != Some(text.as_str()) {
                stale.push(path.clone());
            }
        } else if let Err(e) = std::fs::write(&full, text) {
            eprintln!("rtnl-typegen: cannot write {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    if !stale.is_empty() {
        eprintln!(
            "rtnl-typegen: stale (run `cargo run -p rtnl-typegen`): {}",
            stale.join(", ")
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
