//! The gazetteer file format, documented beside the constants that name it.
//!
//! A gazetteer is one little-endian byte string, the same on disk, in memory and in a memory map:
//!
//! ```text
//! offset  size  field
//! 0       8     MAGIC  = b"NISBAGZ\0"
//! 8       4     FORMAT_VERSION (u32)          newer → Error::version("format")
//! 12      4     crate::key::KEY_VERSION       other → Error::version("key")
//! 16      4     crate::NORMALIZER_VERSION     other → Error::version("normalizer")
//! 20      4     NormalizeOptions::default().bits()   other → Error::version("normalizer options")
//! 24      4     section count S (u32, ≤ MAX_SECTIONS)
//! 28      4     entity count N (u32)
//! 32      8     total file length (u64)
//! 40      4     CRC-32 of bytes 0..40, 44..64 and of the section table
//! 44      20    reserved, zero
//! 64      32×S  section table: kind u32, reserved u32, offset u64, len u64, crc32 u32, reserved u32
//! ...           the sections, contiguous, in table order, ending exactly at the file length
//! ```
//!
//! Sections (one each, every byte covered by a CRC-32):
//!
//! | kind | name            | content |
//! |------|-----------------|---------|
//! | 1    | `meta`          | [`Metadata`](super::Metadata) as JSON |
//! | 2    | `records`       | the entity records, concatenated in id order (see below) |
//! | 3    | `record_offsets`| N + 1 u64 offsets into `records`; record i is `offsets[i]..offsets[i+1]` |
//! | 4    | `ids`           | fst map: entity id → entity index |
//! | 5    | `names`         | fst map: [`name_key`](super::name_key) of every name form → postings value |
//! | 6    | `strict`        | fst map: `key::strict_key` of every name form → postings value |
//! | 7    | `loose`         | fst map: `key::loose_key` of every name form → postings value |
//! | 8    | `parts`         | fst map: `key::loose_key` of every single name part → postings value |
//! | 9    | `postings`      | lists of ≥ 2 ascending entity indices: LEB128 count, then LEB128 deltas (the first from 0) |
//!
//! A postings value with its low bit set ([`INLINE_POSTING`]) holds a single entity index, `value >> 1`;
//! otherwise `value >> 1` is the byte offset of a list in `postings`. (Small values keep the fst outputs
//! short.)
//!
//! A record (all integers little-endian; `str` = LEB128 length then UTF-8 bytes; `vu` = LEB128 u64):
//!
//! ```text
//! kind u8 | flags u8 | prior f32 | [geonames_id vu if F_GEONAMES] | [population vu if F_POPULATION]
//! | id str | name str | [qid str if F_QID] | [description str if F_DESCRIPTION] | [source str if F_SOURCE]
//! | [role str if F_ROLE] | n_countries vu | country str × n | n_aliases vu
//! | (alias flags u8: A_WEAK, A_LANG | [lang str if A_LANG] | name str) × n
//! ```
//!
//! Every offset and length is checked against its section before use, so a corrupt file yields an error
//! (or an empty result) and never a panic. Opening checks the header, the section table and the small
//! `meta` section; the big sections are checked by [`Gazetteer::verify`](super::Gazetteer::verify) and the
//! index sections once, on first use.

use crate::error::{Error, Result};

/// The first eight bytes of every gazetteer.
pub const MAGIC: &[u8; 8] = b"NISBAGZ\0";
/// The version of this layout; readers refuse files with another version.
pub const FORMAT_VERSION: u32 = 1;
/// Length of the fixed header.
pub const HEADER_LEN: usize = 64;
/// Length of one section-table entry.
pub const SECTION_ENTRY_LEN: usize = 32;
/// Upper bound on the number of sections (guards the table read on corrupt input).
pub const MAX_SECTIONS: u32 = 64;
/// Low bit of a postings value: the value inlines one entity index, `value >> 1`.
pub const INLINE_POSTING: u64 = 1;

