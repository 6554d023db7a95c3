//! Stage 3 — the gazetteer: every entity with all of its names, compiled into fst maps and written as one
//! versioned, checksummed file that opens in microseconds by memory map and is shared zero-copy.
//!
//! ```
//! use nisba::gazetteer::{Alias, Entity, Gazetteer, GazetteerBuilder, Kind};
//!
//! let mut b = GazetteerBuilder::new();
//! let mut e = Entity::new("nisba:loc:erbil", "Erbil", Kind::Loc);
//! e.aliases.push(Alias::with_lang("أربيل", "ar"));
//! e.aliases.push(Alias::new("Hawler"));
//! b.add(e)?;
//! b.add(Entity::new("nisba:loc:erbil-airport", "Erbil International Airport", Kind::Loc))?;
//! let gz = b.build()?;
//! assert_eq!(gz.len(), 2);
//! let hits = gz.lookup("ERBIL");
//! assert_eq!(gz.entity(hits[0]).id(), "nisba:loc:erbil");
//! assert_eq!(gz.lookup("اربيل"), hits);
//! assert!(gz.get("nisba:loc:erbil-airport").is_some());
//!
//! // the same bytes, as another process would see them through a memory map
//! let again = Gazetteer::from_bytes(gz.as_bytes().to_vec())?;
//! again.verify()?;
//! # Ok::<(), nisba::Error>(())
//! ```
//!
//! ## Indexes
//!
//! Each name form (canonical name and every alias) of every entity is indexed under four keys, each an fst
//! map whose value is a postings value (see [`format`](mod@format)): [`name_key`] (exact after normalisation; also the
//! map the linker walks token by token with [`Gazetteer::walk`]), `key::strict_key`, `key::loose_key`, and
//! the loose key of every single part of the name ([`Gazetteer::by_part_key`], for surname-only mentions).
//! [`Gazetteer::candidates`] runs a lazy Levenshtein automaton ([`fuzzy`]) over the loose keys.
//!
//! ## Integrity
//!
//! [`Gazetteer::open`]/[`Gazetteer::from_bytes`] check the header, versions, section table and metadata
//! (O(1) in the size of the file). The index sections are checksummed once, on first use (a few ms for a
//! large file); if that fails every lookup returns nothing and [`Gazetteer::check_indexes`] says why.
//! Records are decoded defensively: a corrupt record reads as blank (or an error from
//! [`Gazetteer::try_entity`]). [`Gazetteer::verify`] checks every checksum and every record.

pub mod builder;
pub mod entity;
pub mod format;
pub mod fuzzy;
pub mod sources;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use fst::raw::{Fst, Node, Output};
use fst::Streamer;
use serde::{Deserialize, Serialize};

pub use builder::{BuildStats, GazetteerBuilder};
pub use entity::{key_parts, name_key, population_prior, Alias, Entity, Kind};

use crate::error::{Error, Result};
use format::{Cursor, DecodeError, Header, INLINE_POSTING, SECTION_KINDS};

/// Queries whose loose key is longer than this many characters get no fuzzy candidates (only exact key
/// hits): the automaton's work grows with the query length.
pub const MAX_FUZZY_QUERY_CHARS: usize = fuzzy::MAX_QUERY_CHARS;
/// `candidates` caps `max_edits` at this value.
pub const MAX_FUZZY_EDITS: u32 = 2;
/// `candidates` reads at most this many matching keys from the fuzzy search.
pub const MAX_FUZZY_KEYS: usize = 10_000;

/// One section as listed in [`Metadata::sections`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionInfo {
    /// Section name (`"names"`, `"records"`…).
    pub name: String,
    /// Section kind code.
    pub kind: u32,
    /// Byte offset in the file.
    pub offset: u64,
    /// Byte length.
    pub len: u64,
    /// CRC-32 of the section.
    pub crc32: u32,
}

