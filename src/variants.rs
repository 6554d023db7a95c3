//! Stage 2 — variant generation: the plausible Latin spellings of a name across conventions, each with
//! a score and the rules that produced it.
//!
//! [`variants`] takes a name in Arabic script, or one Latin spelling (which is first converted with
//! [`crate::to_arabic`]). Each Arabic word is vocalised (harakat, else the lexicon, else rules — see
//! [`crate::translit`]) and spelled letter by letter with the conventions of `data/rules/variants.tsv`
//! (`ظ → dh (Iraqi/Gulf press)`, `ظ → z (Persian/Turkish)`, `ou for u (French)`, `article dropped`,
//! `ة → ah`, `doubled consonant`…), each weighted by how common the convention is. Spellings attested
//! in the name lexicon score in [0.5, 1] and always rank above generated ones (< 0.5); a generated
//! spelling that is also attested keeps both kinds of rules. A [`Region`] boosts that region's
//! conventions and attested spellings and damps those marked only for other regions.
//!
//! Output is title-cased (`Kadhimi`, `al-Kadhimi`, `Al Kadhimi`); compare case-insensitively. A Latin
//! input comes back first, as given, with the rule `input spelling`; text in other scripts comes back
//! unchanged as the only variant.
//! Variants are deduplicated case-insensitively. Bounded work: at most [`MAX_VARIANT_WORDS`] words of
//! the name are used, at most [`WORD_BEAM`] spellings are kept per word, a word longer than
//! [`MAX_WORD_LETTERS`] letters gets a single rule spelling, and at most [`MAX_LIMIT`] variants are
//! returned, so a 1 MB input costs a few linear scans plus a constant.
//!
//! ```
//! use nisba::{variants, VariantOptions};
//! let v = variants("الكاظمي", &VariantOptions::default());
//! let kadhimi = v.iter().find(|x| x.text == "Kadhimi").unwrap();
//! assert!(kadhimi.rules.contains(&"ظ → dh (Iraqi/Gulf press)"));
//! assert!(v.iter().any(|x| x.text == "Kazemi"));
//! ```

use std::borrow::Cow;
use std::collections::{BinaryHeap, HashMap};
use std::fmt;
use std::rc::Rc;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::translit::{analyse_word, is_arabic_letter, is_vowel_letter, lexicon, Seg, SUN_LETTERS};

type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// At most this many words of a name are varied; further words are ignored.
pub const MAX_VARIANT_WORDS: usize = 8;
/// At most this many spellings are kept per word while combining words.
pub const WORD_BEAM: usize = 64;
/// Words longer than this many letters are not varied: they get one rule spelling.
pub const MAX_WORD_LETTERS: usize = 48;
/// [`VariantOptions::limit`] is capped at this.
pub const MAX_LIMIT: usize = 1000;

const VARIANT_RULES: &str = include_str!("../data/rules/variants.tsv");

/// A region whose spelling conventions are preferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    /// Iraq and the Gulf states: English-press spellings, ظ → dh, ق → g.
    IraqGulf,
    /// Syria, Lebanon, Jordan, Palestine: e/o vowels, ث → s, ذ → z.
    Levant,
    /// Egypt and Sudan: ج → g, e/o vowels.
    Egypt,
    /// Morocco, Algeria, Tunisia, Mauritania, Libya: French conventions (ou, ch, dj).
    MaghrebFrench,
    /// Iran, Afghanistan, Pakistan: z for ذ ض ظ, e/o vowels, v for و.
    Persian,
}

impl Region {
    /// Every region.
    pub const ALL: [Region; 5] = [
        Region::IraqGulf,
        Region::Levant,
        Region::Egypt,
        Region::MaghrebFrench,
        Region::Persian,
    ];
    const NAMES: [&'static str; 5] = ["iraq-gulf", "levant", "egypt", "maghreb-french", "persian"];

    /// `"iraq-gulf"`, `"levant"`, `"egypt"`, `"maghreb-french"` or `"persian"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Region::IraqGulf => "iraq-gulf",
            Region::Levant => "levant",
            Region::Egypt => "egypt",
            Region::MaghrebFrench => "maghreb-french",
            Region::Persian => "persian",
        }
    }

    /// ISO 3166-1 codes of the region's countries (matched against the lexicon's countries).
    pub fn countries(&self) -> &'static [&'static str] {
        match self {
            Region::IraqGulf => &["IQ", "KW", "SA", "AE", "QA", "BH", "OM", "YE"],
            Region::Levant => &["SY", "LB", "JO", "PS"],
            Region::Egypt => &["EG", "SD"],
            Region::MaghrebFrench => &["MA", "DZ", "TN", "MR", "LY"],
            Region::Persian => &["IR", "AF", "PK"],
        }
    }

    fn bit(&self) -> u8 {
        1 << (*self as u8)
    }
}