/// Section kind: metadata JSON.
pub const SECTION_META: u32 = 1;
/// Section kind: entity records.
pub const SECTION_RECORDS: u32 = 2;
/// Section kind: record offsets (N + 1 u64).
pub const SECTION_RECORD_OFFSETS: u32 = 3;
/// Section kind: fst map id → entity index.
pub const SECTION_IDS: u32 = 4;
/// Section kind: fst map name key → postings.
pub const SECTION_NAMES: u32 = 5;
/// Section kind: fst map strict key → postings.
pub const SECTION_STRICT: u32 = 6;
/// Section kind: fst map loose key → postings.
pub const SECTION_LOOSE: u32 = 7;
/// Section kind: fst map loose part key → postings.
pub const SECTION_PARTS: u32 = 8;
/// Section kind: postings lists (LEB128 count and deltas).
pub const SECTION_POSTINGS: u32 = 9;

/// Every section a reader needs, in file order.
pub const SECTION_KINDS: [u32; 9] = [
    SECTION_META,
    SECTION_RECORDS,
    SECTION_RECORD_OFFSETS,
    SECTION_IDS,
    SECTION_NAMES,
    SECTION_STRICT,
    SECTION_LOOSE,
    SECTION_PARTS,
    SECTION_POSTINGS,
];

/// The name of a section kind, as shown by `nisba inspect` and in errors.
pub fn section_name(kind: u32) -> &'static str {
    match kind {
        SECTION_META => "meta",
        SECTION_RECORDS => "records",
        SECTION_RECORD_OFFSETS => "record_offsets",
        SECTION_IDS => "ids",
        SECTION_NAMES => "names",
        SECTION_STRICT => "strict",
        SECTION_LOOSE => "loose",
        SECTION_PARTS => "parts",
        SECTION_POSTINGS => "postings",
        _ => "unknown",
    }
}

/// Record flag: a GeoNames id follows.
pub const F_GEONAMES: u8 = 1;
/// Record flag: a population follows.
pub const F_POPULATION: u8 = 1 << 1;
/// Record flag: a QID string follows.
pub const F_QID: u8 = 1 << 2;
/// Record flag: a description string follows.
pub const F_DESCRIPTION: u8 = 1 << 3;
/// Record flag: a source string follows.
pub const F_SOURCE: u8 = 1 << 4;
/// Record flag: a role string follows.
pub const F_ROLE: u8 = 1 << 5;
/// Alias flag: the alias is weak.
pub const A_WEAK: u8 = 1;
/// Alias flag: a language tag precedes the alias name.
pub const A_LANG: u8 = 1 << 1;

/// One entry of the section table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionEntry {
    /// Section kind (`SECTION_*`).
    pub kind: u32,
    /// Byte offset from the start of the file.
    pub offset: u64,
    /// Byte length.
    pub len: u64,
    /// CRC-32 (crc32fast) of the section's bytes.
    pub crc32: u32,
}

/// The decoded fixed header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Format version.
    pub format_version: u32,
    /// Key version.
    pub key_version: u32,
    /// Normaliser version.
    pub normalizer_version: u32,
    /// Normaliser option bits.
    pub normalize_bits: u32,
    /// Number of entities.
    pub entities: u32,
    /// Total length of the file.
    pub file_len: u64,
    /// The section table.
    pub sections: Vec<SectionEntry>,
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(s.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(s.try_into().ok()?))
}

