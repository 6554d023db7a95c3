//! OpenSanctions FollowTheMoney entities, one JSON object per line (`entities.ftm.json`).
//!
//! Schemata Person → PER; Organization, Company, LegalEntity → ORG; other schemata (sanctions, addresses,
//! vessels…) are skipped. Names: `caption` (else the first `name`) is the canonical name; the other `name`
//! values, `alias` and `previousName` are aliases; `weakAlias` values are weak aliases. Countries from
//! `country`, `nationality`, `citizenship` and `jurisdiction` (two-letter codes only), QID from
//! `wikidataId`. Ids are `opensanctions:<id>`.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{by_line, open_file};
use crate::error::Result;
use crate::gazetteer::{Alias, Entity, Kind};

/// Opens an FtM JSON-lines file (`.gz`/`.bz2` decompressed).
pub fn open(path: &Path) -> Result<impl Iterator<Item = Result<Entity>> + Send> {
    Ok(read(open_file(path)?, Some(path.to_path_buf())))
}

/// Reads entities from FtM JSON lines.
pub fn read<R: BufRead>(reader: R, path: Option<PathBuf>) -> impl Iterator<Item = Result<Entity>> {
    by_line(reader, path, |text| {
        entity_of(&serde_json::from_str::<Value>(text).map_err(|e| e.to_string())?)
    })
}

fn entity_of(v: &Value) -> std::result::Result<Option<Entity>, String> {
    let kind = match v["schema"].as_str().ok_or("entity without a \"schema\"")? {
        "Person" => Kind::Per,
        "Organization" | "Company" | "LegalEntity" | "PublicBody" => Kind::Org,
        _ => return Ok(None),
    };
    let id = v["id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or("entity without an \"id\"")?;
    let props = &v["properties"];
    let values = |prop: &str| -> Vec<String> {
        props[prop]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    };
    let names = values("name");
    let name = match v["caption"]
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(c) => c.to_string(),
        None => match names.first() {
            Some(n) => n.clone(),
            None => return Ok(None),
        },
    };
    let mut e = Entity::new(format!("opensanctions:{id}"), name, kind);
    for n in names
        .into_iter()
        .chain(values("alias"))
        .chain(values("previousName"))
    {
        e.aliases.push(Alias::new(n));
    }
    e.aliases
        .extend(values("weakAlias").into_iter().map(Alias::weak));
    for prop in ["country", "nationality", "citizenship", "jurisdiction"] {
        e.countries.extend(
            values(prop)
                .into_iter()
                .filter(|c| c.len() == 2)
                .map(|c| c.to_ascii_uppercase()),
        );
    }
    e.qid = values("wikidataId")
        .into_iter()
        .find(|q| q.starts_with('Q'));
    e.description = values("position")
        .into_iter()
        .next()
        .or_else(|| values("notes").into_iter().next());
    e.source = Some("opensanctions".into());
    Ok(Some(e))
}