impl FromStr for Region {
    type Err = Error;

    fn from_str(s: &str) -> Result<Region> {
        let l = s.trim().to_ascii_lowercase().replace('_', "-");
        Region::ALL
            .iter()
            .find(|r| r.as_str() == l)
            .copied()
            .ok_or_else(|| Error::unknown_value("region", s, &Region::NAMES))
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Options of [`variants`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariantOptions {
    /// At most this many variants (capped at [`MAX_LIMIT`]); default 50.
    pub limit: usize,
    /// Prefer this region's conventions; default none.
    pub region: Option<Region>,
}

impl Default for VariantOptions {
    fn default() -> Self {
        VariantOptions {
            limit: 50,
            region: None,
        }
    }
}

/// One spelling of a name.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The spelling, title-cased.
    pub text: String,
    /// Score in (0, 1]: attested spellings ≥ 0.5, generated ones < 0.5.
    pub score: f32,
    /// The rules (conventions) that produced it, e.g. `ظ → dh (Iraqi/Gulf press)`, `article dropped`,
    /// `attested (lexicon)`.
    pub rules: Vec<&'static str>,
}

/// One way of spelling one unit (letter, vowel, article).
#[derive(Debug, Clone)]
struct Opt {
    latin: &'static str,
    weight: f32,
    regions: u8,
    rule: &'static str,
}

fn rule_table() -> &'static FastMap<&'static str, Vec<Opt>> {
    static T: OnceLock<FastMap<&'static str, Vec<Opt>>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t: FastMap<&'static str, Vec<Opt>> = FastMap::default();
        for line in VARIANT_RULES.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let f: Vec<&'static str> = line.split('\t').collect();
            if f.len() < 5 {
                continue;
            }
            let Ok(weight) = f[2].parse::<f32>() else {
                continue;
            };
            let regions = f[3]
                .split(',')
                .filter_map(|r| r.parse::<Region>().ok())
                .fold(0u8, |acc, r| acc | r.bit());
            t.entry(f[0]).or_default().push(Opt {
                latin: f[1],
                weight,
                regions,
                rule: f[4],
            });
        }
        t
    })
}

/// Weight of an option under a region preference.
fn weighted(o: &Opt, region: Option<Region>) -> f32 {
    match region {
        Some(r) if o.regions != 0 => {
            if o.regions & r.bit() != 0 {
                o.weight * 1.5
            } else {
                o.weight * 0.4
            }
        }
        _ => o.weight,
    }
}

