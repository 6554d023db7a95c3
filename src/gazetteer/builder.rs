//! [`GazetteerBuilder`]: streams entities in, merges records of the same id, deduplicates names, sorts,
//! and compiles the records and fst maps into one gazetteer file (layout in [`super::format`]).
//!
//! Memory: the builder keeps the merged entities (reported by [`BuildStats::approx_memory_bytes`]); at
//! build time it computes one index at a time (a sorted `(key, entity)` vector), so the peak is about the
//! entities plus one index's keys.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use super::entity::{name_key, Alias, Entity};
use super::format;
use super::{Gazetteer, Metadata};
use crate::error::{Error, Result};

/// Counters of a build, for progress reports and summaries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuildStats {
    /// Records offered to the builder (including skipped and merged ones).
    pub records: u64,
    /// Distinct entity ids held.
    pub entities: u64,
    /// Records merged into an entity with the same id.
    pub merged: u64,
    /// Empty or whitespace-only names skipped (a record whose canonical name is empty is skipped whole).
    pub skipped_empty_names: u64,
    /// Invalid records skipped (with `skip_invalid(true)`).
    pub skipped_invalid: u64,
    /// Name forms held (canonical names plus aliases, before deduplication).
    pub name_forms: u64,
    /// Approximate heap held by the builder's entities, in bytes.
    pub approx_memory_bytes: u64,
}

/// Builds a gazetteer from a stream of entities (a data builder, like fst's `MapBuilder`).
///
/// ```
/// use nisba::gazetteer::{Entity, GazetteerBuilder, Kind};
/// let mut b = GazetteerBuilder::new();
/// b.add_json_line(r#"{"id": "x", "name": "Basra", "kind": "LOC", "aliases": ["Basrah"]}"#, 1)?;
/// b.add(Entity::new("x", "البصرة", Kind::Loc))?; // same id: merged as an alias
/// b.add(Entity::new("y", "   ", Kind::Loc))?;     // empty name: skipped and counted
/// assert_eq!(b.stats().skipped_empty_names, 1);
/// let gz = b.build()?;
/// assert_eq!(gz.len(), 1);
/// assert_eq!(gz.lookup("basrah"), gz.lookup("البصره"));
/// # Ok::<(), nisba::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct GazetteerBuilder {
    entities: Vec<Entity>,
    origins: Vec<String>,
    by_id: HashMap<String, usize>,
    skip_invalid: bool,
    build_time: Option<u64>,
    sources: BTreeSet<String>,
    stats: BuildStats,
}

impl GazetteerBuilder {
    /// An empty builder.
    pub fn new() -> GazetteerBuilder {
        GazetteerBuilder::default()
    }

    /// Skip (and count) invalid records instead of failing on the first one. I/O errors still fail.
    pub fn skip_invalid(&mut self, yes: bool) -> &mut Self {
        self.skip_invalid = yes;
        self
    }

    /// Sets the build time written into the metadata (seconds since the Unix epoch). Without it the
    /// builder uses `SOURCE_DATE_EPOCH` when set, else the current time. Identical input and build time
    /// give byte-identical files.
    pub fn build_time(&mut self, unix_seconds: u64) -> &mut Self {
        self.build_time = Some(unix_seconds);
        self
    }

    /// Names a source (a file, a dataset) in the metadata, besides the entities' own `source` fields.
    pub fn add_source(&mut self, source: impl Into<String>) -> &mut Self {
        self.sources.insert(source.into());
        self
    }

    /// Counters so far.
    pub fn stats(&self) -> &BuildStats {
        &self.stats
    }

    /// Distinct entities held.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// True when no entity is held.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Adds an entity, merging it into an earlier one with the same id (its name and aliases become
    /// aliases, missing attributes are filled in). The same id with another kind is an
    /// [`ErrorKind::Conflict`](crate::ErrorKind::Conflict) naming both records.
    pub fn add(&mut self, entity: Entity) -> Result<()> {
        let origin = format!("record {}", self.stats.records + 1);
        self.add_with_origin(entity, &origin)
    }

    /// Like [`GazetteerBuilder::add`], naming the record's origin (`"people.jsonl:12"`) for conflicts.
    pub fn add_with_origin(&mut self, entity: Entity, origin: &str) -> Result<()> {
        self.stats.records += 1;
        let result = self.insert(entity, origin);
        self.skip_or(result)
    }

