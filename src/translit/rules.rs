//! The reviewable rule tables of `data/rules/`, embedded and parsed once.

use std::sync::OnceLock;

const ARABIC_LATIN: &str = include_str!("../../data/rules/arabic_latin.tsv");
const LATIN_ARABIC: &str = include_str!("../../data/rules/latin_arabic.tsv");
const COMMON_WORDS: &str = include_str!("../../data/rules/common_words.tsv");

/// Common words of organisation and place names (`data/rules/common_words.tsv`): حزب → Hizb.
pub(crate) struct CommonWords {
    /// Folded Arabic word (no article) → press spelling.
    pub by_arabic: super::lexicon::FastMap<String, &'static str>,
    /// Latin lookup key of the press spelling → the Arabic word as written in the table.
    pub by_latin: super::lexicon::FastMap<String, &'static str>,
}

pub(crate) fn common_words() -> &'static CommonWords {
    static T: OnceLock<CommonWords> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = CommonWords {
            by_arabic: Default::default(),
            by_latin: Default::default(),
        };
        for line in COMMON_WORDS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut f = line.split('\t');
            let (Some(arabic), Some(press)) = (f.next(), f.next()) else {
                continue;
            };
            t.by_arabic
                .insert(super::lexicon::fold_arabic(arabic), press);
            t.by_latin
                .insert(super::lexicon::latin_lookup_key(press), arabic);
            if let Some(stem) = press.strip_suffix("at").filter(|_| arabic.ends_with('ة')) {
                // The construct -at is also written without its t (Haraka, Jabha).
                t.by_latin
                    .entry(super::lexicon::latin_lookup_key(&format!("{stem}a")))
                    .or_insert(arabic);
            }
        }
        t
    })
}

/// A map from the characters of one 256-code-point block to values: a direct index instead of a hash
/// lookup, since the renderers look up every letter of every word. Characters outside the block are
/// never present.
pub(crate) struct BlockMap<T> {
    base: u32,
    slots: Vec<Option<T>>,
}

impl<T> BlockMap<T> {
    fn new(base: u32) -> Self {
        BlockMap {
            base,
            slots: std::iter::repeat_with(|| None).take(256).collect(),
        }
    }

    fn slot(&self, c: char) -> Option<usize> {
        let i = (c as u32).checked_sub(self.base)? as usize;
        (i < self.slots.len()).then_some(i)
    }

    /// The value of `c`, if any.
    #[inline]
    pub fn get(&self, c: &char) -> Option<&T> {
        self.slot(*c).and_then(|i| self.slots[i].as_ref())
    }

    /// Sets the value of `c`; returns false (and stores nothing) when `c` is outside the block.
    fn insert(&mut self, c: char, v: T) -> bool {
        match self.slot(c) {
            Some(i) => {
                self.slots[i] = Some(v);
                true
            }
            None => false,
        }
    }

    /// How many characters have a value.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }
}

/// Per Arabic letter or mark: Buckwalter code and the four scheme renderings
/// (ala-lc, din, simple, french).
pub(crate) struct ArabicLatin {
    pub to_bw: BlockMap<char>,
    /// ASCII code → Arabic letter.
    pub from_bw: BlockMap<char>,
    /// letter → [ala-lc, din, simple, french]
    pub render: BlockMap<[&'static str; 4]>,
    /// vowel letter → long-vowel rendering [ala-lc, din, simple, french]
    pub long: BlockMap<[&'static str; 4]>,
}

/// The Arabic block, where every letter and mark of `data/rules/arabic_latin.tsv` lives.
const ARABIC_BLOCK: u32 = 0x0600;

pub(crate) fn arabic_latin() -> &'static ArabicLatin {
    static T: OnceLock<ArabicLatin> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = ArabicLatin {
            to_bw: BlockMap::new(ARABIC_BLOCK),
            from_bw: BlockMap::new(0),
            render: BlockMap::new(ARABIC_BLOCK),
            long: BlockMap::new(ARABIC_BLOCK),
        };
        for line in ARABIC_LATIN
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let f: Vec<&'static str> = line.split('\t').collect();
            if f.len() < 6 {
                continue;
            }
            let mut ch = f[0].chars();
            let Some(letter) = ch.next() else { continue };
            let r = [f[2], f[3], f[4], f[5]];
            // Rows outside the Arabic block (or a non-ASCII Buckwalter code) are table errors that
            // tables_parse catches (the counts would not match).
            if ch.as_str() == "/long" {
                t.long.insert(letter, r);
                continue;
            }
            if let Some(code) = f[1].chars().next() {
                if code.is_ascii() && t.to_bw.insert(letter, code) {
                    t.from_bw.insert(code, letter);
                }
            }
            t.render.insert(letter, r);
        }
        t
    })
}