/// One spelling option while expanding: (Latin, weight, rule, second rule). The second rule is the
/// shadda's when a doubled letter's options are combined with the gemination options, else empty.
type OptRow = (Cow<'static, str>, f32, &'static str, &'static str);

/// A partial spelling while expanding a word.
#[derive(Debug, Clone)]
struct Partial {
    text: String,
    weight: f32,
    rules: Vec<&'static str>,
}

/// Spellings of a name across conventions, best first. Empty input or `limit == 0` gives nothing.
pub fn variants(name: &str, opts: &VariantOptions) -> Vec<Variant> {
    let limit = opts.limit.min(MAX_LIMIT);
    if limit == 0 || name.trim().is_empty() {
        return Vec::new();
    }
    let mut input_variant: Option<Variant> = None;
    let arabic: String = if name.chars().any(is_arabic_letter) {
        name.to_string()
    } else {
        let head: String = name
            .split_whitespace()
            .take(MAX_VARIANT_WORDS)
            .collect::<Vec<_>>()
            .join(" ");
        let Some(top) = crate::to_arabic(&head, 1).into_iter().next() else {
            return Vec::new();
        };
        if !top.text.chars().any(is_arabic_letter) {
            // Another script: passed through as the only spelling.
            return vec![Variant {
                text: head,
                score: 1.0,
                rules: vec!["input spelling"],
            }];
        }
        input_variant = Some(Variant {
            text: head,
            score: 1.0,
            rules: vec!["input spelling"],
        });
        top.text
    };
    let words: Vec<&str> = arabic
        .split_whitespace()
        .filter(|w| w.chars().any(is_arabic_letter))
        .take(MAX_VARIANT_WORDS)
        .collect();
    let beam_width = limit + limit / 2 + 8;
    // Units the lexicon knows as one (عبد الرحمن, ابو بكر) are varied together.
    let mut units: Vec<String> = Vec::with_capacity(words.len());
    let mut k = 0;
    while k < words.len() {
        if k + 1 < words.len() {
            let pair = format!("{} {}", words[k], words[k + 1]);
            if lexicon::attested(&lexicon::fold_arabic(&pair)).is_some() {
                units.push(pair);
                k += 2;
                continue;
            }
        }
        units.push(words[k].to_string());
        k += 1;
    }
    // Combine the words' spellings best-first over index tuples; only the survivors are materialised.
    let per_word: Vec<Rc<Vec<Variant>>> = units
        .iter()
        .map(|w| cached_word_variants(w, opts.region))
        .filter(|v| !v.is_empty())
        .collect();
    let mut beam: Vec<(f32, Pick)> = vec![(1.0, Pick::default())];
    for options in &per_word {
        beam = k_best(&beam, options, beam_width);
    }
    let mut out: Vec<Variant> = Vec::with_capacity(limit + 1);
    let input_lower = input_variant.as_ref().map(|v| v.text.to_lowercase());
    out.extend(input_variant);
    // Per-word spellings are distinct and title-cased, so their combinations are distinct too: only
    // the input spelling (in the caller's casing) needs a case-insensitive check.
    for (score, pick) in beam {
        let idx = pick.indices();
        if out.len() >= limit {
            break;
        }
        let mut text = String::with_capacity(idx.len() * 16);
        let mut rules: Vec<&'static str> = Vec::with_capacity(8);
        for (w, &i) in idx.iter().enumerate() {
            let o = &per_word[w][i as usize];
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&o.text);
            for r in &o.rules {
                if !rules.contains(r) {
                    rules.push(r);
                }
            }
        }
        if text.is_empty() {
            continue;
        }
        if input_lower
            .as_deref()
            .is_some_and(|l| l.len() == text.len() && text.to_lowercase() == l)
        {
            for r in rules {
                if !out[0].rules.contains(&r) {
                    out[0].rules.push(r);
                }
            }
            continue;
        }
        out.push(Variant { text, score, rules });
    }
    out.truncate(limit);
    out
}

/// A cell of a best-first search over an index grid: its score, then its indices (smaller first on ties).
#[derive(PartialEq)]
struct Cell<A, B>(f32, A, B);
impl<A: Ord, B: Ord> Eq for Cell<A, B> {}
impl<A: Ord, B: Ord> PartialOrd for Cell<A, B> {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl<A: Ord, B: Ord> Ord for Cell<A, B> {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0
            .total_cmp(&o.0)
            .then_with(|| o.1.cmp(&self.1))
            .then_with(|| o.2.cmp(&self.2))
    }
}

/// The `k` best combinations of a sorted beam with sorted options (best-first over the index grid).
/// One spelling index per word of the name (at most [`MAX_VARIANT_WORDS`]): a beam entry, copied
/// without allocating.
#[derive(Clone, Copy, Default)]
struct Pick {
    len: u8,
    idx: [u16; MAX_VARIANT_WORDS],
}

impl Pick {
    fn indices(&self) -> &[u16] {
        &self.idx[..self.len as usize]
    }

    /// This pick with one more word's index (ignored past [`MAX_VARIANT_WORDS`] words, which the
    /// caller never combines).
    fn with(mut self, j: u16) -> Pick {
        if let Some(slot) = self.idx.get_mut(self.len as usize) {
            *slot = j;
            self.len += 1;
        }
        self
    }
}