    fn skip_or(&mut self, result: Result<()>) -> Result<()> {
        match result {
            Err(e) if self.skip_invalid && e.is_input_error() => {
                self.stats.skipped_invalid += 1;
                Ok(())
            }
            other => other,
        }
    }

    /// Parses one line of the entity JSONL schema and adds it; blank lines are ignored. A malformed line
    /// is a parse error carrying `line_no`.
    pub fn add_json_line(&mut self, line: &str, line_no: u64) -> Result<()> {
        if line.trim().is_empty() {
            return Ok(());
        }
        match serde_json::from_str::<Entity>(line) {
            Ok(e) => self.add_with_origin(e, &format!("line {line_no}")),
            Err(e) => {
                self.stats.records += 1;
                self.skip_or(Err(Error::parse(None, Some(line_no), e.to_string())))
            }
        }
    }

    /// Adds every entity of a source reader (see [`super::sources`]); errors from the reader are skipped
    /// and counted with `skip_invalid`, except I/O errors. `label` names the source in conflict messages.
    pub fn add_all<I>(&mut self, label: &str, entities: I) -> Result<()>
    where
        I: IntoIterator<Item = Result<Entity>>,
    {
        for (n, item) in entities.into_iter().enumerate() {
            match item {
                Ok(e) => self.add_with_origin(e, &format!("{label} record {}", n + 1))?,
                Err(e) => {
                    self.stats.records += 1;
                    self.skip_or(Err(e))?
                }
            }
        }
        Ok(())
    }

    fn insert(&mut self, mut e: Entity, origin: &str) -> Result<()> {
        e.id = e.id.trim().to_string();
        if e.id.is_empty() {
            return Err(Error::invalid_input(format!("{origin}: empty id")));
        }
        if !e.prior.is_finite() || !(0.0..=1.0).contains(&e.prior) {
            return Err(Error::invalid_input(format!(
                "{origin}: prior {} of {:?} is not in [0, 1]",
                e.prior, e.id
            )));
        }
        let before = e.aliases.len();
        e.aliases.retain(|a| !a.name.trim().is_empty());
        self.stats.skipped_empty_names += (before - e.aliases.len()) as u64;
        if e.name.trim().is_empty() {
            self.stats.skipped_empty_names += 1;
            return Ok(());
        }
        for c in &mut e.countries {
            *c = c.trim().to_ascii_uppercase();
        }
        e.countries.retain(|c| !c.is_empty());
        self.stats.name_forms += 1 + e.aliases.len() as u64;
        self.stats.approx_memory_bytes +=
            approx_size(&e) + e.id.len() as u64 + 48 + origin.len() as u64;
        if let Some(&pos) = self.by_id.get(&e.id) {
            let old = &mut self.entities[pos];
            if old.kind != e.kind {
                return Err(Error::conflict(
                    e.id.clone(),
                    format!(
                        "kind {} in {} vs kind {} in {}",
                        old.kind, self.origins[pos], e.kind, origin
                    ),
                ));
            }
            merge(old, e);
            self.stats.merged += 1;
        } else {
            self.by_id.insert(e.id.clone(), self.entities.len());
            self.entities.push(e);
            self.origins.push(origin.to_string());
            self.stats.entities += 1;
        }
        Ok(())
    }

    /// Builds the gazetteer in memory.
    pub fn build(&self) -> Result<Gazetteer<Vec<u8>>> {
        Gazetteer::from_bytes(self.to_bytes()?)
    }

    /// Writes the gazetteer to `path` atomically: a temporary file in the same directory, fsync, rename.
    /// An interrupted build leaves an existing file at `path` intact.
    pub fn write(&self, path: impl AsRef<Path>) -> Result<()> {
        let bytes = self.to_bytes()?;
        write_atomic(path.as_ref(), &bytes)
    }

    /// The gazetteer file's bytes. Deterministic: identical input and build time give identical bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let n = u32::try_from(self.entities.len())
            .ok()
            .filter(|&n| n < u32::MAX)
            .ok_or_else(|| {
                Error::invalid_input("too many entities for one gazetteer (max 2^32 - 2)")
            })?;
        let mut order: Vec<usize> = (0..self.entities.len()).collect();
        order.sort_unstable_by(|&a, &b| self.entities[a].id.cmp(&self.entities[b].id));