/// Reads and checks the header and section table: magic, versions, header CRC, and that the sections tile
/// the file exactly. O(number of sections).
pub fn read_header(bytes: &[u8]) -> Result<Header> {
    if bytes.len() < HEADER_LEN {
        if bytes.len() >= 8 && &bytes[..8] != MAGIC {
            return Err(Error::format("wrong magic bytes: not a nisba gazetteer"));
        }
        return Err(Error::format(format!(
            "truncated: {} bytes, shorter than the {HEADER_LEN}-byte header",
            bytes.len()
        )));
    }
    if &bytes[..8] != MAGIC {
        return Err(Error::format("wrong magic bytes: not a nisba gazetteer"));
    }
    let field = |at: usize| u32_at(bytes, at).unwrap_or(0);
    let format_version = field(8);
    if format_version != FORMAT_VERSION {
        return Err(Error::version("format", FORMAT_VERSION, format_version));
    }
    let key_version = field(12);
    if key_version != crate::key::KEY_VERSION {
        return Err(Error::version("key", crate::key::KEY_VERSION, key_version));
    }
    let normalizer_version = field(16);
    if normalizer_version != crate::NORMALIZER_VERSION {
        return Err(Error::version(
            "normalizer",
            crate::NORMALIZER_VERSION,
            normalizer_version,
        ));
    }
    let normalize_bits = field(20);
    let expected_bits = crate::NormalizeOptions::default().bits();
    if normalize_bits != expected_bits {
        return Err(Error::version(
            "normalizer options",
            expected_bits,
            normalize_bits,
        ));
    }
    let count = field(24);
    if count > MAX_SECTIONS {
        return Err(Error::format(format!(
            "header: {count} sections (at most {MAX_SECTIONS})"
        )));
    }
    let entities = field(28);
    let file_len = u64_at(bytes, 32).unwrap_or(0);
    let table_end = HEADER_LEN + count as usize * SECTION_ENTRY_LEN;
    if bytes.len() < table_end {
        return Err(Error::format(format!(
            "truncated: {} bytes, the section table ends at {table_end}",
            bytes.len()
        )));
    }
    let stored_crc = field(40);
    if header_crc(bytes, table_end) != stored_crc {
        return Err(Error::format(
            "header checksum mismatch (header or section table corrupt)",
        ));
    }
    if file_len != bytes.len() as u64 {
        return Err(Error::format(format!(
            "truncated or padded: the header says {file_len} bytes, found {}",
            bytes.len()
        )));
    }
    let mut sections = Vec::with_capacity(count as usize);
    let mut expected_offset = table_end as u64;
    for i in 0..count as usize {
        let at = HEADER_LEN + i * SECTION_ENTRY_LEN;
        let entry = SectionEntry {
            kind: field(at),
            offset: u64_at(bytes, at + 8).unwrap_or(0),
            len: u64_at(bytes, at + 16).unwrap_or(0),
            crc32: field(at + 24),
        };
        if entry.offset != expected_offset
            || entry
                .offset
                .checked_add(entry.len)
                .is_none_or(|e| e > file_len)
        {
            return Err(Error::format(format!(
                "section {} ({}) has bad bounds {}+{}",
                i,
                section_name(entry.kind),
                entry.offset,
                entry.len
            )));
        }
        expected_offset = entry.offset + entry.len;
        sections.push(entry);
    }
    if expected_offset != file_len {
        return Err(Error::format("sections do not cover the file"));
    }
    Ok(Header {
        format_version,
        key_version,
        normalizer_version,
        normalize_bits,
        entities,
        file_len,
        sections,
    })
}

fn header_crc(bytes: &[u8], table_end: usize) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(&bytes[..40]);
    h.update(&bytes[44..HEADER_LEN]);
    h.update(&bytes[HEADER_LEN..table_end]);
    h.finalize()
}

