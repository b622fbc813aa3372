//! Embeds the web explorer's committed build (`web/explorer/dist/`) into the
//! crate: writes `$OUT_DIR/explorer_assets.rs`, a sorted table of
//! `(path under dist/, include_bytes!(file))` that `src/explorer.rs` serves.
//! A missing `dist/` embeds an empty table (the node then answers 404 under
//! `/explorer`), so the crate still builds from a partial checkout.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, path));
        }
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dist = manifest.join("../../web/explorer/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    let mut files = Vec::new();
    if dist.is_dir() {
        collect(&dist, &dist, &mut files)?;
    }
    files.sort();
    let mut table = String::from("&[\n");
    for (name, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let absolute = path.canonicalize()?;
        let _ = writeln!(
            table,
            "    ({name:?}, include_bytes!({:?}) as &[u8]),",
            absolute.display().to_string()
        );
    }
    table.push(']');
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    std::fs::write(out.join("explorer_assets.rs"), table)
}