        // records, offsets, ids (one finished entity at a time: no second copy of the entities)
        let mut records = Vec::new();
        let mut offsets = Vec::with_capacity((order.len() + 1) * 8);
        let mut ids = fst::MapBuilder::memory();
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        let mut sources = self.sources.clone();
        let mut name_forms = 0u64;
        for (idx, &i) in order.iter().enumerate() {
            let e = finish(&self.entities[i]);
            offsets.extend_from_slice(&(records.len() as u64).to_le_bytes());
            encode_record(&mut records, &e);
            ids.insert(&e.id, idx as u64).map_err(fst_error)?;
            *counts.entry(e.kind.as_str().to_string()).or_default() += 1;
            if let Some(s) = &e.source {
                sources.insert(s.clone());
            }
            name_forms += 1 + e.aliases.len() as u64;
        }
        offsets.extend_from_slice(&(records.len() as u64).to_le_bytes());
        let ids = ids.into_inner().map_err(fst_error)?;

        // name forms of the stored entities (duplicates only repeat keys, which are deduplicated below)
        let forms: Vec<(u32, &str)> = order
            .iter()
            .enumerate()
            .flat_map(|(idx, &i)| self.entities[i].names().map(move |n| (idx as u32, n)))
            .collect();
        let mut postings: Vec<u8> = Vec::new();
        let mut distinct_keys = BTreeMap::new();
        let mut maps = Vec::new();
        type KeyFn = fn(&str, &mut Vec<String>);
        let key_fns: [(&str, KeyFn); 4] = [
            ("names", |f, out| out.push(name_key(f))),
            ("strict", |f, out| out.push(crate::key::strict_key(f))),
            ("loose", |f, out| out.push(crate::key::loose_key(f))),
            ("parts", |f, out| out.extend(part_keys(f))),
        ];
        for (name, key_fn) in key_fns {
            let mut pairs: Vec<(String, u32)> = forms
                .par_iter()
                .flat_map_iter(|&(idx, form)| {
                    let mut keys = Vec::new();
                    key_fn(form, &mut keys);
                    keys.into_iter()
                        .filter(|k| !k.is_empty())
                        .map(move |k| (k, idx))
                })
                .collect();
            pairs.par_sort_unstable();
            pairs.dedup();
            let (map, distinct) = compile_index(&pairs, &mut postings)?;
            drop(pairs);
            distinct_keys.insert(name.to_string(), distinct);
            maps.push(map);
        }

        let build_time = self.build_time.unwrap_or_else(default_build_time);
        let metadata = Metadata {
            format_version: format::FORMAT_VERSION,
            key_version: crate::key::KEY_VERSION,
            normalizer_version: crate::NORMALIZER_VERSION,
            normalize_bits: crate::NormalizeOptions::default().bits(),
            nisba_version: crate::VERSION.to_string(),
            build_time,
            sources: sources.into_iter().collect(),
            entities: u64::from(n),
            counts,
            name_forms,
            distinct_keys,
            skipped_empty_names: self.stats.skipped_empty_names,
            skipped_invalid: self.stats.skipped_invalid,
            sections: Vec::new(),
        };
        let meta =
            serde_json::to_vec(&metadata).map_err(|e| Error::format(format!("metadata: {e}")))?;
        Ok(format::write_file(
            n,
            &[
                (format::SECTION_META, &meta),
                (format::SECTION_RECORDS, &records),
                (format::SECTION_RECORD_OFFSETS, &offsets),
                (format::SECTION_IDS, &ids),
                (format::SECTION_NAMES, &maps[0]),
                (format::SECTION_STRICT, &maps[1]),
                (format::SECTION_LOOSE, &maps[2]),
                (format::SECTION_PARTS, &maps[3]),
                (format::SECTION_POSTINGS, &postings),
            ],
        ))
    }
}

/// The loose keys of each part of a name (split on whitespace and hyphens after normalisation); parts
/// whose key is empty (articles) are left out.
pub fn part_keys(name: &str) -> Vec<String> {
    let norm = crate::normalize(name);
    let mut keys: Vec<String> = norm
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|p| !p.is_empty())
        .map(crate::key::loose_key)
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn fst_error(e: fst::Error) -> Error {
    Error::format(format!("building an fst map: {e}"))
}

