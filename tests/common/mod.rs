//! Shared helpers for the integration tests: reading the table fixtures in `data/test/`.
#![allow(dead_code)]

use std::path::PathBuf;

/// Path of a fixture under `data/test/`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/test")
        .join(name)
}

/// One fixture row: its 1-based line number and its tab-separated cells, with `\uXXXX` and `\t`
/// escapes decoded.
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// Cell `i`, or an empty string when the row is shorter.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", String::as_str)
    }
}

/// Reads a TSV fixture, skipping `#` comment lines (blank lines are rows: an empty input is a case).
pub fn read_tsv(name: &str) -> Vec<Row> {
    let text = std::fs::read_to_string(fixture(name)).expect("fixture readable");
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#'))
        .map(|(i, l)| Row {
            line: i + 1,
            cells: l.split('\t').map(unescape).collect(),
        })
        .collect()
}

/// Decodes `\uXXXX` (four hex digits) and `\t` escapes.
pub fn unescape(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(hex) = tail.strip_prefix("\\u").and_then(|t| t.get(..4)) {
            if let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                out.push(c);
                rest = &tail[6..];
                continue;
            }
        }
        if let Some(after) = tail.strip_prefix("\\t") {
            out.push('\t');
            rest = after;
            continue;
        }
        out.push('\\');
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

/// A builder holding ~4 MB of entities: big enough that writing it takes a while and fills a small
/// disk (the killed-build and disk-full tests).
pub fn big_builder() -> nisba::gazetteer::GazetteerBuilder {
    use nisba::gazetteer::{Entity, GazetteerBuilder, Kind};
    let mut b = GazetteerBuilder::new();
    for i in 0..64 {
        let mut e = Entity::new(format!("big:{i}"), format!("Place {i}"), Kind::Loc);
        e.description = Some("x".repeat(64 * 1024));
        b.add(e).unwrap();
    }
    b
}
