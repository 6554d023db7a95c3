//! Source readers: each turns an upstream file format into a stream of [`Entity`] records,
//! `Result<Entity>` with errors naming the file and line ([`ErrorKind::Parse`](crate::ErrorKind::Parse)).
//!
//! | format | module | entity ids |
//! |--------|--------|------------|
//! | entity JSONL (`TEAM.md` schema) | [`jsonl`] | as given |
//! | CSV / TSV with configurable columns | [`csv`] | as given |
//! | Wikidata JSON dump (plain, `.gz`, `.bz2`) | [`wikidata`] | `wikidata:<QID>` |
//! | GeoNames `allCountries.txt` / `citiesN.txt`, `countryInfo.txt` | [`geonames`] | `geonames:<id>`, `country:<ISO2>` |
//! | OpenSanctions FollowTheMoney JSON lines | [`ftm`] | `opensanctions:<id>` |
//!
//! Files ending in `.gz` or `.bz2` are decompressed while streaming.

pub mod csv;
pub mod ftm;
pub mod geonames;
pub mod jsonl;
pub mod wikidata;

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::Entity;
use crate::error::{Error, Result};

/// A boxed stream of entities, as returned by [`open`].
pub type Entities = Box<dyn Iterator<Item = Result<Entity>> + Send>;

/// The source formats `nisba build --from` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    /// Entity JSONL.
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// Wikidata JSON dump.
    Wikidata,
    /// GeoNames tables (`allCountries.txt`, `citiesN.txt`, or `countryInfo.txt`, told apart by name).
    Geonames,
    /// OpenSanctions FollowTheMoney entities.
    Ftm,
}

impl SourceFormat {
    /// Every format's name.
    pub const NAMES: [&'static str; 6] = ["jsonl", "csv", "tsv", "wikidata", "geonames", "ftm"];

    /// The format's name (`"jsonl"`, …).
    pub fn as_str(&self) -> &'static str {
        match self {
            SourceFormat::Jsonl => "jsonl",
            SourceFormat::Csv => "csv",
            SourceFormat::Tsv => "tsv",
            SourceFormat::Wikidata => "wikidata",
            SourceFormat::Geonames => "geonames",
            SourceFormat::Ftm => "ftm",
        }
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SourceFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<SourceFormat> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "jsonl" => SourceFormat::Jsonl,
            "csv" => SourceFormat::Csv,
            "tsv" => SourceFormat::Tsv,
            "wikidata" => SourceFormat::Wikidata,
            "geonames" => SourceFormat::Geonames,
            "ftm" | "opensanctions" => SourceFormat::Ftm,
            _ => {
                return Err(Error::unknown_value(
                    "source format",
                    s,
                    &SourceFormat::NAMES,
                ))
            }
        })
    }
}

/// Options of every reader, for [`open`].
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// Column names for CSV/TSV.
    pub csv: csv::CsvOptions,
    /// Languages and kinds for Wikidata.
    pub wikidata: wikidata::WikidataOptions,
}

/// Opens `path` with the reader for `format`.
pub fn open(format: SourceFormat, path: &Path, options: &SourceOptions) -> Result<Entities> {
    Ok(match format {
        SourceFormat::Jsonl => Box::new(jsonl::open(path)?),
        SourceFormat::Csv => {
            let mut o = options.csv.clone();
            o.delimiter = b',';
            Box::new(csv::open(path, &o)?)
        }
        SourceFormat::Tsv => {
            let mut o = options.csv.clone();
            o.delimiter = b'\t';
            Box::new(csv::open(path, &o)?)
        }
        SourceFormat::Wikidata => Box::new(wikidata::open(path, &options.wikidata)?),
        SourceFormat::Geonames => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if name.starts_with("countryinfo") {
                Box::new(geonames::open_country_info(path)?)
            } else {
                Box::new(geonames::open(path)?)
            }
        }
        SourceFormat::Ftm => Box::new(ftm::open(path)?),
    })
}

/// Opens a file for reading, decompressing `.gz` and `.bz2` (multi-member streams included).
pub fn open_file(path: &Path) -> Result<Box<dyn BufRead + Send>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(Some(path.to_path_buf()), e))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let reader: Box<dyn Read + Send> = match ext.as_deref() {
        Some("gz") => Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file))),
        Some("bz2") => Box::new(bzip2::read::MultiBzDecoder::new(BufReader::new(file))),
        _ => Box::new(file),
    };
    Ok(Box::new(BufReader::with_capacity(1 << 16, reader)))
}

/// One line of a text source with its 1-based number.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number.
    pub no: u64,
    /// The line without its line ending.
    pub text: String,
}

/// Lines of a reader with their numbers; invalid UTF-8 and I/O errors carry the path and line.
pub struct Lines<R> {
    reader: R,
    path: Option<PathBuf>,
    no: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> Lines<R> {
    /// Lines of `reader`; `path` names it in errors.
    pub fn new(reader: R, path: Option<PathBuf>) -> Lines<R> {
        Lines {
            reader,
            path,
            no: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Result<Line>;
    fn next(&mut self) -> Option<Result<Line>> {
        if self.done {
            return None;
        }
        self.buf.clear();
        match self.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => {
                self.done = true;
                None
            }
            Ok(_) => {
                self.no += 1;
                while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
                    self.buf.pop();
                }
                Some(match std::str::from_utf8(&self.buf) {
                    Ok(s) => Ok(Line {
                        no: self.no,
                        text: s.to_string(),
                    }),
                    Err(_) => Err(Error::parse(
                        self.path.clone(),
                        Some(self.no),
                        "invalid UTF-8",
                    )),
                })
            }
            Err(e) => {
                self.done = true;
                Some(Err(Error::io(self.path.clone(), e)))
            }
        }
    }
}

/// A parse error at `line` of `path`.
/// Entities parsed line by line. `parse` gets each non-blank line and returns `Ok(None)` to skip it,
/// or a message that becomes a [`ErrorKind::Parse`](crate::ErrorKind::Parse) error naming the source's
/// path and line number.
pub(crate) fn by_line<R, F>(
    reader: R,
    path: Option<PathBuf>,
    mut parse: F,
) -> impl Iterator<Item = Result<Entity>>
where
    R: BufRead,
    F: FnMut(&str) -> std::result::Result<Option<Entity>, String>,
{
    let p = path.clone();
    Lines::new(reader, path).filter_map(move |line| match line {
        Err(e) => Some(Err(e)),
        Ok(line) if line.text.trim().is_empty() => None,
        Ok(line) => parse(&line.text)
            .map_err(|m| parse_error(&p, line.no, m))
            .transpose(),
    })
}

pub(crate) fn parse_error(path: &Option<PathBuf>, line: u64, message: impl Into<String>) -> Error {
    Error::parse(path.clone(), Some(line), message)
}