/// Compiles sorted, deduplicated `(key, entity)` pairs into an fst map, appending multi-entity lists to
/// `postings`. Returns the map bytes and the number of distinct keys.
fn compile_index(pairs: &[(String, u32)], postings: &mut Vec<u8>) -> Result<(Vec<u8>, u64)> {
    let mut map = fst::MapBuilder::memory();
    let mut distinct = 0;
    let mut i = 0;
    while i < pairs.len() {
        let key = &pairs[i].0;
        let mut j = i + 1;
        while j < pairs.len() && pairs[j].0 == *key {
            j += 1;
        }
        let value = if j - i == 1 {
            (u64::from(pairs[i].1) << 1) | format::INLINE_POSTING
        } else {
            let at = (postings.len() as u64) << 1;
            format::put_varint(postings, (j - i) as u64);
            let mut prev = 0u32;
            for p in &pairs[i..j] {
                format::put_varint(postings, u64::from(p.1 - prev));
                prev = p.1;
            }
            at
        };
        map.insert(key, value).map_err(fst_error)?;
        distinct += 1;
        i = j;
    }
    Ok((map.into_inner().map_err(fst_error)?, distinct))
}

fn default_build_time() -> u64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        })
}

fn approx_size(e: &Entity) -> u64 {
    let opt = |s: &Option<String>| s.as_ref().map_or(0, |s| s.len());
    (std::mem::size_of::<Entity>()
        + e.id.len()
        + e.name.len()
        + e.aliases
            .iter()
            .map(|a| std::mem::size_of::<Alias>() + a.name.len() + opt(&a.lang))
            .sum::<usize>()
        + e.countries.iter().map(|c| 24 + c.len()).sum::<usize>()
        + opt(&e.qid)
        + opt(&e.description)
        + opt(&e.source)
        + opt(&e.role)) as u64
}

/// Merges `new` (same id and kind) into `old`.
fn merge(old: &mut Entity, new: Entity) {
    if new.name != old.name {
        old.aliases.push(Alias::new(new.name));
    }
    old.aliases.extend(new.aliases);
    old.countries.extend(new.countries);
    old.qid = old.qid.take().or(new.qid);
    old.geonames_id = old.geonames_id.or(new.geonames_id);
    old.population = old.population.max(new.population);
    old.prior = old.prior.max(new.prior);
    old.description = old.description.take().or(new.description);
    old.source = old.source.take().or(new.source);
    old.role = old.role.take().or(new.role);
}

/// The stored form of an entity: names trimmed, aliases deduplicated (a strong alias wins over a weak
/// one with the same name and tag; an alias equal to the canonical name is dropped), countries sorted.
fn finish(e: &Entity) -> Entity {
    let mut out = e.clone();
    out.name = e.name.trim().to_string();
    let mut seen: HashMap<(String, Option<String>), usize> = HashMap::new();
    let mut aliases: Vec<Alias> = Vec::with_capacity(e.aliases.len());
    for a in &e.aliases {
        let name = a.name.trim().to_string();
        if name == out.name {
            continue;
        }
        let key = (name.clone(), a.lang.clone());
        match seen.get(&key) {
            Some(&pos) => aliases[pos].weak &= a.weak,
            None => {
                seen.insert(key, aliases.len());
                aliases.push(Alias {
                    name,
                    lang: a.lang.clone(),
                    weak: a.weak,
                });
            }
        }
    }
    out.aliases = aliases;
    out.countries.sort_unstable();
    out.countries.dedup();
    out
}

