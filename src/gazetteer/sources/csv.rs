//! CSV and TSV tables with a header row and configurable column names.
//!
//! Required columns: id and name. Optional: kind (else [`CsvOptions::default_kind`]), aliases and weak
//! aliases (separated by [`CsvOptions::list_separator`], `|` by default), countries (same separator),
//! qid, geonames_id, prior, population, description, source, role. Empty cells are absent values.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::open_file;
use crate::error::{Error, Result};
use crate::gazetteer::{Alias, Entity, Kind};

/// Column names and separators of a CSV/TSV source.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvOptions {
    /// Field delimiter (`b','` or `b'\t'`).
    pub delimiter: u8,
    /// Separator inside list cells (aliases, countries).
    pub list_separator: char,
    /// Id column.
    pub id: String,
    /// Name column.
    pub name: String,
    /// Kind column.
    pub kind: String,
    /// Aliases column.
    pub aliases: String,
    /// Weak aliases column.
    pub weak_aliases: String,
    /// Countries column.
    pub countries: String,
    /// QID column.
    pub qid: String,
    /// GeoNames id column.
    pub geonames_id: String,
    /// Prior column.
    pub prior: String,
    /// Population column.
    pub population: String,
    /// Description column.
    pub description: String,
    /// Source column.
    pub source: String,
    /// Role column.
    pub role: String,
    /// Kind for rows without a kind column or cell; `None` makes a missing kind an error.
    pub default_kind: Option<Kind>,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: b',',
            list_separator: '|',
            id: "id".into(),
            name: "name".into(),
            kind: "kind".into(),
            aliases: "aliases".into(),
            weak_aliases: "weak_aliases".into(),
            countries: "countries".into(),
            qid: "qid".into(),
            geonames_id: "geonames_id".into(),
            prior: "prior".into(),
            population: "population".into(),
            description: "description".into(),
            source: "source".into(),
            role: "role".into(),
            default_kind: None,
        }
    }
}

/// Opens a CSV/TSV file (`.gz`/`.bz2` decompressed).
pub fn open(
    path: &Path,
    options: &CsvOptions,
) -> Result<impl Iterator<Item = Result<Entity>> + Send> {
    read(open_file(path)?, Some(path.to_path_buf()), options)
}

struct Columns {
    id: usize,
    name: usize,
    kind: Option<usize>,
    aliases: Option<usize>,
    weak_aliases: Option<usize>,
    countries: Option<usize>,
    qid: Option<usize>,
    geonames_id: Option<usize>,
    prior: Option<usize>,
    population: Option<usize>,
    description: Option<usize>,
    source: Option<usize>,
    role: Option<usize>,
}

/// Reads entities from CSV/TSV text. The header row is read at once: a missing id or name column is an
/// error here.
pub fn read<R: Read + Send>(
    reader: R,
    path: Option<PathBuf>,
    options: &CsvOptions,
) -> Result<impl Iterator<Item = Result<Entity>> + Send> {
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(options.delimiter)
        .has_headers(true)
        .flexible(false)
        .quoting(options.delimiter != b'\t')
        .from_reader(reader);
    let headers = rdr
        .headers()
        .map_err(|e| Error::parse(path.clone(), Some(1), e.to_string()))?
        .clone();
    let find = |name: &str| headers.iter().position(|h| h.trim() == name);
    let required = |name: &str| {
        find(name).ok_or_else(|| {
            Error::parse(
                path.clone(),
                Some(1),
                format!("no column {name:?} in the header"),
            )
        })
    };
    let cols = Columns {
        id: required(&options.id)?,
        name: required(&options.name)?,
        kind: find(&options.kind),
        aliases: find(&options.aliases),
        weak_aliases: find(&options.weak_aliases),
        countries: find(&options.countries),
        qid: find(&options.qid),
        geonames_id: find(&options.geonames_id),
        prior: find(&options.prior),
        population: find(&options.population),
        description: find(&options.description),
        source: find(&options.source),
        role: find(&options.role),
    };
    if cols.kind.is_none() && options.default_kind.is_none() {
        return Err(Error::parse(
            path.clone(),
            Some(1),
            format!("no column {:?} and no default kind", options.kind),
        ));
    }
    let sep = options.list_separator;
    let default_kind = options.default_kind;
    Ok(rdr.into_records().map(move |rec| {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line());
            Error::parse(path.clone(), line, e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let err = |m: String| Error::parse(path.clone(), Some(line), m);
        let cell = |i: Option<usize>| {
            i.and_then(|i| rec.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let list = |i: Option<usize>| -> Vec<String> {
            cell(i)
                .map(|s| {
                    s.split(sep)
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default()
        };
        let kind = match cell(cols.kind) {
            Some(k) => k.parse::<Kind>().map_err(|e| err(e.to_string()))?,
            None => default_kind.ok_or_else(|| err("empty kind".into()))?,
        };
        let mut e = Entity::new(
            cell(Some(cols.id)).unwrap_or(""),
            rec.get(cols.name).unwrap_or("").trim(),
            kind,
        );
        e.aliases = list(cols.aliases).into_iter().map(Alias::new).collect();
        e.aliases
            .extend(list(cols.weak_aliases).into_iter().map(Alias::weak));
        e.countries = list(cols.countries);
        e.qid = cell(cols.qid).map(String::from);
        e.geonames_id = cell(cols.geonames_id)
            .map(|s| s.parse().map_err(|_| err(format!("bad geonames_id {s:?}"))))
            .transpose()?;
        e.population = cell(cols.population)
            .map(|s| s.parse().map_err(|_| err(format!("bad population {s:?}"))))
            .transpose()?;
        if let Some(p) = cell(cols.prior) {
            e.prior = p.parse().map_err(|_| err(format!("bad prior {p:?}")))?;
        }
        e.description = cell(cols.description).map(String::from);
        e.source = cell(cols.source).map(String::from);
        e.role = cell(cols.role).map(String::from);
        Ok(e)
    }))
}