fn k_best(beam: &[(f32, Pick)], options: &[Variant], k: usize) -> Vec<(f32, Pick)> {
    let mut out = Vec::with_capacity(k);
    if beam.is_empty() || options.is_empty() {
        return out;
    }
    if beam.len() == 1 {
        // A single beam entry (the first word of every name): the search below pops the options in
        // order, one at a time.
        let (score, pick) = beam[0];
        out.extend(
            options
                .iter()
                .take(k)
                .enumerate()
                .map(|(j, o)| (score * o.score, pick.with(j as u16))),
        );
        return out;
    }
    let mut heap = BinaryHeap::new();
    heap.push(Cell(beam[0].0 * options[0].score, 0, 0));
    while let Some(Cell(score, i, j)) = heap.pop() {
        out.push((score, beam[i].1.with(j as u16)));
        if out.len() >= k {
            break;
        }
        // Each grid cell is reached once: down the first column, then along its row.
        if j == 0 && i + 1 < beam.len() {
            heap.push(Cell(beam[i + 1].0 * options[0].score, i + 1, 0));
        }
        if j + 1 < options.len() {
            heap.push(Cell(beam[i].0 * options[j + 1].score, i, j + 1));
        }
    }
    out
}

const WORD_CACHE: usize = 1 << 12;

/// Per-thread cache of one word's spellings: one map per region preference (no preference first),
/// keyed by the word, so a lookup borrows the word instead of building a key.
type WordCache = [FastMap<String, Rc<Vec<Variant>>>; 1 + Region::ALL.len()];

thread_local! {
    static WORD_VARIANTS: std::cell::RefCell<WordCache> =
        std::cell::RefCell::new(Default::default());
}

/// [`word_variants`], remembered per thread (names repeat a lot); the cache is emptied when full.
fn cached_word_variants(word: &str, region: Option<Region>) -> Rc<Vec<Variant>> {
    let slot = region.map_or(0, |r| 1 + r as usize);
    if let Some(hit) = WORD_VARIANTS.with(|c| c.borrow()[slot].get(word).cloned()) {
        return hit;
    }
    let v = Rc::new(word_variants(word, region));
    if word.len() <= 64 {
        WORD_VARIANTS.with(|c| {
            let mut c = c.borrow_mut();
            if c.iter().map(|m| m.len()).sum::<usize>() >= WORD_CACHE {
                c.iter_mut().for_each(|m| m.clear());
            }
            c[slot].insert(word.to_string(), Rc::clone(&v));
        });
    }
    v
}