/// Assembles a file from its sections (kind, bytes), in the given order.
pub fn write_file(entities: u32, sections: &[(u32, &[u8])]) -> Vec<u8> {
    let table_end = HEADER_LEN + sections.len() * SECTION_ENTRY_LEN;
    let total = table_end + sections.iter().map(|(_, b)| b.len()).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&crate::key::KEY_VERSION.to_le_bytes());
    out.extend_from_slice(&crate::NORMALIZER_VERSION.to_le_bytes());
    out.extend_from_slice(&crate::NormalizeOptions::default().bits().to_le_bytes());
    out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    out.extend_from_slice(&entities.to_le_bytes());
    out.extend_from_slice(&(total as u64).to_le_bytes());
    out.resize(HEADER_LEN, 0);
    let mut offset = table_end as u64;
    for (kind, data) in sections {
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&(data.len() as u64).to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        offset += data.len() as u64;
    }
    let crc = header_crc(&out, table_end);
    out[40..44].copy_from_slice(&crc.to_le_bytes());
    for (_, data) in sections {
        out.extend_from_slice(data);
    }
    out
}

/// Rewrites the header CRC after a deliberate header edit (used by tests that forge other versions).
#[doc(hidden)]
pub fn fix_header_crc(bytes: &mut [u8]) {
    if bytes.len() < HEADER_LEN {
        return;
    }
    let count = u32_at(bytes, 24).unwrap_or(0).min(MAX_SECTIONS) as usize;
    let table_end = (HEADER_LEN + count * SECTION_ENTRY_LEN).min(bytes.len());
    let crc = header_crc(bytes, table_end);
    bytes[40..44].copy_from_slice(&crc.to_le_bytes());
}

// ---- record codec ------------------------------------------------------------------------------

/// Appends a LEB128 unsigned integer.
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a length-prefixed string.
pub(crate) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A bounds-checked reader over a record.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
}

/// Why a record failed to decode.
pub(crate) type DecodeError = &'static str;

impl<'a> Cursor<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Cursor<'a> {
        Cursor { buf, pos: 0 }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// The next `n` bytes without consuming them (empty if fewer remain).
    pub(crate) fn peek(&self, n: usize) -> &'a [u8] {
        self.buf
            .get(self.pos..self.pos.saturating_add(n))
            .unwrap_or(&[])
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    pub(crate) fn u8(&mut self) -> std::result::Result<u8, DecodeError> {
        let b = *self.buf.get(self.pos).ok_or("record truncated")?;
        self.pos += 1;
        Ok(b)
    }

    pub(crate) fn bytes(&mut self, n: usize) -> std::result::Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n).ok_or("length overflow")?;
        let s = self.buf.get(self.pos..end).ok_or("record truncated")?;
        self.pos = end;
        Ok(s)
    }

    pub(crate) fn f32(&mut self) -> std::result::Result<f32, DecodeError> {
        let b = self.bytes(4)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn varint(&mut self) -> std::result::Result<u64, DecodeError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("varint too long")
    }

    pub(crate) fn str(&mut self) -> std::result::Result<&'a str, DecodeError> {
        let n = usize::try_from(self.varint()?).map_err(|_| "length overflow")?;
        std::str::from_utf8(self.bytes(n)?).map_err(|_| "invalid UTF-8 in record")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, v);
            let mut c = Cursor::new(&out);
            assert_eq!(c.varint().unwrap(), v);
            assert!(c.at_end());
        }
        assert!(Cursor::new(&[0x80; 11]).varint().is_err());
        assert!(Cursor::new(&[5, b'a']).str().is_err());
        assert!(Cursor::new(&[2, 0xff, 0xfe]).str().is_err());
    }

    #[test]
    fn header_round_trip_and_rejections() {
        let file = write_file(0, &[(SECTION_META, b"{}"), (SECTION_RECORDS, b"")]);
        let h = read_header(&file).unwrap();
        assert_eq!(h.sections.len(), 2);
        assert_eq!(h.sections[0].len, 2);
        assert!(read_header(&file[..10]).is_err());
        assert!(read_header(&file[..file.len() - 1]).is_err());
        let mut bad = file.clone();
        bad[44] ^= 1; // reserved bytes are covered too
        assert!(read_header(&bad).is_err());
        let mut bad = file.clone();
        bad[HEADER_LEN + 8] ^= 1;
        assert!(read_header(&bad).is_err());
    }
}