fn encode_record(out: &mut Vec<u8>, e: &Entity) {
    use format::*;
    let mut flags = 0u8;
    for (on, flag) in [
        (e.geonames_id.is_some(), F_GEONAMES),
        (e.population.is_some(), F_POPULATION),
        (e.qid.is_some(), F_QID),
        (e.description.is_some(), F_DESCRIPTION),
        (e.source.is_some(), F_SOURCE),
        (e.role.is_some(), F_ROLE),
    ] {
        if on {
            flags |= flag;
        }
    }
    out.push(e.kind.code());
    out.push(flags);
    out.extend_from_slice(&e.prior.to_le_bytes());
    if let Some(g) = e.geonames_id {
        put_varint(out, g);
    }
    if let Some(p) = e.population {
        put_varint(out, p);
    }
    put_str(out, &e.id);
    put_str(out, &e.name);
    for s in [&e.qid, &e.description, &e.source, &e.role]
        .into_iter()
        .flatten()
    {
        put_str(out, s);
    }
    put_varint(out, e.countries.len() as u64);
    for c in &e.countries {
        put_str(out, c);
    }
    put_varint(out, e.aliases.len() as u64);
    for a in &e.aliases {
        let mut f = 0;
        if a.weak {
            f |= A_WEAK;
        }
        if a.lang.is_some() {
            f |= A_LANG;
        }
        out.push(f);
        if let Some(l) = &a.lang {
            put_str(out, l);
        }
        put_str(out, &a.name);
    }
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically: a temporary file `.<name>.tmp-<pid>-<n>` in the same directory,
/// fsync, rename over `path`, fsync of the directory. On failure the temporary file is removed and an
/// existing file at `path` is left untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |e: std::io::Error| Error::io(Some(path.to_path_buf()), e);
    let file_name = path
        .file_name()
        .ok_or_else(|| Error::invalid_input(format!("{}: not a file path", path.display())))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let tmp = dir.join(format!(
        ".{}.tmp-{}-{}",
        file_name.to_string_lossy(),
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        for chunk in bytes.chunks(1 << 20) {
            f.write_all(chunk)?;
        }
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        // Persist the rename itself; not every platform can open a directory, so this is best effort.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Kind;

    #[test]
    fn merge_dedups_and_keeps_strong_aliases() {
        let mut b = GazetteerBuilder::new();
        let mut a = Entity::new("x", "Najaf", Kind::Loc);
        a.aliases = vec![Alias::weak("NJF"), Alias::new("Najaf"), Alias::new(" ")];
        b.add(a).unwrap();
        let mut c = Entity::new("x", "An-Najaf", Kind::Loc);
        c.aliases = vec![Alias::new("NJF")];
        c.countries = vec!["iq".into()];
        b.add(c).unwrap();
        assert_eq!(b.stats().merged, 1);
        assert_eq!(b.stats().skipped_empty_names, 1);
        let gz = b.build().unwrap();
        let e = gz.get("x").unwrap().to_entity();
        assert_eq!(e.aliases, vec![Alias::new("NJF"), Alias::new("An-Najaf")]);
        assert_eq!(e.countries, vec!["IQ".to_string()]);
    }

    #[test]
    fn conflicting_kinds_name_both_records() {
        let mut b = GazetteerBuilder::new();
        b.add_json_line(r#"{"id":"q","name":"Sadr City","kind":"LOC"}"#, 3)
            .unwrap();
        let err = b
            .add_json_line(r#"{"id":"q","name":"Sadr","kind":"PER"}"#, 9)
            .unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err.kind(), crate::ErrorKind::Conflict { id, .. } if id == "q"));
        assert!(
            msg.contains("line 3")
                && msg.contains("line 9")
                && msg.contains("LOC")
                && msg.contains("PER"),
            "{msg}"
        );
        b.skip_invalid(true);
        b.add_json_line(r#"{"id":"q","name":"Sadr","kind":"PER"}"#, 10)
            .unwrap();
        b.add_json_line("{not json", 11).unwrap();
        assert_eq!(b.stats().skipped_invalid, 2);
    }

    #[test]
    fn source_date_epoch_sets_the_build_time() {
        // Only this test sets the variable; other builders in this process would merely pick it up.
        std::env::set_var("SOURCE_DATE_EPOCH", "1234567");
        let mut b = GazetteerBuilder::new();
        b.add(Entity::new("a", "Kut", Kind::Loc)).unwrap();
        let first = b.to_bytes().unwrap();
        assert_eq!(b.build().unwrap().metadata().build_time, 1_234_567);
        assert_eq!(b.to_bytes().unwrap(), first);
        b.build_time(7);
        assert_eq!(b.build().unwrap().metadata().build_time, 7);
        std::env::remove_var("SOURCE_DATE_EPOCH");
    }

    #[test]
    fn bad_priors_and_ids_are_rejected() {
        let mut b = GazetteerBuilder::new();
        let mut e = Entity::new("p", "Kut", Kind::Loc);
        e.prior = 1.5;
        assert!(b.add(e).is_err());
        assert!(b.add(Entity::new("  ", "Kut", Kind::Loc)).is_err());
    }

    #[test]
    fn part_keys_split_on_spaces_and_hyphens() {
        let keys = part_keys("Abu Mahdi al-Muhandis");
        for part in ["Abu", "Mahdi", "Muhandis"] {
            let k = crate::key::loose_key(part);
            if !k.is_empty() {
                assert!(keys.contains(&k), "{part}: {keys:?}");
            }
        }
        assert!(!keys.iter().any(String::is_empty));
    }
}