/// Spellings of one Arabic word: attested ones (score ≥ 0.5) and generated ones (< 0.5).
fn word_variants(word: &str, region: Option<Region>) -> Vec<Variant> {
    if word.chars().count() > MAX_WORD_LETTERS {
        // Not a name part: one rule spelling, no search (bounded work on hostile input).
        let text = crate::transliterate(word, crate::Scheme::Simple).text;
        return vec![Variant {
            text,
            score: 0.49,
            rules: Vec::new(),
        }];
    }
    let mut press: Option<String> = None;
    let generated: Vec<Partial> = if let Some((w1, w2)) = word.split_once(' ') {
        // A two-word unit: the generated spellings of each word, combined.
        let a1 = analyse_word(w1);
        let a2 = analyse_word(w2);
        let g1 = generate(&a1.segs, a1.article, !a1.from_lexicon, region);
        let g2 = generate(&a2.segs, a2.article, !a2.from_lexicon, region);
        let mut both = Vec::with_capacity(64);
        for p1 in g1.iter().take(8) {
            for p2 in g2.iter().take(8) {
                let mut rules = p1.rules.clone();
                rules.extend(p2.rules.iter().filter(|r| !p1.rules.contains(r)));
                both.push(Partial {
                    text: format!("{} {}", p1.text, p2.text),
                    weight: p1.weight * p2.weight,
                    rules,
                });
            }
        }
        both.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then_with(|| a.text.cmp(&b.text))
        });
        both
    } else {
        let analysis = analyse_word(word);
        press = analysis.press.map(|p| {
            if analysis.article {
                // Not the head of a construct: al-Haraka, not al-Harakat.
                let p = match p.strip_suffix("at") {
                    Some(stem)
                        if analysis
                            .segs
                            .last()
                            .is_some_and(|s| matches!(s.letter, 'ة' | 'ه')) =>
                    {
                        &p[..stem.len() + 1]
                    }
                    _ => p,
                };
                format!("al-{p}")
            } else {
                p.to_string()
            }
        });
        generate(
            &analysis.segs,
            analysis.article,
            !analysis.from_lexicon,
            region,
        )
    };
    let max_w = generated
        .iter()
        .map(|p| p.weight)
        .fold(f32::MIN_POSITIVE, f32::max);
    let mut out: Vec<Variant> = Vec::with_capacity(generated.len() + 16);
    let mut index: FastMap<u64, usize> =
        FastMap::with_capacity_and_hasher(generated.len() + 16, Default::default());
    if let Some(p) = press {
        // A common organisation/place word (حزب): its press spelling first.
        let text = title_case(&p);
        index.insert(lower_hash(&text), out.len());
        out.push(Variant {
            text,
            score: 1.0,
            rules: vec!["common word (press spelling)"],
        });
    }
    // Attested spellings.
    let norm = lexicon::fold_arabic(word);
    let core = norm.strip_prefix("ال").filter(|c| c.chars().count() >= 2);
    let mut attested: Vec<&lexicon::Attested> = Vec::new();
    // Bare عبد is only ever part of Abd al-X: its lexicon spellings (Abed, Abid) mislead.
    let keys = if norm == "عبد" {
        None
    } else {
        Some(norm.as_str())
    };
    for key in keys.into_iter().chain(core) {
        if let Some(list) = lexicon::attested(key) {
            attested.extend(list.iter());
        }
    }
    // Source misalignments (Haddad-Adel for عادل) do not share the word's consonants: drop them.
    let word_key = crate::key::loose_key(word);
    attested.retain(|a| crate::key::loose_key(a.latin) == word_key);
    let total: u32 = attested.iter().map(|a| a.count).sum::<u32>().max(1);
    for a in attested {
        let share = a.count as f32 / total as f32;
        let rf = match region {
            Some(r) => {
                let first = a.countries.split(',').next().unwrap_or("");
                if r.countries().contains(&first) {
                    1.0
                } else {
                    0.5
                }
            }
            None => 1.0,
        };
        let text = title_case(a.latin);
        let k = lower_hash(&text);
        if index.contains_key(&k) {
            continue;
        }
        index.insert(k, out.len());
        out.push(Variant {
            text,
            score: 0.5 + 0.5 * (share * rf).sqrt(),
            rules: vec!["attested (lexicon)"],
        });
    }
    for p in generated {
        let text = title_case_owned(p.text);
        let k = lower_hash(&text);
        let rules = p.rules;
        if let Some(&i) = index.get(&k) {
            for r in rules {
                if !out[i].rules.contains(&r) {
                    out[i].rules.push(r);
                }
            }
            continue;
        }
        index.insert(k, out.len());
        out.push(Variant {
            text,
            score: 0.49 * p.weight / max_w,
            rules,
        });
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.text.cmp(&b.text))
    });
    out.truncate(WORD_BEAM);
    out
}