/// What a gazetteer file says about itself: versions, sources, counts, build time and section sizes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// File format version.
    pub format_version: u32,
    /// `key::KEY_VERSION` of the builder.
    pub key_version: u32,
    /// `NORMALIZER_VERSION` of the builder.
    pub normalizer_version: u32,
    /// Normaliser option bits of the builder.
    pub normalize_bits: u32,
    /// nisba version that built the file.
    pub nisba_version: String,
    /// Build time, seconds since the Unix epoch (`SOURCE_DATE_EPOCH` when set).
    pub build_time: u64,
    /// Sources of the entities (their `source` fields and source files named to the builder).
    pub sources: Vec<String>,
    /// Number of entities.
    pub entities: u64,
    /// Entities by kind (`"PER"` → count).
    pub counts: BTreeMap<String, u64>,
    /// Name forms indexed: canonical names plus aliases, after merging and deduplication.
    pub name_forms: u64,
    /// Distinct keys in each index (`"names"`, `"strict"`, `"loose"`, `"parts"`).
    pub distinct_keys: BTreeMap<String, u64>,
    /// Empty or whitespace-only names skipped by the builder.
    pub skipped_empty_names: u64,
    /// Invalid records skipped by the builder (`skip_invalid`).
    pub skipped_invalid: u64,
    /// The section table (filled in by the reader from the file itself).
    #[serde(default)]
    pub sections: Vec<SectionInfo>,
}

impl Metadata {
    /// Bytes of the name indexes (the four name fst maps and the postings).
    pub fn map_bytes(&self) -> u64 {
        self.sections
            .iter()
            .filter(|s| {
                matches!(
                    s.name.as_str(),
                    "names" | "strict" | "loose" | "parts" | "postings"
                )
            })
            .map(|s| s.len)
            .sum()
    }

    /// Total bytes of all sections.
    pub fn total_bytes(&self) -> u64 {
        self.sections.iter().map(|s| s.len).sum()
    }

    /// Bytes of the name indexes per name form (0 when there are none).
    pub fn map_bytes_per_name_form(&self) -> f64 {
        per(self.map_bytes(), self.name_forms)
    }

    /// Bytes of the whole file per name form (0 when there are none).
    pub fn file_bytes_per_name_form(&self) -> f64 {
        per(self.total_bytes(), self.name_forms)
    }
}

fn per(bytes: u64, forms: u64) -> f64 {
    if forms == 0 {
        0.0
    } else {
        bytes as f64 / forms as f64
    }
}

/// The bytes of one section of a gazetteer, shared with the gazetteer's buffer (what its fst maps read).
pub struct SectionBytes<D> {
    inner: SectionInner<D>,
}

enum SectionInner<D> {
    Shared(Arc<D>, Range<usize>),
    Owned(Vec<u8>),
}

impl<D: AsRef<[u8]>> AsRef<[u8]> for SectionBytes<D> {
    fn as_ref(&self) -> &[u8] {
        match &self.inner {
            SectionInner::Shared(data, range) => {
                data.as_ref().as_ref().get(range.clone()).unwrap_or(&[])
            }
            SectionInner::Owned(v) => v,
        }
    }
}

struct Indexes<D> {
    ids: fst::Map<SectionBytes<D>>,
    names: fst::Map<SectionBytes<D>>,
    strict: fst::Map<SectionBytes<D>>,
    loose: fst::Map<SectionBytes<D>>,
    parts: fst::Map<SectionBytes<D>>,
    error: Option<String>,
}

/// A gazetteer: entities and their name indexes over any byte buffer — a `Vec<u8>`, a `&'static [u8]` or a
/// memory map (the default type, from [`Gazetteer::open`]).
pub struct Gazetteer<D: AsRef<[u8]> = memmap2::Mmap> {
    data: Arc<D>,
    path: Option<PathBuf>,
    header: Header,
    metadata: Metadata,
    /// Byte ranges of the known sections, in `SECTION_KINDS` order.
    ranges: [Range<usize>; 9],
    len: u32,
    indexes: OnceLock<Indexes<D>>,
    /// Entity names prepared for comparison by [`Gazetteer::resolve`] (bounded).
    prepared: crate::resolve::PreparedCache,
}

impl<D: AsRef<[u8]>> fmt::Debug for Gazetteer<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gazetteer")
            .field("path", &self.path)
            .field("entities", &self.len)
            .field("bytes", &self.as_bytes().len())
            .finish()
    }
}

impl Gazetteer<memmap2::Mmap> {
    /// Opens a gazetteer file by memory map. Checks the header, versions, section table and metadata.
    ///
    /// The map is read-only; as with any memory map, another process truncating the file while it is mapped
    /// can crash this one (write new gazetteers with [`GazetteerBuilder::write`], which renames instead).
    pub fn open(path: impl AsRef<Path>) -> Result<Gazetteer<memmap2::Mmap>> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|e| Error::io(Some(path.to_path_buf()), e))?;
        let size = file
            .metadata()
            .map_err(|e| Error::io(Some(path.to_path_buf()), e))?
            .len();
        if size < format::HEADER_LEN as u64 {
            return Err(Error::format(format!(
                "{}: truncated: {size} bytes, shorter than the {}-byte header",
                path.display(),
                format::HEADER_LEN
            )));
        }
        // SAFETY: the map is read-only and every byte read from it is bounds-checked; files are replaced
        // by rename, never rewritten in place, by this crate.
        let map = unsafe { memmap2::Mmap::map(&file) }
            .map_err(|e| Error::io(Some(path.to_path_buf()), e))?;
        let mut gz = Gazetteer::from_bytes(map)?;
        gz.path = Some(path.to_path_buf());
        Ok(gz)
    }
}

