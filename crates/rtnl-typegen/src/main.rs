//! `cargo run -p rtnl-typegen` writes src/generated/*.ts; `-- --check` exits 1
//! naming each file that differs. Run from the repository root.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if std::env::args().any(|a| a == "--check") {
        let differences = rtnl_typegen::out_of_date(&root);
        if differences.is_empty() {
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "rtnl-typegen: {} (run `cargo run -p rtnl-typegen`)",
            differences.join(", ")
        );
        return ExitCode::FAILURE;
    }
    let _ = std::fs::remove_dir_all(root.join(rtnl_typegen::OUT_DIR));
    if let Err(e) = std::fs::create_dir_all(root.join(rtnl_typegen::OUT_DIR)) {
        eprintln!("rtnl-typegen: cannot create {}: {e}", rtnl_typegen::OUT_DIR);
        return ExitCode::FAILURE;
    }
    for (path, text) in rtnl_typegen::files() {
        if let Err(e) = std::fs::write(root.join(&path), text) {
            eprintln!("rtnl-typegen: cannot write {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