/// Title case: the first cased letter of every space/hyphen-separated piece upper-cased, the rest
/// lower-cased, except the article pieces `al`/`el`/sun-letter forms before a hyphen. One allocation.
fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for p in s.split_inclusive([' ', '-']) {
        let is_article = p.len() <= 4 && p.ends_with('-') && {
            let a = p.trim_end_matches('-');
            ARTICLES.iter().any(|x| a.eq_ignore_ascii_case(x))
        };
        let mut done = is_article;
        for c in p.chars() {
            // ASCII (nearly every spelling) without the Unicode case tables.
            if c.is_ascii() {
                if !done && c.is_ascii_alphabetic() {
                    out.push(c.to_ascii_uppercase());
                    done = true;
                } else {
                    out.push(c.to_ascii_lowercase());
                }
            } else if !done && c.is_alphabetic() {
                out.extend(c.to_uppercase());
                done = true;
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
    out
}

/// The article pieces [`title_case`] leaves lower case before a hyphen.
const ARTICLES: [&str; 11] = [
    "al", "el", "as", "ash", "at", "ad", "adh", "ar", "az", "an", "ath",
];

/// [`title_case`] of an owned string: ASCII text (nearly every spelling) is cased in place.
fn title_case_owned(s: String) -> String {
    if !s.is_ascii() {
        return title_case(&s);
    }
    let mut b = s.into_bytes();
    let mut start = 0;
    while start < b.len() {
        let end = b[start..]
            .iter()
            .position(|&x| x == b' ' || x == b'-')
            .map_or(b.len(), |p| start + p + 1);
        let p = &b[start..end];
        let is_article = p.len() <= 4 && p.ends_with(b"-") && {
            let mut a = p;
            while let [rest @ .., b'-'] = a {
                a = rest;
            }
            ARTICLES
                .iter()
                .any(|x| a.eq_ignore_ascii_case(x.as_bytes()))
        };
        let mut done = is_article;
        for x in &mut b[start..end] {
            if !done && x.is_ascii_alphabetic() {
                x.make_ascii_uppercase();
                done = true;
            } else {
                x.make_ascii_lowercase();
            }
        }
        start = end;
    }
    // Still ASCII, so still UTF-8.
    String::from_utf8(b).unwrap_or_default()
}

/// FNV-1a of the lower-cased text: the case-insensitive identity of a spelling, without allocating.
fn lower_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    for c in s.chars() {
        if c.is_ascii() {
            eat((c as u8).to_ascii_lowercase());
            continue;
        }
        for l in c.to_lowercase() {
            let mut buf = [0u8; 4];
            for b in l.encode_utf8(&mut buf).bytes() {
                eat(b);
            }
        }
    }
    h
}

/// The beam of partial spellings of one word, kept as a lattice: each node points at its parent and the
/// option it took, with a running hash of its text, so nothing is copied until the survivors are
/// spelled out at the end.
struct Lattice {
    /// Per step: the options offered and the surviving nodes.
    steps: Vec<(Vec<OptRow>, Vec<Node>)>,
}

/// A set of at most [`WORD_BEAM`] text hashes (open addressing, linear probing): the lattice's
/// "distinct text" test without a scan of the nodes kept so far.
struct HashSet64 {
    slots: [u64; 2 * WORD_BEAM],
    /// 0 marks an empty slot, so the hash 0 is remembered apart.
    zero: bool,
}

impl Default for HashSet64 {
    fn default() -> Self {
        HashSet64 {
            slots: [0; 2 * WORD_BEAM],
            zero: false,
        }
    }
}

impl HashSet64 {
    /// Adds `h`; false if it was there already. Never holds more than [`WORD_BEAM`] hashes (the
    /// lattice stops at that many), so a free slot always exists.
    fn insert(&mut self, h: u64) -> bool {
        if h == 0 {
            return !std::mem::replace(&mut self.zero, true);
        }
        let mask = self.slots.len() - 1;
        let mut i = ((h >> 32) ^ h) as usize & mask;
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = h;
                    return true;
                }
                x if x == h => return false,
                _ => i = (i + 1) & mask,
            }
        }
    }
}

#[derive(Clone, Copy)]
struct Node {
    weight: f32,
    parent: u32,
    opt: u16,
    hash: u64,
}

impl Lattice {
    fn new() -> Self {
        Lattice { steps: Vec::new() }
    }

    fn expand(&mut self, mut opts: Vec<OptRow>) {
        if opts.is_empty() {
            return;
        }
        // Rules that only say "this is the plain spelling" carry no information: blanked once here
        // rather than tested for every surviving node in `finish`.
        for o in &mut opts {
            for r in [&mut o.2, &mut o.3] {
                if is_plain_rule(r) {
                    *r = "";
                }
            }
        }
        let root = [Node {
            weight: 1.0,
            parent: 0,
            opt: 0,
            hash: 0xcbf2_9ce4_8422_2325,
        }];
        let prev: &[Node] = self.steps.last().map_or(&root[..], |s| &s.1[..]);
        if opts.len() == 1 {
            // One option: the heap below would pop the parents in order, one at a time, and every
            // text stays distinct (the same bytes appended to distinct FNV states give distinct
            // states), so each parent simply takes the option.
            let (latin, w) = (&opts[0].0, opts[0].1);
            let kept: Vec<Node> = prev
                .iter()
                .enumerate()
                .map(|(pi, p)| Node {
                    weight: p.weight * w,
                    parent: pi as u32,
                    opt: 0,
                    hash: fnv_extend(p.hash, latin.as_bytes()),
                })
                .collect();
            self.steps.push((opts, kept));
            return;
        }
        // Best-first over the (parent, option) grid instead of expanding and sorting all of it: the
        // parents are sorted best first, the options are visited in weight order, so the heap pops
        // nodes in descending weight (ties: parent, then option) and stops at WORD_BEAM distinct texts.
        let mut order: Vec<u16> = (0..opts.len() as u16).collect();
        order.sort_by(|&x, &y| {
            opts[y as usize]
                .1
                .total_cmp(&opts[x as usize].1)
                .then(x.cmp(&y))
        });
        let weight_of =
            |pi: u32, j: u16| prev[pi as usize].weight * opts[order[j as usize] as usize].1;
        let mut heap: BinaryHeap<Cell<u32, u16>> = BinaryHeap::with_capacity(2 * WORD_BEAM);
        heap.push(Cell(weight_of(0, 0), 0, 0));
        let mut kept: Vec<Node> = Vec::with_capacity(WORD_BEAM);
        let mut seen = HashSet64::default();
        while let Some(Cell(weight, pi, j)) = heap.pop() {
            let oi = order[j as usize];
            let p = prev[pi as usize];
            let h = fnv_extend(p.hash, opts[oi as usize].0.as_bytes());
            // Keep the best node of each distinct text.
            if seen.insert(h) {
                kept.push(Node {
                    weight,
                    parent: pi,
                    opt: oi,
                    hash: h,
                });
                if kept.len() >= WORD_BEAM {
                    break;
                }
            }
            // Each grid cell is reached once: down the first column, then along its row.
            if j == 0 && (pi as usize) + 1 < prev.len() {
                heap.push(Cell(weight_of(pi + 1, 0), pi + 1, 0));
            }
            if (j as usize) + 1 < opts.len() {
                heap.push(Cell(weight_of(pi, j + 1), pi, j + 1));
            }
        }
        self.steps.push((opts, kept));
    }