impl<D: AsRef<[u8]>> Gazetteer<D> {
    /// A gazetteer over a byte buffer. Checks the header, versions, section table and metadata.
    pub fn from_bytes(data: D) -> Result<Self> {
        let bytes = data.as_ref();
        let header = format::read_header(bytes)?;
        let mut ranges: [Range<usize>; 9] = Default::default();
        let mut seen = [false; 9];
        for s in &header.sections {
            if let Some(pos) = SECTION_KINDS.iter().position(|&k| k == s.kind) {
                if seen[pos] {
                    return Err(Error::format(format!(
                        "duplicate section {}",
                        format::section_name(s.kind)
                    )));
                }
                seen[pos] = true;
                ranges[pos] = s.offset as usize..(s.offset + s.len) as usize;
            }
        }
        if let Some(pos) = seen.iter().position(|s| !s) {
            return Err(Error::format(format!(
                "missing section {}",
                format::section_name(SECTION_KINDS[pos])
            )));
        }
        let n = header.entities;
        let meta_entry = header
            .sections
            .iter()
            .find(|s| s.kind == format::SECTION_META);
        let meta_bytes = &bytes[ranges[0].clone()];
        if meta_entry.map(|e| e.crc32) != Some(crc32fast::hash(meta_bytes)) {
            return Err(Error::format("checksum mismatch in section meta"));
        }
        let mut metadata: Metadata = serde_json::from_slice(meta_bytes)
            .map_err(|e| Error::format(format!("metadata: {e}")))?;
        if metadata.entities != u64::from(n) {
            return Err(Error::format(format!(
                "metadata counts {} entities, the header {n}",
                metadata.entities
            )));
        }
        metadata.sections = header
            .sections
            .iter()
            .map(|s| SectionInfo {
                name: format::section_name(s.kind).to_string(),
                kind: s.kind,
                offset: s.offset,
                len: s.len,
                crc32: s.crc32,
            })
            .collect();
        let offsets_len = ranges[2].len();
        if offsets_len as u64 != (u64::from(n) + 1) * 8 {
            return Err(Error::format(format!(
                "section record_offsets has {offsets_len} bytes, expected {} for {n} entities",
                (u64::from(n) + 1) * 8
            )));
        }
        Ok(Gazetteer {
            data: Arc::new(data),
            path: None,
            header,
            metadata,
            ranges,
            len: n,
            indexes: OnceLock::new(),
            prepared: Default::default(),
        })
    }

    /// The whole file's bytes (for pickling by value or writing elsewhere).
    pub fn as_bytes(&self) -> &[u8] {
        (*self.data).as_ref()
    }

    /// The path of a gazetteer opened with [`Gazetteer::open`]; `None` for in-memory ones.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The decoded file header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Versions, sources, counts, build time and section sizes.
    pub fn metadata(&self) -> &Metadata {
        &self.metadata
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// True when the gazetteer holds no entity.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn section(&self, pos: usize) -> &[u8] {
        self.as_bytes().get(self.ranges[pos].clone()).unwrap_or(&[])
    }

    fn section_pos(kind: u32) -> usize {
        SECTION_KINDS.iter().position(|&k| k == kind).unwrap_or(0)
    }

    fn check_section(&self, entry: &format::SectionEntry) -> Result<()> {
        let start = entry.offset as usize;
        let bytes = self
            .as_bytes()
            .get(start..start + entry.len as usize)
            .unwrap_or(&[]);
        if crc32fast::hash(bytes) != entry.crc32 {
            return Err(Error::format(format!(
                "checksum mismatch in section {}",
                format::section_name(entry.kind)
            )));
        }
        Ok(())
    }

    fn shared(&self, kind: u32) -> SectionBytes<D> {
        SectionBytes {
            inner: SectionInner::Shared(
                Arc::clone(&self.data),
                self.ranges[Self::section_pos(kind)].clone(),
            ),
        }
    }

