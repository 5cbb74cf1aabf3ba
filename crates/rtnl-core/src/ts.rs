//! TypeScript types that are not a struct's shape: a closed union of the
//! names in one of the decoder's tables. crates/rtnl-typegen renders them by
//! running these impls, so the union always lists exactly the table's names.

/// Declares `pub struct $name` whose TS type is the union of the names (the
/// second element of each pair) in `$table`, with the given docs.
macro_rules! name_union {
    ($(#[doc = $doc:expr])* $name:ident, $table:expr) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl ts_rs::TS for $name {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(_: &ts_rs::Config) -> String {
                stringify!($name).into()
            }
            fn inline(_: &ts_rs::Config) -> String {
                $table.iter().map(|e| format!("'{}'", e.1)).collect::<Vec<_>>().join(" | ")
            }
            fn decl(cfg: &ts_rs::Config) -> String {
                format!("type {} = {};", stringify!($name), Self::inline(cfg))
            }
            fn docs() -> Option<String> {
                Some(ts_rs::format_docs(&[$($doc),*]))
            }
            fn output_path() -> Option<std::path::PathBuf> {
                Some(std::path::PathBuf::from(concat!(stringify!($name), ".ts")))
            }
        }
    };
}
pub(crate) use name_union;