    /// Spells out the surviving nodes, best first.
    fn finish(self) -> Vec<Partial> {
        let Some((_, last)) = self.steps.last() else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(last.len());
        let mut pieces: Vec<&str> = Vec::with_capacity(self.steps.len());
        // Rules collected back to front in one scratch buffer, then copied once at their exact size.
        let mut rules: Vec<&'static str> = Vec::with_capacity(16);
        for (i, n) in last.iter().enumerate() {
            pieces.clear();
            rules.clear();
            let (mut step, mut idx) = (self.steps.len(), i);
            while step > 0 {
                step -= 1;
                let node = self.steps[step].1[idx];
                let (latin, _, r1, r2) = &self.steps[step].0[node.opt as usize];
                pieces.push(latin.as_ref());
                for r in [*r1, *r2] {
                    // Plain rules were blanked in `expand`.
                    if !r.is_empty() && !rules.contains(&r) {
                        rules.push(r);
                    }
                }
                idx = node.parent as usize;
            }
            let mut text = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
            for p in pieces.iter().rev() {
                text.push_str(p);
            }
            if text.trim().is_empty() {
                continue;
            }
            out.push(Partial {
                text,
                weight: n.weight,
                rules: rules.iter().rev().copied().collect(),
            });
        }
        out
    }
}

/// Rules that only say "this is the plain spelling" and carry no information.
fn is_plain_rule(r: &str) -> bool {
    matches!(
        r,
        "" | "a" | "i" | "u" | "ay" | "aw" | "ā → a" | "ī → i" | "ū → u" | "no short vowel guessed"
    )
}