    fn load_indexes(&self) -> Result<Indexes<D>> {
        use format::*;
        for entry in &self.header.sections {
            if matches!(
                entry.kind,
                SECTION_IDS
                    | SECTION_NAMES
                    | SECTION_STRICT
                    | SECTION_LOOSE
                    | SECTION_PARTS
                    | SECTION_POSTINGS
            ) {
                self.check_section(entry)?;
            }
        }
        let map = |kind: u32| {
            fst::Map::new(self.shared(kind))
                .map_err(|e| Error::format(format!("section {}: {e}", section_name(kind))))
        };
        Ok(Indexes {
            ids: map(SECTION_IDS)?,
            names: map(SECTION_NAMES)?,
            strict: map(SECTION_STRICT)?,
            loose: map(SECTION_LOOSE)?,
            parts: map(SECTION_PARTS)?,
            error: None,
        })
    }

    /// The cache of entity names prepared for [`Gazetteer::resolve`].
    pub(crate) fn prepared_cache(&self) -> &crate::resolve::PreparedCache {
        &self.prepared
    }

    fn indexes(&self) -> &Indexes<D> {
        self.indexes.get_or_init(|| match self.load_indexes() {
            Ok(i) => i,
            Err(e) => {
                let empty = || {
                    let bytes = fst::MapBuilder::memory().into_inner().unwrap_or_default();
                    fst::Map::new(SectionBytes {
                        inner: SectionInner::Owned(bytes),
                    })
                    .expect("an empty in-memory fst always parses")
                };
                Indexes {
                    ids: empty(),
                    names: empty(),
                    strict: empty(),
                    loose: empty(),
                    parts: empty(),
                    error: Some(e.to_string()),
                }
            }
        })
    }

    /// Checks the index sections (done once, on first use, by every lookup): `Err` says what is corrupt.
    pub fn check_indexes(&self) -> Result<()> {
        match &self.indexes().error {
            None => Ok(()),
            Some(message) => Err(Error::format(message.clone())),
        }
    }

    /// Checks every section checksum, every record and every index value. O(file size).
    pub fn verify(&self) -> Result<()> {
        for entry in &self.header.sections {
            self.check_section(entry)?;
        }
        self.check_indexes()?;
        for idx in 0..self.len {
            self.try_entity(idx)?;
        }
        let ix = self.indexes();
        let mut stream = ix.ids.stream();
        let mut ids = 0u64;
        while let Some((id, value)) = stream.next() {
            let rec = u32::try_from(value)
                .ok()
                .and_then(|i| self.try_entity(i).ok())
                .ok_or_else(|| Error::format(format!("section ids: bad entity index {value}")))?;
            if rec.id().as_bytes() != id {
                return Err(Error::format(format!(
                    "section ids: id {:?} points at {:?}",
                    String::from_utf8_lossy(id),
                    rec.id()
                )));
            }
            ids += 1;
        }
        if ids != u64::from(self.len) {
            return Err(Error::format(format!(
                "section ids has {ids} ids for {} entities",
                self.len
            )));
        }
        for (name, map) in [
            ("names", &ix.names),
            ("strict", &ix.strict),
            ("loose", &ix.loose),
            ("parts", &ix.parts),
        ] {
            let mut stream = map.stream();
            while let Some((_, value)) = stream.next() {
                match self.try_postings(value) {
                    Ok(list) if !list.is_empty() => {}
                    _ => {
                        return Err(Error::format(format!(
                            "section {name}: bad postings value {value}"
                        )))
                    }
                }
            }
        }
        Ok(())
    }

    fn try_postings(&self, value: u64) -> std::result::Result<Vec<u32>, DecodeError> {
        self.try_postings_upto(value, usize::MAX)
    }

    /// The first `limit` entity indices of a postings value (the rest are not decoded).
    fn try_postings_upto(
        &self,
        value: u64,
        limit: usize,
    ) -> std::result::Result<Vec<u32>, DecodeError> {
        if value & INLINE_POSTING != 0 {
            return match u32::try_from(value >> 1) {
                Ok(idx) if idx < self.len => Ok(vec![idx]),
                _ => Err("bad inline posting"),
            };
        }
        let bytes = self.section(8);
        let at = usize::try_from(value >> 1).map_err(|_| "posting offset overflow")?;
        let mut c = Cursor::new(bytes.get(at..).ok_or("posting offset out of bounds")?);
        let count = c.varint()?;
        // every entry takes at least one byte: a larger count is corrupt (and must not allocate)
        if count == 0 || count > c.remaining() as u64 {
            return Err("bad posting list length");
        }
        let count = count.min(limit as u64);
        let mut out = Vec::with_capacity(count as usize);
        let mut idx = 0u64;
        for i in 0..count {
            let delta = c.varint()?;
            if i > 0 && delta == 0 {
                return Err("posting list not ascending");
            }
            idx = idx.checked_add(delta).ok_or("posting overflow")?;
            if idx >= u64::from(self.len) {
                return Err("posting entity index out of range");
            }
            out.push(idx as u32);
        }
        Ok(out)
    }