/// One Latin → Arabic rule.
#[derive(Debug, Clone)]
pub(crate) struct LatinRule {
    pub latin: &'static str,
    pub arabic: &'static str,
    pub weight: f32,
    pub position: Position,
    #[allow(dead_code)]
    pub convention: &'static str,
}

/// Where in a word a rule applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    Any,
    Initial,
    Medial,
    Final,
}

/// The Latin → Arabic rules whose grapheme starts with `b`, longest grapheme first (in file order
/// among graphemes of one length).
pub(crate) fn latin_arabic_starting_with(b: u8) -> &'static [LatinRule] {
    let t = latin_arabic();
    &t.rules[t.by_first[b as usize].clone()]
}

/// Latin → Arabic rules grouped by the first byte of their grapheme.
pub(crate) struct LatinArabic {
    /// Every rule, by first byte, then longest grapheme first, then in file order.
    pub rules: Vec<LatinRule>,
    /// The range of `rules` starting with each byte.
    by_first: Vec<std::ops::Range<usize>>,
}

pub(crate) fn latin_arabic() -> &'static LatinArabic {
    static T: OnceLock<LatinArabic> = OnceLock::new();
    T.get_or_init(|| {
        let mut rules: Vec<LatinRule> = LATIN_ARABIC
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|line| {
                let f: Vec<&'static str> = line.split('\t').collect();
                // A rule for the empty grapheme would never advance: not a rule.
                if f.len() < 5 || f[0].is_empty() {
                    return None;
                }
                Some(LatinRule {
                    latin: f[0],
                    arabic: f[1],
                    weight: f[2].parse().ok()?,
                    position: match f[3] {
                        "initial" => Position::Initial,
                        "medial" => Position::Medial,
                        "final" => Position::Final,
                        _ => Position::Any,
                    },
                    convention: f[4],
                })
            })
            .collect();
        rules.sort_by_key(|r| (r.latin.as_bytes()[0], std::cmp::Reverse(r.latin.len())));
        let mut by_first = vec![0..0; 256];
        let mut start = 0;
        while start < rules.len() {
            let b = rules[start].latin.as_bytes()[0];
            let end = start
                + rules[start..]
                    .iter()
                    .take_while(|r| r.latin.as_bytes()[0] == b)
                    .count();
            by_first[b as usize] = start..end;
            start = end;
        }
        LatinArabic { rules, by_first }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_parse() {
        let t = arabic_latin();
        assert!(t.render.len() >= 50);
        // Every row landed in the direct-indexed tables (all letters are in the Arabic block).
        let rows: Vec<&str> = ARABIC_LATIN
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect();
        let long = rows.iter().filter(|l| l.contains("/long\t")).count();
        assert_eq!(t.render.len(), rows.len() - long);
        assert_eq!(t.long.len(), long);
        assert_eq!(
            t.to_bw.len(),
            t.from_bw.len(),
            "Buckwalter codes must be unique"
        );
        let rules = &latin_arabic().rules;
        assert!(rules.len() >= 60);
        // Each byte's group: the rules starting with it, longest first, then in file order.
        let file: Vec<&str> = LATIN_ARABIC
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|l| l.split('\t').next())
            .collect();
        assert_eq!(file.len(), rules.len());
        for b in 0..=255u8 {
            let group: Vec<&str> = latin_arabic_starting_with(b)
                .iter()
                .map(|r| r.latin)
                .collect();
            let mut expected: Vec<&str> = file
                .iter()
                .copied()
                .filter(|l| l.as_bytes()[0] == b)
                .collect();
            expected.sort_by_key(|l| std::cmp::Reverse(l.len()));
            assert_eq!(group, expected);
        }
        let w = common_words();
        assert_eq!(w.by_arabic.get("حزب").copied(), Some("Hizb"));
        assert_eq!(w.by_latin.get("harakat").copied(), Some("حركة"));
        assert_eq!(w.by_latin.get("haraka").copied(), Some("حركة"));
    }
}