/// FNV-1a continued over `bytes`. For fixed bytes it is a bijection on the state (xor, then a
/// multiplication by an odd number), so distinct states stay distinct.
fn fnv_extend(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Generated spellings of a vocalised word.
fn generate(
    segs: &[Seg],
    article: bool,
    rule_vowels: bool,
    region: Option<Region>,
) -> Vec<Partial> {
    let t = rule_table();
    let simple = |c: char| -> &'static str {
        crate::translit::rules::arabic_latin()
            .render
            .get(&c)
            .map_or("", |r| r[2])
    };
    let mut lat = Lattice::new();
    let rows = |key: &str| -> Vec<OptRow> {
        t.get(key)
            .map(|v| {
                v.iter()
                    .map(|o| (Cow::Borrowed(o.latin), weighted(o, region), o.rule, ""))
                    .collect()
            })
            .unwrap_or_default()
    };
    if article {
        let first = segs.first().map(|s| s.letter);
        let opts = rows("al")
            .into_iter()
            .filter_map(|(latin, w, rule, r2)| {
                if latin == "=" {
                    let c = first.filter(|c| SUN_LETTERS.contains(*c) && *c != 'ل')?;
                    Some((Cow::Owned(format!("a{}-", simple(c))), w, rule, r2))
                } else {
                    Some((latin, w, rule, r2))
                }
            })
            .collect();
        lat.expand(opts);
    }
    let n = segs.len();
    for k in 0..n {
        let s = segs[k];
        let c = s.letter;
        let next = segs.get(k + 1);
        // The next letter swallows this letter's short vowel: a long vowel, ة, or a glide (ay/aw).
        let next_takes_vowel = next.is_some_and(|nx| {
            (nx.long && (is_vowel_letter(nx.letter) || nx.letter == 'ی'))
                || nx.letter == 'ة'
                || is_glide(nx, s.vowel)
        });
        if k == 0 && matches!(c, 'ا' | 'أ' | 'إ' | 'ٱ') {
            let v = match (s.vowel, c) {
                (0, 'إ') => b'i',
                (0, _) => b'a',
                (v, _) => v,
            };
            lat.expand(vowel_opts(v, &rows));
            continue;
        }
        if k > 0 && is_glide(&s, segs[k - 1].vowel) {
            lat.expand(rows(if c == 'و' { "aw" } else { "ay" }));
        } else if s.long && matches!(c, 'ا' | 'آ') {
            lat.expand(rows("ā"));
        } else if s.long && matches!(c, 'و' | 'ي' | 'ی') {
            let (long, glide) = if c == 'و' {
                ("ū", "aw")
            } else {
                ("ī", "ay")
            };
            let mut opts = rows(long);
            if rule_vowels && k > 0 && segs[k - 1].vowel == 0 && !segs[k - 1].long {
                // Vowels from rules: a medial و/ي may as well be the diphthong (قيس = Qays).
                opts.extend(
                    rows(glide)
                        .into_iter()
                        .map(|(l, w, r, r2)| (l, w * 0.8, r, r2)),
                );
            }
            lat.expand(opts);
        } else if c == 'ى' || c == 'ة' {
            lat.expand(rows(c.encode_utf8(&mut [0u8; 4])));
        } else {
            let mut cons = rows(c.encode_utf8(&mut [0u8; 4]));
            if k == 0 && matches!(c, 'ع' | 'ء') {
                cons.retain(|(l, _, _, _)| l.is_empty());
            }
            if cons.is_empty() {
                let r = simple(c);
                cons.push((Cow::Borrowed(r), 1.0, "", ""));
            }
            if s.gem {
                // Doubled or single: both the letter's rule and the gemination rule are recorded.
                let gem = rows("gem");
                let mut opts = Vec::with_capacity(cons.len() * gem.len());
                for (l, w, r, _) in &cons {
                    for (g, gw, gr, _) in &gem {
                        let text = if *g == "2" {
                            Cow::Owned(l.repeat(2))
                        } else {
                            l.clone()
                        };
                        opts.push((text, w * gw, *r, *gr));
                    }
                }
                lat.expand(opts);
            } else {
                lat.expand(cons);
            }
        }
        let consonant = !(s.long || matches!(c, 'ا' | 'ى' | 'آ' | 'ة'));
        if rule_vowels && consonant && !next_takes_vowel && next.is_some() {
            // Vowels guessed by rule: offer the other short vowels (or none) too.
            let next_cons =
                next.is_some_and(|nx| !(nx.long || matches!(nx.letter, 'ا' | 'ى' | 'آ' | 'ة')));
            if s.vowel != 0 {
                lat.expand(rows("?v"));
            } else if next_cons {
                lat.expand(rows("?0"));
            }
        } else if s.vowel != 0 && !next_takes_vowel && !(s.long && is_vowel_letter(c)) {
            lat.expand(vowel_opts(s.vowel, &rows));
        }
    }
    lat.finish()
}

fn is_glide(s: &Seg, prev_vowel: u8) -> bool {
    matches!(s.letter, 'و' | 'ي' | 'ی') && !s.long && prev_vowel == b'a' && s.vowel == 0
}

fn vowel_opts(v: u8, rows: &dyn Fn(&str) -> Vec<OptRow>) -> Vec<OptRow> {
    match v {
        b'a' => rows("a"),
        b'i' => rows("i"),
        b'u' => rows("u"),
        b'A' => rows("ā"),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_parse() {
        for r in Region::ALL {
            assert_eq!(r.as_str().parse::<Region>().unwrap(), r);
        }
        assert!("mars".parse::<Region>().is_err());
    }

    #[test]
    fn empty_input() {
        assert!(variants("", &VariantOptions::default()).is_empty());
        let zero = VariantOptions {
            limit: 0,
            region: None,
        };
        assert!(variants("الكاظمي", &zero).is_empty());
    }
}