    /// The entity indices of a postings value; empty when the value is corrupt.
    fn postings(&self, value: u64) -> Vec<u32> {
        self.try_postings(value).unwrap_or_default()
    }

    fn get_in(&self, map: &fst::Map<SectionBytes<D>>, key: &str) -> Vec<u32> {
        if key.is_empty() {
            return Vec::new();
        }
        map.get(key).map(|v| self.postings(v)).unwrap_or_default()
    }

    /// Entities with a name whose [`name_key`] equals `name_key(name)` (exact after normalisation), in
    /// index order.
    pub fn lookup(&self, name: &str) -> Vec<u32> {
        self.lookup_key(&name_key(name))
    }

    /// Entities with a name whose [`name_key`] is exactly `key`.
    pub fn lookup_key(&self, key: &str) -> Vec<u32> {
        self.get_in(&self.indexes().names, key)
    }

    /// Entities with a name form whose `key::strict_key` is `key`.
    pub fn by_strict_key(&self, key: &str) -> Vec<u32> {
        self.get_in(&self.indexes().strict, key)
    }

    /// Entities with a name form whose `key::loose_key` is `key`.
    pub fn by_loose_key(&self, key: &str) -> Vec<u32> {
        self.get_in(&self.indexes().loose, key)
    }

    /// Entities with a name part (a word of a name form, split on whitespace and hyphens) whose
    /// `key::loose_key` is `key` — for surname-only mentions (`by_part_key(&loose_key("Kadhimi"))`).
    pub fn by_part_key(&self, key: &str) -> Vec<u32> {
        self.get_in(&self.indexes().parts, key)
    }

    /// [`Gazetteer::by_part_key`] cut to the first `limit` entities (the rest of a long postings list, as
    /// for a very common name part, is not decoded).
    pub(crate) fn by_part_key_upto(&self, key: &str, limit: usize) -> Vec<u32> {
        if key.is_empty() || limit == 0 {
            return Vec::new();
        }
        self.indexes()
            .parts
            .get(key)
            .map(|v| self.try_postings_upto(v, limit).unwrap_or_default())
            .unwrap_or_default()
    }

    /// Whether some name part has the loose key `key` (an fst lookup, no postings decoded).
    pub(crate) fn has_part_key(&self, key: &str) -> bool {
        !key.is_empty() && self.indexes().parts.contains_key(key)
    }

    /// The fuzzy half of [`Gazetteer::candidates`]: entities with a loose key within `max_edits` edits of
    /// `loose` (a loose key already), unsorted, possibly repeated; nothing when `max_edits` is 0.
    pub(crate) fn fuzzy_loose(&self, loose: &str, max_edits: u32, out: &mut Vec<u32>) {
        let edits = max_edits.min(MAX_FUZZY_EDITS);
        if edits > 0 && !loose.is_empty() && loose.chars().count() <= MAX_FUZZY_QUERY_CHARS {
            if let Some(automaton) = fuzzy::LevenshteinRows::new(loose, edits) {
                let mut keys = 0;
                automaton.search(self.indexes().loose.as_fst(), |value| {
                    out.extend(self.postings(value));
                    keys += 1;
                    keys < MAX_FUZZY_KEYS
                });
            }
        }
    }

