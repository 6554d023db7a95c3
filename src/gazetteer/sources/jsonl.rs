//! Entity JSONL: one object per line in the schema of `TEAM.md`; blank lines are skipped.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use super::{by_line, open_file};
use crate::error::Result;
use crate::gazetteer::Entity;

/// Reads entities from JSONL text; `path` names the source in errors.
pub fn read<R: BufRead>(reader: R, path: Option<PathBuf>) -> impl Iterator<Item = Result<Entity>> {
    by_line(reader, path, |text| {
        serde_json::from_str::<Entity>(text)
            .map(Some)
            .map_err(|e| e.to_string())
    })
}

/// Opens a JSONL file (`.gz`/`.bz2` decompressed).
pub fn open(path: &Path) -> Result<impl Iterator<Item = Result<Entity>> + Send> {
    Ok(read(open_file(path)?, Some(path.to_path_buf())))
}
