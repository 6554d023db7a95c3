//! Entity JSONL: one object per line in the schema of `TEAM.md`; blank lines are skipped.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use super::{open_file, parse_error, Lines};
use crate::error::Result;
use crate::gazetteer::Entity;

/// Reads entities from JSONL text; `path` names the source in errors.
pub fn read<R: BufRead>(reader: R, path: Option<PathBuf>) -> impl Iterator<Item = Result<Entity>> {
    let p = path.clone();
    Lines::new(reader, path).filter_map(move |line| {
        let line = match line {
            Ok(l) => l,
            Err(e) => return Some(Err(e)),
        };
        if line.text.trim().is_empty() {
            return None;
        }
        Some(
            serde_json::from_str::<Entity>(&line.text)
                .map_err(|e| parse_error(&p, line.no, e.to_string())),
        )
    })
}

/// Opens a JSONL file (`.gz`/`.bz2` decompressed).
pub fn open(path: &Path) -> Result<impl Iterator<Item = Result<Entity>> + Send> {
    Ok(read(open_file(path)?, Some(path.to_path_buf())))
}