    /// Candidate entities for a possibly misspelt name: exact hits on the name, strict and loose keys,
    /// unioned with every loose key within `max_edits` (capped at [`MAX_FUZZY_EDITS`]) Levenshtein edits of
    /// `loose_key(name)`. Sorted, deduplicated entity indices.
    ///
    /// The fuzzy search is a lazy row automaton ([`fuzzy::LevenshteinRows`]) walking the loose-key fst.
    /// Limits: a loose key longer than [`MAX_FUZZY_QUERY_CHARS`] characters gets the exact hits only; at
    /// most [`MAX_FUZZY_KEYS`] fuzzy keys are read.
    pub fn candidates(&self, name: &str, max_edits: u32) -> Vec<u32> {
        let loose = crate::key::loose_key(name);
        let mut out = self.lookup(name);
        out.extend(self.by_strict_key(&crate::key::strict_key(name)));
        out.extend(self.by_loose_key(&loose));
        self.fuzzy_loose(&loose, max_edits, &mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The names index as an fst map ([`name_key`] → postings value), for callers that walk it themselves;
    /// decode values with [`Gazetteer::postings_of`]. Prefer [`Gazetteer::walk`].
    pub fn names_fst(&self) -> &fst::Map<SectionBytes<D>> {
        &self.indexes().names
    }

    /// The entity indices of a value read from [`Gazetteer::names_fst`] (empty if it is invalid).
    pub fn postings_of(&self, value: u64) -> Vec<u32> {
        self.postings(value)
    }

    /// A walker over the names index that advances one normalised token at a time:
    ///
    /// ```
    /// # use nisba::gazetteer::{Entity, GazetteerBuilder, Kind};
    /// # let mut b = GazetteerBuilder::new();
    /// # b.add(Entity::new("a", "Erbil", Kind::Loc))?;
    /// # b.add(Entity::new("b", "Erbil International Airport", Kind::Loc))?;
    /// # let gz = b.build()?;
    /// let mut w = gz.walk();
    /// assert!(w.feed("erbil"));
    /// assert!(w.matched().is_some() && w.may_extend());
    /// assert!(w.feed("international"));
    /// assert!(w.matched().is_none());
    /// assert!(w.feed("airport"));
    /// assert_eq!(w.matched().map(|m| gz.entity(m[0]).id().to_string()), Some("b".into()));
    /// assert!(!w.feed("terminal"));
    /// # Ok::<(), nisba::Error>(())
    /// ```
    pub fn walk(&self) -> NameWalker<'_, D> {
        let fst = self.indexes().names.as_fst();
        NameWalker {
            gz: self,
            fst,
            node: fst.root(),
            out: Output::zero(),
            started: false,
            alive: true,
        }
    }

    /// A walker resumed at `pos`, taken from a walker over this same gazetteer
    /// ([`NameWalker::position`]).
    pub(crate) fn walk_from(&self, pos: WalkPosition) -> NameWalker<'_, D> {
        let fst = self.indexes().names.as_fst();
        NameWalker {
            gz: self,
            fst,
            node: fst.node(pos.addr),
            out: Output::new(pos.out),
            started: pos.started,
            alive: pos.alive,
        }
    }

    /// The entity with dense index `idx` (0 ≤ idx < len). A corrupt record reads as a blank entity (empty
    /// id and name, kind OTHER); [`Gazetteer::try_entity`] reports it instead.
    ///
    /// # Panics
    ///
    /// When `idx >= self.len()`, like slice indexing.
    pub fn entity(&self, idx: u32) -> EntityRef<'_> {
        assert!(
            idx < self.len,
            "entity index {idx} out of range (len {})",
            self.len
        );
        self.try_entity(idx).unwrap_or(EntityRef::blank(idx))
    }

    /// The entity with dense index `idx`, or an error if `idx` is out of range or the record is corrupt.
    pub fn try_entity(&self, idx: u32) -> Result<EntityRef<'_>> {
        if idx >= self.len {
            return Err(Error::invalid_input(format!(
                "entity index {idx} out of range (len {})",
                self.len
            )));
        }
        let offsets = self.section(2);
        let at = |i: usize| -> Option<u64> {
            let s = offsets.get(i * 8..i * 8 + 8)?;
            Some(u64::from_le_bytes(s.try_into().ok()?))
        };
        let records = self.section(1);
        let i = idx as usize;
        let bad = |m: &str| Error::format(format!("record {idx}: {m}"));
        let (start, end) = match (at(i), at(i + 1)) {
            (Some(a), Some(b)) if a <= b && b <= records.len() as u64 => (a as usize, b as usize),
            _ => return Err(bad("offsets out of bounds")),
        };
        EntityRef::decode(idx, &records[start..end]).map_err(bad)
    }

    /// The entity with this id.
    pub fn get(&self, id: &str) -> Option<EntityRef<'_>> {
        let idx = self.index_of(id)?;
        self.try_entity(idx).ok()
    }

    /// The dense index of the entity with this id.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        let v = self.indexes().ids.get(id)?;
        u32::try_from(v).ok().filter(|&i| i < self.len)
    }

    /// True when an entity has this id.
    pub fn contains(&self, id: &str) -> bool {
        self.index_of(id).is_some()
    }

    /// Every entity, in index (id) order; corrupt records are skipped.
    pub fn iter(&self) -> impl Iterator<Item = EntityRef<'_>> + '_ {
        (0..self.len).filter_map(move |i| self.try_entity(i).ok())
    }
}

/// A walker over the names index, one normalised token at a time (see [`Gazetteer::walk`]).
///
/// Token `k > 0` is preceded by one space, as in [`name_key`]; bytes advance through the raw fst nodes, so
/// each step costs O(token length) and needs no allocation.
pub struct NameWalker<'g, D: AsRef<[u8]>> {
    gz: &'g Gazetteer<D>,
    fst: &'g Fst<SectionBytes<D>>,
    node: Node<'g>,
    out: Output,
    started: bool,
    alive: bool,
}

// By hand: a derive would ask `D: Clone`, and the walker only borrows the gazetteer.
impl<D: AsRef<[u8]>> Clone for NameWalker<'_, D> {
    fn clone(&self) -> Self {
        NameWalker {
            gz: self.gz,
            fst: self.fst,
            node: self.node,
            out: self.out,
            started: self.started,
            alive: self.alive,
        }
    }
}

impl<D: AsRef<[u8]>> NameWalker<'_, D> {
    fn step(&mut self, b: u8) {
        match self.node.find_input(b) {
            Some(i) => {
                let t = self.node.transition(i);
                self.out = self.out.cat(t.out);
                self.node = self.fst.node(t.addr);
            }
            None => self.alive = false,
        }
    }

    /// Advances by a token's normalised form (`Token::norm`, split into its [`key_parts`] like
    /// [`name_key`] does); false when no name continues this way (the walker is then dead until
    /// [`NameWalker::reset`]). A token without parts changes nothing.
    pub fn feed(&mut self, token_norm: &str) -> bool {
        for part in key_parts(token_norm) {
            if !self.alive {
                break;
            }
            if self.started {
                self.step(b' ');
            }
            for &b in part.as_bytes() {
                if !self.alive {
                    break;
                }
                self.step(b);
            }
            self.started = true;
        }
        self.alive
    }

    /// The entities whose name is exactly the tokens fed so far, if any.
    pub fn matched(&self) -> Option<Vec<u32>> {
        if self.alive && self.started && self.node.is_final() {
            Some(
                self.gz
                    .postings(self.out.cat(self.node.final_output()).value()),
            )
        } else {
            None
        }
    }

    /// True when some longer name continues the tokens fed so far (another token may follow).
    pub fn may_extend(&self) -> bool {
        self.alive && (!self.started || self.node.find_input(b' ').is_some())
    }

    /// True while the tokens fed so far are a prefix of some name.
    pub fn is_alive(&self) -> bool {
        self.alive
    }

    /// Back to the start, as if no token had been fed.
    pub fn reset(&mut self) {
        self.node = self.fst.root();
        self.out = Output::zero();
        self.started = false;
        self.alive = true;
    }

    /// Where the walker stands, without its borrow of the gazetteer: [`Gazetteer::walk_from`] resumes
    /// it (the linker keeps walks this way between documents).
    pub(crate) fn position(&self) -> WalkPosition {
        WalkPosition {
            addr: self.node.addr(),
            out: self.out.value(),
            started: self.started,
            alive: self.alive,
        }
    }
}

/// A [`NameWalker`]'s state as plain data (see [`NameWalker::position`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct WalkPosition {
    addr: fst::raw::CompiledAddr,
    out: u64,
    started: bool,
    alive: bool,
}

/// A zero-copy view of one entity record.
#[derive(Debug, Clone, Copy)]
pub struct EntityRef<'a> {
    idx: u32,
    kind: Kind,
    prior: f32,
    id: &'a str,
    name: &'a str,
    qid: Option<&'a str>,
    description: Option<&'a str>,
    source: Option<&'a str>,
    role: Option<&'a str>,
    geonames_id: Option<u64>,
    population: Option<u64>,
    countries: (u32, &'a [u8]),
    aliases: (u32, &'a [u8]),
}

impl<'a> EntityRef<'a> {
    fn blank(idx: u32) -> EntityRef<'a> {
        EntityRef {
            idx,
            kind: Kind::Other,
            prior: 0.0,
            id: "",
            name: "",
            qid: None,
            description: None,
            source: None,
            role: None,
            geonames_id: None,
            population: None,
            countries: (0, &[]),
            aliases: (0, &[]),
        }
    }

    fn decode(idx: u32, rec: &'a [u8]) -> std::result::Result<EntityRef<'a>, DecodeError> {
        use format::*;
        let mut c = Cursor::new(rec);
        let kind = Kind::from_code(c.u8()?).ok_or("bad kind code")?;
        let flags = c.u8()?;
        let prior = c.f32()?;
        let geonames_id = if flags & F_GEONAMES != 0 {
            Some(c.varint()?)
        } else {
            None
        };
        let population = if flags & F_POPULATION != 0 {
            Some(c.varint()?)
        } else {
            None
        };
        let id = c.str()?;
        let name = c.str()?;
        let mut opt = |flag: u8| -> std::result::Result<Option<&'a str>, DecodeError> {
            if flags & flag != 0 {
                c.str().map(Some)
            } else {
                Ok(None)
            }
        };
        let qid = opt(F_QID)?;
        let description = opt(F_DESCRIPTION)?;
        let source = opt(F_SOURCE)?;
        let role = opt(F_ROLE)?;
        let list = |c: &mut Cursor<'a>,
                    alias: bool|
         -> std::result::Result<(u32, &'a [u8]), DecodeError> {
            let n = u32::try_from(c.varint()?).map_err(|_| "count overflow")?;
            let rest = c.clone();
            let before = c.remaining();
            for _ in 0..n {
                if alias {
                    let f = c.u8()?;
                    if f & A_LANG != 0 {
                        c.str()?;
                    }
                }
                c.str()?;
            }
            let used = before - c.remaining();
            Ok((n, rest.peek(used)))
        };
        let countries = list(&mut c, false)?;
        let aliases = list(&mut c, true)?;
        if !c.at_end() {
            return Err("trailing bytes after record");
        }
        Ok(EntityRef {
            idx,
            kind,
            prior,
            id,
            name,
            qid,
            description,
            source,
            role,
            geonames_id,
            population,
            countries,
            aliases,
        })
    }

    /// Dense index of the entity in its gazetteer.
    pub fn idx(&self) -> u32 {
        self.idx
    }
    /// Stable id.
    pub fn id(&self) -> &'a str {
        self.id
    }
    /// Canonical name.
    pub fn name(&self) -> &'a str {
        self.name
    }
    /// Kind.
    pub fn kind(&self) -> Kind {
        self.kind
    }
    /// Prior weight in `[0, 1]`.
    pub fn prior(&self) -> f32 {
        self.prior
    }
    /// Wikidata QID.
    pub fn qid(&self) -> Option<&'a str> {
        self.qid
    }
    /// GeoNames id.
    pub fn geonames_id(&self) -> Option<u64> {
        self.geonames_id
    }
    /// Population.
    pub fn population(&self) -> Option<u64> {
        self.population
    }
    /// Short description.
    pub fn description(&self) -> Option<&'a str> {
        self.description
    }
    /// Source.
    pub fn source(&self) -> Option<&'a str> {
        self.source
    }
    /// Role of a NAME entity (`given`, `family`, `any`).
    pub fn role(&self) -> Option<&'a str> {
        self.role
    }

    /// Country codes.
    pub fn countries(&self) -> impl Iterator<Item = &'a str> + Clone + 'a {
        let mut c = Cursor::new(self.countries.1);
        (0..self.countries.0).map_while(move |_| c.str().ok())
    }

    /// Aliases as `(name, weak, lang)`.
    pub fn aliases(&self) -> impl Iterator<Item = (&'a str, bool, Option<&'a str>)> + Clone + 'a {
        let mut c = Cursor::new(self.aliases.1);
        (0..self.aliases.0).map_while(move |_| {
            let f = c.u8().ok()?;
            let lang = if f & format::A_LANG != 0 {
                Some(c.str().ok()?)
            } else {
                None
            };
            Some((c.str().ok()?, f & format::A_WEAK != 0, lang))
        })
    }

    /// Number of aliases.
    pub fn alias_count(&self) -> usize {
        self.aliases.0 as usize
    }

    /// The canonical name followed by every alias name.
    pub fn names(&self) -> impl Iterator<Item = &'a str> + 'a {
        std::iter::once(self.name).chain(self.aliases().map(|(n, _, _)| n))
    }

    /// An owned copy.
    pub fn to_entity(&self) -> Entity {
        Entity {
            id: self.id.to_string(),
            name: self.name.to_string(),
            kind: self.kind,
            aliases: self
                .aliases()
                .map(|(name, weak, lang)| Alias {
                    name: name.to_string(),
                    lang: lang.map(str::to_string),
                    weak,
                })
                .collect(),
            countries: self.countries().map(str::to_string).collect(),
            qid: self.qid.map(str::to_string),
            geonames_id: self.geonames_id,
            prior: self.prior,
            population: self.population,
            description: self.description.map(str::to_string),
            source: self.source.map(str::to_string),
            role: self.role.map(str::to_string),
        }
    }
}
