//! Name comparison and entity resolution.
//!
//! [`compare`] scores how likely two names denote the same person or organisation: both are parsed
//! ([`crate::parse_name`]), titles dropped, Arabic script transliterated to Latin
//! ([`crate::Scheme::Simple`]) so Latin and Arabic spellings compare directly, and the parts aligned
//! (given and family names may swap; *bin X* / *ibn X* lineage keeps its order, so *Muhammad bin Salman* is
//! not *Salman bin Muhammad*; *Abd al-X* is one unit; initials match names that start with the same
//! letter; the article is optional). Aligned parts are scored with a transliteration-aware weighted edit
//! distance over a folded consonant-class alphabet (cheap substitutions within *k/q/g*, *dh/z/d/th*,
//! *s/th*, *h/kh*, *o/u*, *e/i/a*, free doubled letters and apostrophes), blended with Jaro-Winkler.
//! Unmatched parts are penalised by informativeness (rarer parts weigh more,
//! [`crate::name_part_frequency`]), and agreement counts by the same measure: a match resting on one
//! very common name (*Muhammad*, *Abdul Rahman*) is weaker evidence than one on a rare name. Generic
//! organisation words (*brigades*, *party*, *kata'ib*…) weigh little, and a generic word on each side
//! (a translation: *network* / شبكة) is no substitution. A logistic model turns the raw [`Features`] into a probability; its weights are data
//! (`data/calibration.tsv`, refit with `cargo run --example calibrate -- <clusters.jsonl> <negatives.jsonl>`).
//!
//! [`Gazetteer::resolve`] finds candidate entities for a name (exact, strict-key and loose-key lookups,
//! a Levenshtein automaton over the loose keys when those find nothing, and per-part lookups, capped at
//! [`MAX_CANDIDATES`]) and ranks them by the best [`compare`] score over the entity's names, with the
//! prior as a small tie-breaker. The best-supported [`RESCORE_WINDOW`] candidates are scored first, the
//! others (up to [`MAX_SCORED`]) only when none of those is a confident match.
//!
//! Limits: inputs longer than [`MAX_NAME_BYTES`] bytes are cut (at a character boundary) and at most
//! [`MAX_PARTS`] name parts are compared; the score is a calibrated probability on the development pairs,
//! not a guarantee.
//!
//! ```
//! let c = nisba::compare("Mustafa al-Kadhimi", "Mostafa Kazemi");
//! assert!(c.score >= nisba::resolve::SAME_THRESHOLD);
//! assert!(nisba::compare("Muhammad bin Salman", "Salman bin Muhammad").score < nisba::resolve::SAME_THRESHOLD);
//! ```

use std::sync::OnceLock;

use rayon::prelude::*;

use crate::gazetteer::{Gazetteer, Kind};
use crate::names::{parse_name, Role};

/// Inputs are cut to this many bytes (at a character boundary) before parsing.
pub const MAX_NAME_BYTES: usize = 512;
/// At most this many name parts of each side are aligned.
pub const MAX_PARTS: usize = 10;
/// At most this many candidate entities are scored per query.
pub const MAX_CANDIDATES: usize = 200;
/// Of the candidates, at most this many (the best supported by the lookups) are scored with [`compare`].
pub const MAX_SCORED: usize = 40;
/// Of those, the best-supported this many (or twice the limit) are scored first; the others only when
/// none of these scores [`CONFIDENT_SCORE`] or more.
pub const RESCORE_WINDOW: usize = 20;
/// The score of a confident match: see [`RESCORE_WINDOW`].
pub const CONFIDENT_SCORE: f32 = 0.9;
/// Spelling variants ([`crate::variants()`]) of the most informative query part looked up in the part index.
pub const PART_VARIANTS: usize = 12;
/// Most split points of one query part tried as a compound written as one word.
const MAX_SPLITS: usize = 8;
/// Scores at or above this value mean "same name": the operating point checked by
/// `data/test/compare.tsv`. On the development pairs it keeps 81% of same-cluster Latin pairs at 4.2% false
/// positives on Latin–Latin hard negatives (97% of Latin–Arabic pairs at 7.6%); the hard negatives are
/// different people with largely shared names (siblings), so choose a higher cutoff when false matches
/// are costly.
pub const SAME_THRESHOLD: f32 = 0.7;

/// The result of [`compare`].
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Probability-like score in `[0, 1]` that both names denote the same bearer.
    pub score: f32,
    /// Human-readable notes on the alignment (`Kazemi~Kadhimi: z vs dh`, `family name missing`…).
    pub explanation: Vec<String>,
}

/// Raw features of a comparison, the inputs of the calibrated logistic model.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Features {
    /// Weighted mean similarity of the aligned parts (weights: informativeness).
    pub matched: f32,
    /// Lowest similarity among aligned parts.
    pub worst: f32,
    /// Share of the shorter name's weight left unaligned.
    pub miss_short: f32,
    /// Share of the longer name's weight left unaligned.
    pub miss_long: f32,
    /// Jaro-Winkler similarity of the whole folded names (parts sorted).
    pub whole: f32,
    /// Similarity of the best-aligned most informative part of the shorter name.
    pub key_part: f32,
    /// Similarity-weighted aligned weight, divided by 4 and capped at 1 (how much evidence agrees).
    pub matched_abs: f32,
    /// Unaligned weight of both names, divided by 8 and capped at 1.
    pub unmatched_abs: f32,
    /// Similarity of the two first parts (generic organisation words aside) when they are aligned with
    /// each other, else 0.
    pub head: f32,
    /// Contradiction: the smaller of the two names' unaligned weights, divided by 4 and capped at 1
    /// (both names have a part the other lacks).
    pub conflict: f32,
    /// Weighted share of aligned pairs whose consonant-class skeletons (vowels dropped, *k/q/g*,
    /// *dh/z/d/th*, *s/sh*, *h/kh* merged) are equal.
    pub skeleton: f32,
    /// Similarity of the two last parts (generic words aside) when they are aligned with each other, else 0.
    pub last: f32,
    /// Number of aligned pairs with similarity ≥ 0.9, divided by 4 and capped at 1.
    pub strong: f32,
    /// Substituted weight: in the gaps between order-keeping aligned pairs, the smaller of the two
    /// names' unaligned weights, summed, divided by 4 and capped at 1 (a part replaced by another).
    pub subst: f32,
    /// 1 when the gap before the first aligned pair holds a substitution (a different first name).
    pub head_subst: f32,
    /// 1 when there is any substitution.
    pub any_subst: f32,
    /// Informativeness of the most informative aligned pair: its weight, the lower of the two sides,
    /// mapped from `[0.5, 3]` to `[0, 1]`, times its similarity. A
    /// match resting only on a very common name (*Muhammad*, *Abdul Rahman*) is weak evidence of the
    /// same bearer.
    pub rare: f32,
    /// The same informativeness summed over every aligned pair, divided by 3 and capped at 1 (several
    /// common names agreeing count for something, one rare name for more).
    pub info: f32,
}

impl Features {
    /// Number of features.
    pub const LEN: usize = 18;
    /// Names of the features, in [`Features::to_array`] order (the rows of `data/calibration.tsv`).
    pub const NAMES: [&'static str; Features::LEN] = [
        "matched",
        "worst",
        "miss_short",
        "miss_long",
        "whole",
        "key_part",
        "matched_abs",
        "unmatched_abs",
        "head",
        "conflict",
        "skeleton",
        "last",
        "strong",
        "subst",
        "head_subst",
        "any_subst",
        "rare",
        "info",
    ];

    /// The features as an array in [`Features::NAMES`] order.
    pub fn to_array(&self) -> [f32; Features::LEN] {
        [
            self.matched,
            self.worst,
            self.miss_short,
            self.miss_long,
            self.whole,
            self.key_part,
            self.matched_abs,
            self.unmatched_abs,
            self.head,
            self.conflict,
            self.skeleton,
            self.last,
            self.strong,
            self.subst,
            self.head_subst,
            self.any_subst,
            self.rare,
            self.info,
        ]
    }
}

/// The logistic model: a bias and one weight per feature.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Calibration {
    /// Intercept.
    pub bias: f32,
    /// One weight per feature, in [`Features::NAMES`] order.
    pub weights: [f32; Features::LEN],
}

impl Calibration {
    /// Parses the `name<TAB>weight` table (`bias` plus every feature name; `#` comments).
    pub fn parse(text: &str) -> crate::Result<Calibration> {
        let mut cal = Calibration {
            bias: 0.0,
            weights: [0.0; Features::LEN],
        };
        let mut seen = 0usize;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, value) = line.split_once('\t').ok_or_else(|| {
                crate::Error::format(format!("calibration line without a tab: {line}"))
            })?;
            let v: f32 = value.trim().parse().map_err(|_| {
                crate::Error::format(format!("calibration weight is not a number: {line}"))
            })?;
            if name == "bias" {
                cal.bias = v;
                seen += 1;
            } else if let Some(i) = Features::NAMES.iter().position(|n| *n == name) {
                cal.weights[i] = v;
                seen += 1;
            } else {
                return Err(crate::Error::format(format!(
                    "unknown calibration feature: {name}"
                )));
            }
        }
        if seen != Features::LEN + 1 {
            return Err(crate::Error::format("calibration table is incomplete"));
        }
        Ok(cal)
    }

    /// The built-in model (`data/calibration.tsv`).
    pub fn builtin() -> &'static Calibration {
        static CAL: OnceLock<Calibration> = OnceLock::new();
        CAL.get_or_init(|| {
            Calibration::parse(include_str!("../data/calibration.tsv")).unwrap_or(Calibration {
                bias: -8.0,
                weights: [
                    6.0, 2.0, -3.0, -1.0, 2.0, 4.0, 2.0, -2.0, 1.0, -2.0, 1.0, 0.0, 0.0, -2.0,
                    -2.0, -1.0, 1.0, 1.0,
                ],
            })
        })
    }

    /// The probability for a feature vector.
    pub fn probability(&self, f: &Features) -> f32 {
        1.0 / (1.0 + (-self.logit(f)).exp())
    }

    /// The log-odds for a feature vector.
    pub fn logit(&self, f: &Features) -> f32 {
        self.bias
            + self
                .weights
                .iter()
                .zip(f.to_array())
                .map(|(w, x)| w * x)
                .sum::<f32>()
    }
}

/// The spelling of a name part, shared by every part written with the same word ([`make_part`]).
#[derive(Debug, Clone, PartialEq)]
struct PartCore {
    /// Display form (the normalised core; Arabic parts show their transliteration).
    norm: String,
    /// Folded consonant-class form (of the transliteration, for Arabic parts).
    fold: Vec<u8>,
    /// Consonant skeleton of `fold`.
    skel: Vec<u8>,
    /// Arabic-script parts: the letters as written, mapped to the comparison alphabet with the
    /// unwritten short vowels absent ([`arabic_symbols`]); empty for Latin parts.
    ar: Vec<u8>,
    /// Lexicon ids: for a Latin part, the Arabic units it is an attested spelling of; for an Arabic
    /// part, its own unit (when the lexicon knows it). Sorted.
    lex: Vec<u32>,
}

/// One part of a name ready for comparison: its spelling ([`PartCore`], read through `Deref`) and
/// what it is in this name.
#[derive(Debug, Clone, PartialEq)]
struct Part {
    /// The spelling, shared (copied on write by [`extend_part`] and the final-ya rule of [`prepare`]).
    core: std::sync::Arc<PartCore>,
    role: Role,
    article: bool,
    /// Informativeness weight.
    weight: f32,
    /// A generic organisation or function word (*company*, *network*, *of*, شبكة): its absence on one
    /// side, or a different generic word on the other (a translation), is no substitution.
    generic: bool,
    /// Hash of the fields [`part_similarity`] and [`joined_similarity`] read (`fold`, `ar`, `lex`,
    /// `role`), set once the part is final ([`Part::seal`]): the similarity memo's key.
    sim_hash: u64,
}

impl std::ops::Deref for Part {
    type Target = PartCore;

    fn deref(&self) -> &PartCore {
        &self.core
    }
}

impl Part {
    fn is_arabic(&self) -> bool {
        !self.ar.is_empty()
    }

    /// Whether [`part_similarity`] and [`joined_similarity`] cannot tell the two parts apart: the
    /// fields they read are equal.
    fn same_for_similarity(&self, other: &Part) -> bool {
        if std::sync::Arc::ptr_eq(&self.core, &other.core) {
            return self.role == other.role;
        }
        self.sim_hash == other.sim_hash
            && self.role == other.role
            && self.fold == other.fold
            && self.ar == other.ar
            && self.lex == other.lex
    }

    /// Computes `sim_hash`; called once the part's fields are final.
    fn seal(&mut self) {
        use std::hash::{BuildHasher, Hash, Hasher};
        let mut h = rustc_hash::FxBuildHasher.build_hasher();
        self.fold.hash(&mut h);
        self.ar.hash(&mut h);
        self.lex.hash(&mut h);
        self.role.hash(&mut h);
        self.sim_hash = h.finish();
    }
}

/// A name parsed, transliterated and folded once, for repeated comparison.
#[derive(Debug, Clone, Default)]
pub struct PreparedName {
    parts: Vec<Part>,
    whole: String,
    total: f32,
    /// The whole name normalised ([`crate::normalize::normalize`]): names equal here are the same name.
    norm: String,
}

impl PreparedName {
    /// Whether the name has no comparable part.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// The lexicon as ids: Latin spelling key → the Arabic units (article removed) it is an attested,
/// not marginal, spelling of; Arabic unit → id.
struct LexIds {
    by_latin: std::collections::HashMap<&'static str, Vec<u32>>,
    by_arabic: std::collections::HashMap<String, u32>,
}

fn lex_ids() -> &'static LexIds {
    static IDS: OnceLock<LexIds> = OnceLock::new();
    IDS.get_or_init(|| {
        let lex = crate::translit::lexicon::lexicon();
        let mut by_arabic: std::collections::HashMap<String, u32> =
            std::collections::HashMap::new();
        let mut by_latin: std::collections::HashMap<&'static str, Vec<u32>> =
            std::collections::HashMap::new();
        let mut keys: Vec<&'static str> = lex.by_arabic.keys().copied().collect();
        keys.sort_unstable();
        for form in keys {
            let unit = unit_key(form);
            let next = by_arabic.len() as u32;
            let id = *by_arabic.entry(unit).or_insert(next);
            let spellings = &lex.by_arabic[form];
            let total: u32 = spellings.iter().map(|a| a.count).sum();
            for a in spellings {
                // Marginal spellings (one attestation among many, misalignments) are left out.
                if a.count < 2 || (a.count as f32) < 0.05 * total as f32 {
                    continue;
                }
                let key = crate::translit::lexicon::latin_lookup_key(a.latin);
                if key.is_empty() {
                    continue;
                }
                let key: &'static str = Box::leak(key.into_boxed_str());
                let v = by_latin.entry(key).or_default();
                if !v.contains(&id) {
                    v.push(id);
                }
            }
        }
        for v in by_latin.values_mut() {
            v.sort_unstable();
        }
        LexIds {
            by_latin,
            by_arabic,
        }
    })
}

/// The lexicon's key of an Arabic unit: the article removed and a doubled و or ي written once, so
/// that spellings of one name in two orthographies (داوود / داود, طاووس / طاوس) are one unit.
fn unit_key(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    for c in strip_arabic_article(w).chars() {
        if matches!(c, 'و' | 'ي') && out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    out
}

fn strip_arabic_article(w: &str) -> &str {
    match w.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 && w != "الله" => rest,
        _ => w,
    }
}

fn shares(a: &[u32], b: &[u32]) -> bool {
    a.iter().any(|x| b.binary_search(x).is_ok())
}

const GENERIC_WORDS: &[&str] = &[
    "organization",
    "organisation",
    "brigades",
    "brigade",
    "forces",
    "force",
    "kataib",
    "katib",
    "katibat",
    "harakat",
    "haraka",
    "harakah",
    "hizb",
    "jaysh",
    "jaish",
    "jabhat",
    "jabha",
    "movement",
    "party",
    "front",
    "company",
    "co",
    "group",
    "corporation",
    "corp",
    "ltd",
    "limited",
    "inc",
    "llc",
    "establishment",
    "trading",
    "foundation",
    "association",
    "society",
    "council",
    "committee",
    "army",
    "battalion",
    "unit",
    "units",
    "of",
    "the",
    "and",
    "for",
    "islamic",
    "national",
    "bank",
    "international",
    "general",
    "saraya",
    "asaib",
    "liwa",
    "mobilization",
    "popular",
    // Trade and institution words of company and agency names (English, French, Persian).
    "industries",
    "industry",
    "industrial",
    "investment",
    "investments",
    "services",
    "service",
    "exchange",
    "network",
    "institute",
    "center",
    "centre",
    "holding",
    "holdings",
    "enterprise",
    "enterprises",
    "commercial",
    "shipping",
    "engineering",
    "sherkat",
    "shirkat",
    "province",
    "state",
    "mouvement",
    "pour",
    "des",
    "de",
    "du",
    "la",
    "le",
    "et",
    "en",
    "in",
    "on",
    // Trade words that translations drop or swap (*Money Exchange Office* / مكتب … للصرافة).
    "office",
    "money",
    "currency",
    "firm",
    "complex",
    "agency",
    "institution",
    "directorate",
    "division",
    "pvt",
    "pte",
];

fn cut(s: &str) -> &str {
    if s.len() <= MAX_NAME_BYTES {
        return s;
    }
    let mut end = MAX_NAME_BYTES;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The name without a parenthesised acronym or short tag after it (*Jamaat-ul-Ahrar (JuA)*, *Rajah
/// Solaiman Movement (RSM)*): an alias written beside the name, not a part of it.
fn without_acronym(name: &str) -> std::borrow::Cow<'_, str> {
    let Some(open) = name.find('(') else {
        return name.into();
    };
    let Some(close) = name[open..].find(')').map(|k| open + k) else {
        return name.into();
    };
    let inner = name[open + 1..close].trim();
    let rest_empty = name[..open].trim().is_empty() && name[close + 1..].trim().is_empty();
    if rest_empty
        || !(2..=6).contains(&inner.chars().count())
        || !inner.chars().all(|c| c.is_alphabetic() || c == '.')
    {
        return name.into();
    }
    format!("{} {}", &name[..open], &name[close + 1..]).into()
}

/// Parses, transliterates and folds a name for [`compare_prepared`].
pub fn prepare(name: &str) -> PreparedName {
    let name = without_acronym(cut(name));
    let name: &str = &name;
    let nfkc;
    // Presentation forms (U+FBxx/U+FExx) reach the parser as plain letters (NFKC).
    let name: &str = if name
        .chars()
        .any(|c| matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}'))
    {
        use unicode_normalization::UnicodeNormalization;
        nfkc = name.nfkc().collect::<String>();
        &nfkc
    } else {
        name
    };
    // Arabic script is parsed as Arabic (its titles, article, *Abd al-X*, kunya and nasab particles),
    // then each part is transliterated on its own.
    // A word ending in ي (not ى/ی, which also write a final long *a*: مصطفى *Mustafa*) reads *i*, never
    // *a*; normalisation folds the three together, so the words are noted before it.
    let strict_ya: Vec<String> = if name.contains('ي') {
        name.split(|c: char| !is_arabic(c))
            .filter(|w| w.ends_with('ي'))
            .map(crate::normalize::normalize)
            .collect()
    } else {
        Vec::new()
    };
    let parsed = parse_name(name);
    let parsed_len = parsed.parts.len();
    let mut parts: Vec<Part> = Vec::with_capacity(parsed.parts.len().min(MAX_PARTS));
    for mut p in parsed.parts.into_iter() {
        if parts.len() >= MAX_PARTS {
            break;
        }
        // The Arabic article written as a word of its own (جمات ال احرار) is no name part, nor are the
        // Persian and Pashto spellings of titles the parser reads in Latin script (حاجي *Haji*).
        if matches!(p.role, Role::Title | Role::Particle)
            || p.norm == "ال"
            || (parsed_len > 1 && ARABIC_TITLES.contains(&p.norm.as_str()))
        {
            continue;
        }
        let arabic = p.norm.chars().any(is_arabic);
        // A separate *-eddine* / *ud-din* word joins the previous part into one *X al-Din* unit, as the
        // parser does for *Nur al-Din*.
        if is_din(&p.norm) {
            if let Some(prev) = parts.last_mut() {
                if prev.role != Role::Theophoric && prev.is_arabic() == arabic {
                    let extra = if arabic { "الدين" } else { "aldin" };
                    extend_part(prev, extra);
                    prev.role = Role::Theophoric;
                    prev.weight = prev.weight.max(1.5);
                    continue;
                }
            }
        }
        // *Nasr Allah* written apart joins into one part, as *Nasrallah*.
        if matches!(
            p.norm.as_str(),
            "allah" | "alla" | "lah" | "ullah" | "ollah" | "illah" | "الله"
        ) {
            if let Some(prev) = parts.last_mut() {
                if prev.is_arabic() == arabic {
                    extend_part(prev, if arabic { "الله" } else { "allah" });
                    continue;
                }
            }
        }
        // A kunya compares with its particle, so *Abu Bakr* meets *Abubakar*.
        if p.role == Role::Kunya {
            if let Some(particle) = p.particle.as_deref() {
                p.norm = format!("{particle}{}", p.norm);
            }
        }
        let strict = arabic && strict_ya.iter().any(|w| w.ends_with(p.norm.as_str()));
        let Some(mut part) = make_part(p.norm, p.role, p.article) else {
            continue;
        };
        if strict && part.ar.last() == Some(&b'I') {
            if let Some(last) = std::sync::Arc::make_mut(&mut part.core).ar.last_mut() {
                *last = b'Y';
            }
        }
        parts.push(part);
    }
    for p in &mut parts {
        p.seal();
    }
    let mut sorted: Vec<&[u8]> = parts.iter().map(|p| p.fold.as_slice()).collect();
    sorted.sort_unstable();
    let whole = sorted
        .iter()
        .map(|f| String::from_utf8_lossy(f))
        .collect::<Vec<_>>()
        .join(" ");
    let total = parts.iter().map(|p| p.weight).sum();
    let norm = crate::normalize::normalize(name);
    PreparedName {
        parts,
        whole,
        total,
        norm: if norm.trim().is_empty() {
            String::new()
        } else {
            norm
        },
    }
}

/// Shards of the prepared-alias cache (each behind its own lock, so parallel resolves rarely contend).
const CACHE_SHARDS: usize = 16;
/// Entities whose prepared names one gazetteer keeps (a shard is emptied when it fills up).
pub const PREPARED_CACHE_ENTITIES: usize = 1 << 16;

/// The names of one entity (canonical name first, then the aliases, in [`crate::gazetteer::EntityRef::names`]
/// order) prepared for comparison.
type PreparedNames = std::sync::Arc<[PreparedName]>;

/// A bounded, concurrent cache of prepared entity names, one per gazetteer: resolve compares the same
/// popular candidates again and again, and preparing (parsing, transliterating, folding) a name costs
/// more than comparing it.
#[derive(Default)]
pub(crate) struct PreparedCache {
    shards: [std::sync::Mutex<std::collections::HashMap<u32, PreparedNames>>; CACHE_SHARDS],
}

impl PreparedCache {
    fn get_or_prepare<'a>(&self, idx: u32, names: impl Iterator<Item = &'a str>) -> PreparedNames {
        let shard = &self.shards[idx as usize % CACHE_SHARDS];
        // A poisoned lock only means another thread panicked mid-insert: the map is still valid.
        if let Some(hit) = shard
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&idx)
            .cloned()
        {
            return hit;
        }
        let prepared: PreparedNames = names.map(prepare).collect();
        let mut map = shard.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= PREPARED_CACHE_ENTITIES / CACHE_SHARDS {
            map.clear();
        }
        map.insert(idx, prepared.clone());
        prepared
    }
}

/// Words whose parts are remembered per thread ([`make_part`]): names repeat their words a lot (given
/// names, a family name across an entity's aliases); see [`crate::memo`].
const PART_CACHE: usize = 1 << 14;

/// By whether the part is an initial (the only thing of its role [`build_part`] reads), the word's part
/// (`None`: not comparable).
type PartCache = crate::memo::Memos<Option<Part>, 2>;

thread_local! {
    static PARTS: PartCache = std::cell::RefCell::new([
        crate::memo::WordMemo::new(PART_CACHE),
        crate::memo::WordMemo::new(PART_CACHE),
    ]);
}

/// Builds a comparable part from a normalised core (Latin or Arabic script), remembered per thread (the
/// same as [`build_part`]).
fn make_part(norm: String, role: Role, article: bool) -> Option<Part> {
    let initial = role == Role::Initial;
    let part = crate::memo::memoised(&PARTS, usize::from(initial), &norm, || {
        build_part(&norm, initial)
    });
    part.map(|mut p| {
        p.role = role;
        p.article = article;
        p
    })
}

/// Builds a comparable part from a normalised core, with the role `Given` (`Initial` for an initial)
/// and no article: [`make_part`] sets both.
fn build_part(norm: &str, initial: bool) -> Option<Part> {
    let role = if initial { Role::Initial } else { Role::Given };
    let arabic = norm.chars().any(is_arabic);
    let (display, fold, ar, lex) = if arabic {
        let latin = crate::translit::transliterate(norm, crate::translit::Scheme::Simple).text;
        let display: String = latin
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let ar = arabic_symbols(norm);
        let lex = lex_ids()
            .by_arabic
            .get(&unit_key(norm))
            .map(|&id| vec![id])
            .unwrap_or_default();
        (display, fold(&latin), ar, lex)
    } else {
        let lex = lex_ids()
            .by_latin
            .get(crate::translit::lexicon::latin_lookup_key(norm).as_str())
            .cloned()
            .unwrap_or_default();
        (norm.to_string(), fold(norm), Vec::new(), lex)
    };
    if fold.is_empty() && ar.is_empty() {
        return None;
    }
    let generic = role != Role::Initial
        && (GENERIC_WORDS.contains(&display.as_str()) || ARABIC_GENERIC_WORDS.contains(&norm));
    let weight = if role == Role::Initial {
        0.3
    } else if generic {
        0.25
    } else {
        let f = part_frequency(norm) as f32;
        0.5 + 2.5 / (1.0 + (1.0 + f).ln() / 3.0)
    };
    Some(Part {
        core: std::sync::Arc::new(PartCore {
            norm: display,
            skel: skeleton(&fold),
            fold,
            ar,
            lex,
        }),
        role,
        article: false,
        weight,
        generic,
        sim_hash: 0,
    })
}

/// How often a part is attested ([`crate::name_part_frequency`]); joined units (*abdalrahman*,
/// *shamsaldin*, *nasrallah*, عبدالرحمن) also count under their usual spellings (*abdulrahman*,
/// *shamsuddin*, *nasrullah*, عبد الرحمن), so common compound names are not taken for rare ones.
fn part_frequency(norm: &str) -> u32 {
    let f = crate::translit::name_part_frequency;
    let mut best = f(norm);
    if norm.is_ascii() {
        if let Some(x) = norm.strip_prefix("abdal") {
            for p in ["abdul", "abdel", "abdur", "abd al-", "abdul "] {
                best = best.max(f(&format!("{p}{x}")));
            }
        }
        if let Some(x) = norm.strip_suffix("aldin") {
            for p in ["uddin", "eddine", "eddin", "addin"] {
                best = best.max(f(&format!("{x}{p}")));
            }
        }
        if let Some(x) = norm.strip_suffix("allah") {
            for p in ["ullah", "ollah", "allah"] {
                best = best.max(f(&format!("{x}{p}")));
            }
        }
    } else {
        for unit in ["عبدال", "ابو"] {
            if let Some(x) = norm.strip_prefix(unit) {
                let sep = if unit == "ابو" {
                    "ابو "
                } else {
                    "عبد ال"
                };
                best = best.max(f(&format!("{sep}{x}")));
            }
        }
        for unit in ["الدين", "الله"] {
            if let Some(x) = norm.strip_suffix(unit) {
                best = best.max(f(&format!("{x} {unit}")));
            }
        }
    }
    best
}

/// Appends a joined unit (`aldin`, `allah`, `الدين`, `الله`) to a part.
fn extend_part(prev: &mut Part, extra: &str) {
    prev.generic = false;
    let arabic = prev.is_arabic();
    let core = std::sync::Arc::make_mut(&mut prev.core);
    if arabic {
        let more = arabic_symbols(extra);
        core.ar.extend_from_slice(&more);
        let latin = crate::translit::transliterate(extra, crate::translit::Scheme::Simple).text;
        core.norm.push_str(&latin.to_ascii_lowercase());
        core.lex.clear();
    } else {
        core.norm.push_str(extra);
        core.lex = lex_ids()
            .by_latin
            .get(crate::translit::lexicon::latin_lookup_key(&core.norm).as_str())
            .cloned()
            .unwrap_or_default();
    }
    core.fold = fold(&core.norm);
    core.skel = skeleton(&core.fold);
}

/// Arabic-script spellings of titles that [`parse_name`] keeps as name parts (normalised): the Persian,
/// Dari and Pashto forms of *Haji*, *Mawlawi*, *Mawlana*, *Mufti*, which it drops in Latin script.
const ARABIC_TITLES: &[&str] = &["حاجي", "مولوي", "مولانا", "مفتي"];

/// Arabic generic organisation words (normalised, without the article).
const ARABIC_GENERIC_WORDS: &[&str] = &[
    "شركه",
    "مكتب",
    "شبكه",
    "جماعه",
    "حركه",
    "مؤسسه",
    "موسسه",
    "منظمه",
    "حزب",
    "جيش",
    "جبهه",
    "كتائب",
    "سرايا",
    "لواء",
    "لوا",
    "عصائب",
    "بنك",
    "مصرف",
    "هيئه",
    "جمعيه",
    "مجلس",
    "فيلق",
    "كتيبه",
    "تنظيم",
    "للصرافه",
    "صرافه",
    // Pashto *and*.
    "او",
    "مجموعه",
    "في",
    "و",
    "من",
    "كمپني",
    "گروپ",
    "شركت",
    "شرکت",
];

fn is_din(norm: &str) -> bool {
    let n = norm.trim_start_matches('-');
    matches!(
        n,
        "din"
            | "dine"
            | "deen"
            | "eddin"
            | "eddine"
            | "uddin"
            | "uddine"
            | "ud-din"
            | "ad-din"
            | "ed-din"
            | "addin"
            | "addine"
            | "iddin"
            | "ul-din"
            | "uldin"
            | "ul-dine"
            | "aldin"
            | "al-din"
            | "den"
            | "الدين"
    )
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Folds a normalised Latin part to the comparison alphabet: digraphs become one symbol (`kh`→`x`,
/// `gh`→`G`, `sh`/`ch`→`S`, `th`→`T`, `dh`/`zh`→`D`, `ph`→`f`, `ou`/`oo`→`u`, `ee`→`i`, `dj`→`j`),
/// doubled letters collapse, apostrophes and non-letters vanish, a final `h` after a vowel drops.
fn fold(norm: &str) -> Vec<u8> {
    let src: Vec<u8> = norm
        .bytes()
        .filter(|b| b.is_ascii_alphabetic())
        .map(|b| b.to_ascii_lowercase())
        .collect();
    let mut out: Vec<u8> = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        let n = src.get(i + 1).copied();
        let (sym, step) = match (c, n) {
            // French *tch* is English *ch* (چ, *Tchad* / *Chad*).
            (b't', Some(b'c')) if src.get(i + 2) == Some(&b'h') => (b'S', 3),
            (b'k', Some(b'h')) => (b'x', 2),
            (b'g', Some(b'h')) => (b'G', 2),
            (b's', Some(b'h')) | (b'c', Some(b'h')) => (b'S', 2),
            (b't', Some(b'h')) => (b'T', 2),
            (b'd', Some(b'h')) | (b'z', Some(b'h')) => (b'D', 2),
            (b'p', Some(b'h')) => (b'f', 2),
            (b'o', Some(b'u')) | (b'o', Some(b'o')) => (b'u', 2),
            (b'e', Some(b'e')) => (b'i', 2),
            (b'd', Some(b'j')) => (b'j', 2),
            (b'c', _) => (b'k', 1),
            (b'x', _) => (b'x', 1),
            _ => (c, 1),
        };
        i += step;
        if out.last() == Some(&sym) {
            continue;
        }
        out.push(sym);
    }
    if out.len() > 2 && out.last() == Some(&b'h') && is_vowel(out[out.len() - 2]) {
        out.pop();
    }
    out
}

/// Consonant skeleton: vowels and `h` after a vowel dropped, consonant classes merged.
fn skeleton(fold: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(fold.len());
    for &c in fold {
        let m = match c {
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'w' => continue,
            b'q' | b'g' | b'c' => b'k',
            b'D' | b'z' | b'd' | b'T' => b'D',
            b'x' => b'h',
            b'p' => b'b',
            b'v' => b'f',
            other => other,
        };
        if out.last() != Some(&m) {
            out.push(m);
        }
    }
    out
}

fn class_cost(a: u8, b: u8) -> f32 {
    if a == b {
        return 0.0;
    }
    let (x, y) = if a < b { (a, b) } else { (b, a) };
    match (x, y) {
        // vowels
        (b'a', b'e') | (b'e', b'i') => 0.15,
        (b'o', b'u') => 0.1,
        (b'a', b'i') | (b'a', b'o') | (b'e', b'o') | (b'e', b'u') => 0.45,
        (b'a', b'u') | (b'i', b'u') | (b'i', b'o') => 0.6,
        // semivowels
        (b'i', b'y') | (b'u', b'w') | (b'o', b'w') => 0.1,
        (b'e', b'y') => 0.3,
        (b'a', b'y') | (b'a', b'w') => 0.5,
        (b'v', b'w') => 0.2,
        // Persian و read as a consonant or a vowel (*Davood* / *Daud*, *Tavallaei* / *Toulai*)
        (b'u', b'v') | (b'o', b'v') => 0.3,
        // k / q / g / c
        (b'k', b'q') => 0.1,
        (b'g', b'k') | (b'g', b'q') => 0.4,
        (b'G', b'g') => 0.3,
        (b'G', b'x') | (b'G', b'q') => 0.5,
        (b'g', b'j') => 0.4,
        // dh / z / d / th / zh
        (b'D', b'z') | (b'D', b'd') | (b'D', b'T') => 0.15,
        (b'd', b'z') => 0.45,
        (b'T', b'z') => 0.45,
        (b'T', b't') | (b'D', b't') => 0.4,
        (b'd', b't') => 0.6,
        // s / th / sh / z
        (b'T', b's') => 0.2,
        (b'S', b's') => 0.5,
        (b's', b'z') => 0.45,
        (b'S', b'j') => 0.6,
        // h / kh
        (b'h', b'x') => 0.4,
        (b'k', b'x') => 0.4,
        (b'x', b'q') => 0.6,
        // labials
        (b'b', b'p') | (b'f', b'v') | (b'f', b'p') => 0.4,
        _ => 1.0,
    }
}

fn indel_cost(c: u8) -> f32 {
    match c {
        b'a' | b'e' | b'i' | b'o' | b'u' => 0.4,
        b'y' | b'w' | b'h' => 0.5,
        _ => 1.0,
    }
}

/// Cost tables of the edit distances, indexed by symbol (ASCII): filled once from [`class_cost`],
/// [`indel_cost`], [`cross_sub`], [`cross_ins`] and [`cross_del`].
struct CostTables {
    sub: Vec<f32>,
    indel: [f32; 128],
    cross_sub: Vec<f32>,
    cross_ins: [f32; 128],
    cross_del: [f32; 128],
}

fn tables() -> &'static CostTables {
    static T: OnceLock<CostTables> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = CostTables {
            sub: vec![1.0; 128 * 128],
            indel: [1.0; 128],
            cross_sub: vec![1.0; 128 * 128],
            cross_ins: [1.0; 128],
            cross_del: [1.0; 128],
        };
        for x in 0..128u8 {
            t.indel[x as usize] = indel_cost(x);
            t.cross_ins[x as usize] = cross_ins(x);
            t.cross_del[x as usize] = cross_del(x);
            for y in 0..128u8 {
                t.sub[x as usize * 128 + y as usize] = class_cost(x, y);
                t.cross_sub[x as usize * 128 + y as usize] = cross_sub(x, y);
            }
        }
        t
    })
}

/// Edit distance with the given cost tables (stack buffers; parts cut at 64 symbols). Stops early,
/// returning a lower bound above `max`, once every path costs more than `max`.
fn table_distance(
    a: &[u8],
    b: &[u8],
    sub: &[f32],
    ins_a: &[f32; 128],
    del_b: &[f32; 128],
    max: f32,
) -> f32 {
    let a = &a[..a.len().min(64)];
    let b = &b[..b.len().min(64)];
    let n = b.len();
    // The symbols of `b` as table indices and their deletion costs, looked up once.
    let mut bi = [0u8; 64];
    let mut db = [0f32; 64];
    for ((x, d), &cb) in bi.iter_mut().zip(db.iter_mut()).zip(b) {
        *x = cb & 127;
        *d = del_b[usize::from(*x)];
    }
    let (bi, db) = (&bi[..n], &db[..n]);
    let mut rows = [[0f32; 65]; 2];
    let (first, second) = rows.split_at_mut(1);
    let (mut prev, mut cur) = (&mut first[0], &mut second[0]);
    for j in 0..n {
        prev[j + 1] = prev[j] + db[j];
    }
    for &ca in a {
        let ca = (ca & 127) as usize;
        let row: &[f32; 128] = sub[ca * 128..ca * 128 + 128]
            .try_into()
            .expect("cost rows hold 128 entries");
        let ia = ins_a[ca];
        let mut left = prev[0] + ia;
        cur[0] = left;
        // Every alignment passes through this row: its minimum bounds the distance from below.
        let mut low = left;
        for ((out, (&diag, &up)), (&cb, &d)) in cur[1..=n]
            .iter_mut()
            .zip(prev[..n].iter().zip(&prev[1..=n]))
            .zip(bi.iter().zip(db))
        {
            let s = diag + row[usize::from(cb & 127)];
            let dd = up + ia;
            let i = left + d;
            left = s.min(dd).min(i);
            *out = left;
            low = low.min(left);
        }
        if low > max {
            return low;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n]
}

/// Weighted edit distance over folded forms.
fn weighted_distance(a: &[u8], b: &[u8], max: f32) -> f32 {
    let t = tables();
    table_distance(a, b, &t.sub, &t.indel, &t.indel, max)
}

/// Maps a normalised Arabic-script word to the comparison alphabet of [`fold`], letter by letter, with
/// the unwritten short vowels absent. Extra symbols: `A` word-initial alif (carries any vowel), `3` ayn
/// or hamza (written `'`, a vowel or nothing), `H` final ه (also ta marbuta: `a`, `ah`, `eh`, `at`),
/// `I` final ي (also alif maqsura: `i`, `y`, `a`; [`prepare`] turns it into `Y`, `i` or `y` only, when
/// the word was written with ي rather than ى/ی). Doubled symbols collapse.
fn arabic_symbols(norm: &str) -> Vec<u8> {
    let letters: Vec<char> = norm.chars().filter(|c| is_arabic(*c)).collect();
    let mut out: Vec<u8> = Vec::with_capacity(letters.len());
    let last = letters.len().saturating_sub(1);
    for (k, &c) in letters.iter().enumerate() {
        let sym = match c {
            'ا' | 'أ' | 'إ' | 'آ' | 'ٱ' if k == 0 => b'A',
            'ا' | 'أ' | 'إ' | 'آ' | 'ٱ' => b'a',
            'ب' => b'b',
            'ت' => b't',
            'ث' => b'T',
            'ج' => b'j',
            'ح' => b'h',
            'خ' => b'x',
            'د' => b'd',
            'ذ' | 'ض' | 'ظ' | 'ژ' => b'D',
            'ر' => b'r',
            'ز' => b'z',
            'س' | 'ص' => b's',
            'ش' | 'چ' => b'S',
            'ط' => b't',
            'ع' | 'ء' | 'ؤ' | 'ئ' => b'3',
            'غ' => b'G',
            'ف' => b'f',
            'ق' => b'q',
            'ك' | 'ک' => b'k',
            'گ' => b'g',
            'ل' => b'l',
            'م' => b'm',
            'ن' => b'n',
            'ه' | 'ة' | 'ۀ' | 'ھ' | 'ہ' | 'ۃ' if k == last && k > 0 => b'H',
            'ه' | 'ة' | 'ۀ' | 'ھ' | 'ہ' | 'ۃ' => b'h',
            'و' => b'u',
            'ي' | 'ی' | 'ى' | 'ې' if k == last && k > 0 => b'I',
            'ي' | 'ی' | 'ى' | 'ې' => b'i',
            'پ' => b'p',
            'ڤ' => b'v',
            // Urdu and Pashto letters: retroflex and Pashto-only consonants read as their plain
            // counterparts in English-press spellings (گیدڑ *Gidar*, ټول *Tol*, ډاکټر *Daktar*).
            'ڑ' | 'ړ' => b'r',
            'ٹ' | 'ټ' => b't',
            'ڈ' | 'ډ' => b'd',
            'ں' | 'ڼ' => b'n',
            'ښ' => b'S',
            'ځ' => b'z',
            'څ' => b's',
            'ۍ' | 'ے' if k == last && k > 0 => b'I',
            _ => continue,
        };
        if out.last() == Some(&sym) {
            continue;
        }
        out.push(sym);
    }
    out
}

/// Substitution cost of a Latin folded symbol against an Arabic symbol ([`arabic_symbols`]).
fn cross_sub(l: u8, a: u8) -> f32 {
    let vowel = is_vowel(l);
    match a {
        b'A' => {
            if vowel {
                0.05
            } else {
                1.0
            }
        }
        b'3' => {
            if vowel {
                0.1
            } else if l == b'G' || l == b'q' {
                0.7
            } else {
                1.0
            }
        }
        b'H' => match l {
            b'h' => 0.0,
            b'a' | b'e' => 0.1,
            b't' => 0.3,
            _ => 1.0,
        },
        b'I' => match l {
            b'i' | b'y' | b'e' => 0.05,
            b'a' => 0.15,
            _ => 1.0,
        },
        // Final ي written as such: *i*, not a long *a* (الكاظمي is *Kadhimi*, not *Kadoma*).
        b'Y' => match l {
            b'i' | b'y' | b'e' => 0.05,
            b'a' => 1.0,
            _ => 1.0,
        },
        b'i' => match l {
            b'i' | b'y' => 0.0,
            b'e' => 0.1,
            _ => class_cost(l, a),
        },
        b'u' => match l {
            b'u' | b'o' | b'w' => 0.0,
            b'v' => 0.3,
            _ => class_cost(l, a),
        },
        b'a' => match l {
            b'a' => 0.0,
            b'e' => 0.15,
            b'o' => 0.3,
            _ => class_cost(l, a),
        },
        _ => class_cost(l, a),
    }
}

/// Cost of a Latin symbol with no Arabic counterpart: short vowels are not written in Arabic.
fn cross_ins(l: u8) -> f32 {
    match l {
        b'a' | b'e' | b'i' | b'o' | b'u' => 0.15,
        b'y' | b'w' => 0.4,
        b'h' => 0.6,
        _ => 1.0,
    }
}

/// Cost of an Arabic symbol with no Latin counterpart.
fn cross_del(a: u8) -> f32 {
    match a {
        // A word-initial alif is a written letter, read as a vowel: a Latin spelling drops it only
        // in a longer name (Maghrebi *Brahim*, *Smail*); *Hamad* is not احمد (*Ahmad*).
        b'A' => 0.6,
        b'3' => 0.1,
        b'H' => 0.3,
        b'I' | b'i' | b'u' => 0.5,
        // A final ي written as such is read: dropping it must not undercut reading it as *a*.
        b'Y' => 0.9,
        b'a' => 0.35,
        b'h' => 0.6,
        _ => 1.0,
    }
}

/// Weighted edit distance of a Latin folded part against an Arabic symbol sequence.
fn cross_distance(l: &[u8], a: &[u8], max: f32) -> f32 {
    let t = tables();
    table_distance(l, a, &t.cross_sub, &t.cross_ins, &t.cross_del, max)
}

/// Similarity of two Latin folded forms in `[0, 1]`.
fn fold_similarity(a: &[u8], b: &[u8]) -> f32 {
    if a == b {
        return 1.0;
    }
    let len = a.len().max(b.len()).max(1) as f32;
    // Every unmatched symbol costs at least 0.4: far too different lengths cannot align.
    let bound = 1.0 - 0.4 * a.len().abs_diff(b.len()) as f32 / len;
    if 0.9 * bound + 0.1 < 0.5 {
        return 0.9 * bound.max(0.0);
    }
    // Distances beyond this leave the pair below ALIGN_MIN: the exact value does not matter.
    let max = len * (1.0 - (ALIGN_MIN - 0.1) / 0.9) + 1e-3;
    let ed = (1.0 - weighted_distance(a, b, max) / len).max(0.0);
    // Below ALIGN_MIN whatever the Jaro-Winkler term: the pair is not aligned, skip it.
    if 0.9 * ed + 0.1 < ALIGN_MIN {
        return 0.9 * ed;
    }
    0.9 * ed + 0.1 * jaro_winkler(a, b)
}

/// Jaro-Winkler similarity of two byte strings (no allocation; strings cut at 64 bytes).
fn jaro_winkler(a: &[u8], b: &[u8]) -> f32 {
    let a = &a[..a.len().min(64)];
    let b = &b[..b.len().min(64)];
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() && b.is_empty() {
            1.0
        } else {
            0.0
        };
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    // Bit masks: the positions of each byte in `b`, and the positions already matched.
    let mut pos = [0u64; 256];
    for (j, &cb) in b.iter().enumerate() {
        pos[usize::from(cb)] |= 1 << j;
    }
    let below = |k: usize| -> u64 {
        if k >= 64 {
            u64::MAX
        } else {
            (1u64 << k) - 1
        }
    };
    let mut used_b = 0u64;
    let mut matched_a = [0u8; 64];
    let mut m = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        // the first unused position of `ca` in the window `lo..hi`
        let free = pos[usize::from(ca)] & !used_b & below(hi) & !below(lo);
        if free != 0 {
            used_b |= free & free.wrapping_neg();
            matched_a[m] = ca;
            m += 1;
        }
    }
    if m == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut order = used_b;
    let mut k = 0usize;
    while order != 0 {
        let j = order.trailing_zeros() as usize;
        order &= order - 1;
        if matched_a[k] != b[j] {
            transpositions += 1;
        }
        k += 1;
    }
    let m = m as f32;
    let t = (transpositions / 2) as f32;
    let jaro = (m / a.len() as f32 + m / b.len() as f32 + (m - t) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f32;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Similarity of a Latin folded form and an Arabic symbol sequence in `[0, 1]`.
fn cross_similarity(l: &[u8], a: &[u8]) -> f32 {
    // The Latin side carries the vowels the Arabic leaves unwritten: they count half in the length.
    let latin_len: f32 = l.iter().map(|&c| if is_vowel(c) { 0.5 } else { 1.0 }).sum();
    let len = latin_len.max(a.len() as f32).max(1.0);
    // Beyond this distance the pair is below ALIGN_MIN (and CROSS_FLOOR): the exact value does not matter.
    let max = len * (1.0 - ALIGN_MIN.min(CROSS_FLOOR)) + 1e-3;
    (1.0 - cross_distance(l, a, max) / len).max(0.0)
}

/// A Latin folded part without the article written joined to it (*alaqil* → *aqil*, *elhusein* →
/// *husein*): at least four letters must remain, and *Ali-* (*Alireza*) and *All-* (*Allawi*) keep theirs.
fn joined_article(f: &[u8]) -> Option<&[u8]> {
    if f.len() >= 6
        && (f.starts_with(b"al") || f.starts_with(b"el"))
        && !matches!(f[2], b'i' | b'l')
    {
        Some(&f[2..])
    } else {
        None
    }
}

/// Cross-script part pairs whose letter-by-letter similarity ([`cross_similarity`]) is below this keep
/// it: the transliteration route only refines pairs whose letters already agree.
const CROSS_FLOOR: f32 = 0.8;

/// Similarity of the spellings of two parts (no role adjustments).
fn spelling_similarity(
    fa: &[u8],
    ara: &[u8],
    lexa: &[u32],
    fb: &[u8],
    arb: &[u8],
    lexb: &[u32],
) -> f32 {
    match (ara.is_empty(), arb.is_empty()) {
        // Latin – Latin.
        (true, true) => {
            let s = fold_similarity(fa, fb);
            if s >= 0.97 {
                return s;
            }
            // The article written joined on one side (*Alaqeel* / *al-Aqil*, *Elhussein* / *Hussein*).
            let mut best = s;
            if let Some(x) = joined_article(fa).filter(|_| joined_article(fb).is_none()) {
                best = best.max(fold_similarity(x, fb));
            }
            if let Some(y) = joined_article(fb).filter(|_| joined_article(fa).is_none()) {
                best = best.max(fold_similarity(fa, y));
            }
            best
        }
        // Arabic – Arabic: the same letters, else compare the transliterations.
        (false, false) => {
            if ara == arb {
                1.0
            } else {
                fold_similarity(fa, fb)
            }
        }
        // Cross-script: an attested spelling of the Arabic unit, else the better of the letter-by-
        // letter comparison (short vowels free) and the transliteration.
        (true, false) | (false, true) => {
            if shares(lexa, lexb) {
                return 1.0;
            }
            let (l, a) = if ara.is_empty() { (fa, arb) } else { (fb, ara) };
            // Stricter than Latin–Latin: with short vowels free, a wrong consonant must cost more
            // (*Ahmed* is not محمد).
            let mut s = cross_similarity(l, a);
            // The article joined in the Latin (*Alaqeel*), removed from the Arabic (العقيل).
            if s < 0.97 {
                if let Some(x) = joined_article(l) {
                    s = s.max(cross_similarity(x, a));
                }
            }
            // The letters as written decide: a pair whose letter-by-letter alignment is poor (a
            // consonant or long vowel read as another) is not rescued by a transliteration that
            // happens to look close (الكاظمي is not *Kadoma*).
            if !(CROSS_FLOOR..0.97).contains(&s) {
                return s;
            }
            s.max(0.97 * fold_similarity(fa, fb))
        }
    }
}

/// Similarity of two parts in `[0, 1]`.
fn part_similarity(a: &Part, b: &Part) -> f32 {
    if a.role == Role::Initial || b.role == Role::Initial {
        let fa = a.fold.first();
        let fb = b.fold.first();
        return if fa == fb
            || (fa.is_some() && fb.is_some() && class_cost(*fa.unwrap(), *fb.unwrap()) < 0.5)
        {
            0.95
        } else {
            0.0
        };
    }
    let mut s = spelling_similarity(&a.fold, &a.ar, &a.lex, &b.fold, &b.ar, &b.lex);
    // The lexicon knows both as spellings of different Arabic names, and they differ by more than a
    // vowel: different names (*Hassan* حسن is not *Hussein* حسين).
    if s < 0.9 && !a.lex.is_empty() && !b.lex.is_empty() && !shares(&a.lex, &b.lex) {
        s = s.min(0.55);
    }
    // Two Latin units of one pattern (*Abd al-X*, *X al-Din*) are as close as their cores: the shared
    // affix says nothing (*Abdul Rochim* is not *Abdul Rosyid*, *Abdul Baset* not *Abdul Basir*).
    if a.role == Role::Theophoric && b.role == Role::Theophoric && !a.is_arabic() && !b.is_arabic()
    {
        fn cores(x: &[u8]) -> [Option<&[u8]>; 2] {
            [x.strip_prefix(b"abdal"), x.strip_suffix(b"aldin")]
        }
        for (x, y) in cores(&a.fold).into_iter().zip(cores(&b.fold)) {
            if let (Some(x), Some(y)) = (x, y) {
                if !x.is_empty() && !y.is_empty() {
                    s = s.min(fold_similarity(x, y));
                }
            }
        }
        // The lexicon knows the cores as different names (*Basit* باسط, *Basir* بصير).
        if let (Some(x), Some(y)) = (a.norm.strip_prefix("abdal"), b.norm.strip_prefix("abdal")) {
            if s < 0.97 && lexicon_distinct(x, y) {
                s = s.min(0.55);
            }
        }
    }
    // A theophoric unit does not match its second half: *Abdul Rahman* is not *Rahman* (but *Taj al-Din*
    // may meet the one-word *Tajideen*).
    if (a.role == Role::Theophoric) != (b.role == Role::Theophoric)
        && a.fold.len().abs_diff(b.fold.len()) >= 3
    {
        let theo = if a.role == Role::Theophoric { a } else { b };
        let other = if a.role == Role::Theophoric { b } else { a };
        // *X al-Din* is often shortened to *X* (*Nasir* for *Nasir al-Din*); *Abd al-X* never to *X*.
        if !theo.is_arabic() && !other.is_arabic() && theo.fold.ends_with(b"aldin") {
            // The fold writes a doubled letter once: *Zia al-Din* folds to `zialdin`, its core `zia`.
            let n = theo.fold.len();
            let core = fold_similarity(&theo.fold[..n - 5], &other.fold)
                .max(fold_similarity(&theo.fold[..n - 4], &other.fold));
            s = s.max(0.85 * core);
        } else {
            s *= 0.5;
        }
    }
    // A kunya (*Abu X*) against a non-kunya part is a weak match, unless that part is the kunya
    // written as one word (*Abubakar*).
    if (a.role == Role::Kunya) != (b.role == Role::Kunya) {
        let other = if a.role == Role::Kunya { b } else { a };
        if !(other.fold.starts_with(b"abu") || other.fold.starts_with(b"abo")) {
            s *= 0.7;
        }
    }
    s
}

/// Similarity of one part against two adjacent parts of the other name written apart
/// (*Mohammadreza* / *Mohammad Reza*, *Ahmadinejad* / *Ahmadi Nejad*, *آخوندزاده* / *آخوند زاده*).
fn joined_similarity(one: &Part, x: &Part, y: &Part) -> f32 {
    if one.role == Role::Initial || x.role == Role::Initial || y.role == Role::Initial {
        return 0.0;
    }
    if x.is_arabic() != y.is_arabic() {
        return 0.0;
    }
    let len_one = if one.is_arabic() {
        one.ar.len()
    } else {
        one.fold.len()
    };
    let len_two = if x.is_arabic() {
        x.ar.len() + y.ar.len()
    } else {
        x.fold.len() + y.fold.len()
    };
    if len_one < 5 || len_one.abs_diff(len_two) > 4 {
        return 0.0;
    }
    let mut fold_xy = [0u8; 128];
    let nf = (x.fold.len() + y.fold.len()).min(128);
    for (k, c) in x.fold.iter().chain(&y.fold).take(128).enumerate() {
        fold_xy[k] = *c;
    }
    let mut ar_xy = [0u8; 128];
    let mut na = 0;
    if x.is_arabic() {
        na = (x.ar.len() + y.ar.len()).min(128);
        let second = y.ar.iter().map(|&c| if c == b'A' { b'a' } else { c });
        for (k, c) in x.ar.iter().copied().chain(second).take(128).enumerate() {
            ar_xy[k] = c;
        }
    }
    spelling_similarity(
        &one.fold,
        &one.ar,
        &one.lex,
        &fold_xy[..nf],
        &ar_xy[..na],
        &[],
    )
}

fn explain_diff(a: &Part, b: &Part) -> String {
    let (fa, fb) = (&a.fold, &b.fold);
    let pre = fa.iter().zip(fb.iter()).take_while(|(x, y)| x == y).count();
    let suf = fa[pre..]
        .iter()
        .rev()
        .zip(fb[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&fa[pre..fa.len() - suf], &fb[pre..fb.len() - suf]);
    let diffs = if ma.len() == mb.len() {
        ma.iter()
            .zip(mb.iter())
            .filter(|(x, y)| x != y)
            .map(|(x, y)| format!("{} vs {}", display_fold(&[*x]), display_fold(&[*y])))
            .collect::<Vec<_>>()
            .join(", ")
    } else {
        let da = display_fold(ma);
        let db = display_fold(mb);
        let da = if da.is_empty() { "∅".into() } else { da };
        let db = if db.is_empty() { "∅".into() } else { db };
        format!("{da} vs {db}")
    };
    format!("{}~{}: {}", a.norm, b.norm, diffs)
}

fn display_fold(f: &[u8]) -> String {
    let mut s = String::new();
    for &c in f {
        match c {
            b'x' => s.push_str("kh"),
            b'G' => s.push_str("gh"),
            b'S' => s.push_str("sh"),
            b'T' => s.push_str("th"),
            b'D' => s.push_str("dh"),
            _ => s.push(c as char),
        }
    }
    s
}

fn role_label(r: Role) -> &'static str {
    match r {
        Role::Given => "given name",
        Role::Family => "family name",
        Role::Nisba => "nisba",
        Role::Nasab => "nasab",
        Role::Kunya => "kunya",
        Role::Theophoric => "theophoric name",
        Role::Initial => "initial",
        _ => "part",
    }
}

fn is_ordered(r: Role) -> bool {
    r == Role::Nasab
}

/// Candidate links of one comparison: every pair of parts, and joined/apart pairs either way.
const MAX_LINKS: usize = 3 * MAX_PARTS * MAX_PARTS;

/// Aligned parts below this similarity are not aligned.
const ALIGN_MIN: f32 = 0.8;

/// One aligned pair: similarity, start and length (1, or 2 for a part written as two words) on each side.
#[derive(Debug, Clone, Copy, Default)]
struct Link {
    s: f32,
    i: usize,
    la: usize,
    j: usize,
    lb: usize,
}

fn span_weight(p: &PreparedName, start: usize, len: usize) -> f32 {
    p.parts[start..start + len].iter().map(|x| x.weight).sum()
}

/// Computes the raw features (and optionally explanations) of two prepared names.
fn align(a: &PreparedName, b: &PreparedName, explain: Option<&mut Vec<String>>) -> Features {
    align_with(a, b, explain, &mut Direct { a, b })
}

/// The part similarities [`align`] asks for; resolve memoises them across a query's candidates.
/// Each method must return what its doc names.
trait PartSimilarities {
    /// `part_similarity(&a.parts[i], &b.parts[j])`.
    fn sim(&mut self, i: usize, j: usize) -> f32;
    /// `joined_similarity(&a.parts[i], &b.parts[j], &b.parts[j + 1])`.
    fn joined_a(&mut self, i: usize, j: usize) -> f32;
    /// `joined_similarity(&b.parts[j], &a.parts[i], &a.parts[i + 1])`.
    fn joined_b(&mut self, j: usize, i: usize) -> f32;
}

/// The similarities computed afresh.
struct Direct<'a> {
    a: &'a PreparedName,
    b: &'a PreparedName,
}

impl PartSimilarities for Direct<'_> {
    fn sim(&mut self, i: usize, j: usize) -> f32 {
        part_similarity(&self.a.parts[i], &self.b.parts[j])
    }
    fn joined_a(&mut self, i: usize, j: usize) -> f32 {
        let b = &self.b.parts;
        joined_similarity(&self.a.parts[i], &b[j], &b[j + 1])
    }
    fn joined_b(&mut self, j: usize, i: usize) -> f32 {
        let a = &self.a.parts;
        joined_similarity(&self.b.parts[j], &a[i], &a[i + 1])
    }
}

/// [`align`] with the part similarities supplied by `sims`.
fn align_with(
    a: &PreparedName,
    b: &PreparedName,
    explain: Option<&mut Vec<String>>,
    sims: &mut impl PartSimilarities,
) -> Features {
    let (n, m) = (a.parts.len(), b.parts.len());
    if n == 0 || m == 0 {
        return Features::default();
    }
    // The candidate pairs: one allocation of the size needed (a fixed buffer for the largest names
    // cost more to zero than the whole alignment); the other buffers are small and fixed.
    let mut pairs: Vec<Link> = Vec::with_capacity((3 * n * m).min(MAX_LINKS));
    let mut push = |l: Link| {
        if pairs.len() < MAX_LINKS {
            pairs.push(l);
        }
    };
    let mut best_a = [0f32; MAX_PARTS];
    let mut best_b = [0f32; MAX_PARTS];
    for (i, _) in a.parts.iter().enumerate() {
        for (j, _) in b.parts.iter().enumerate() {
            let s = sims.sim(i, j);
            best_a[i] = best_a[i].max(s);
            best_b[j] = best_b[j].max(s);
            if s >= ALIGN_MIN {
                push(Link {
                    s,
                    i,
                    la: 1,
                    j,
                    lb: 1,
                });
            }
        }
    }
    // Parts written joined on one side and apart on the other.
    for (i, _) in a.parts.iter().enumerate() {
        if best_a[i] >= 0.97 {
            continue;
        }
        for j in 0..m.saturating_sub(1) {
            let s = sims.joined_a(i, j);
            if s >= 0.85 && s > best_a[i] + 0.03 {
                push(Link {
                    s,
                    i,
                    la: 1,
                    j,
                    lb: 2,
                });
            }
        }
    }
    for (j, _) in b.parts.iter().enumerate() {
        if best_b[j] >= 0.97 {
            continue;
        }
        for i in 0..n.saturating_sub(1) {
            let s = sims.joined_b(j, i);
            if s >= 0.85 && s > best_b[j] + 0.03 {
                push(Link {
                    s,
                    i,
                    la: 2,
                    j,
                    lb: 1,
                });
            }
        }
    }
    // Best similarity first; among equals, the pair closest in position (from either end), then the
    // heavier pair.
    let offset = |l: &Link| -> usize {
        let from_start = l.i.abs_diff(l.j);
        let from_end = (n - l.i - l.la).abs_diff(m - l.j - l.lb);
        from_start.min(from_end)
    };
    pairs.sort_unstable_by(|x, y| {
        let wx = x.s * span_weight(a, x.i, x.la).max(span_weight(b, x.j, x.lb));
        let wy = y.s * span_weight(a, y.i, y.la).max(span_weight(b, y.j, y.lb));
        y.s.total_cmp(&x.s)
            .then(offset(x).cmp(&offset(y)))
            .then(wy.total_cmp(&wx))
    });
    let mut used_a = [false; MAX_PARTS];
    let mut used_b = [false; MAX_PARTS];
    let mut chosen_buf = [Link::default(); MAX_PARTS];
    let mut nc = 0usize;
    for l in pairs.iter() {
        if used_a[l.i..l.i + l.la].iter().any(|u| *u) || used_b[l.j..l.j + l.lb].iter().any(|u| *u)
        {
            continue;
        }
        // Lineage keeps its order: a pair that touches a nasab part must not cross another pair.
        let ordered = is_ordered(a.parts[l.i].role) || is_ordered(b.parts[l.j].role);
        if chosen_buf[..nc].iter().any(|c| {
            let crosses = (c.i < l.i) != (c.j < l.j);
            crosses && (ordered || is_ordered(a.parts[c.i].role) || is_ordered(b.parts[c.j].role))
        }) {
            continue;
        }
        used_a[l.i..l.i + l.la].iter_mut().for_each(|u| *u = true);
        used_b[l.j..l.j + l.lb].iter_mut().for_each(|u| *u = true);
        chosen_buf[nc] = *l;
        nc += 1;
        if nc == MAX_PARTS {
            break;
        }
    }
    let chosen = &mut chosen_buf[..nc];
    let mut wsum = 0.0;
    let mut ssum = 0.0;
    let mut worst: f32 = 1.0;
    let mut skel = 0.0;
    let mut rare = 0.0f32;
    let mut info = 0.0f32;
    for l in chosen.iter() {
        let (wa, wb) = (span_weight(a, l.i, l.la), span_weight(b, l.j, l.lb));
        let w = wa.max(wb);
        if l.la == 1 && l.lb == 1 && a.parts[l.i].skel == b.parts[l.j].skel || l.s >= 0.97 {
            skel += w;
        }
        wsum += w;
        ssum += w * l.s;
        worst = worst.min(l.s);
        // Informativeness from the commoner side: an unattested spelling of a common name (weighing as
        // a rare one) must not make the agreement look rare.
        let inf = l.s * ((wa.min(wb) - 0.5) / 2.5).clamp(0.0, 1.0);
        rare = rare.max(inf);
        info += inf;
    }
    let matched = if wsum > 0.0 { ssum / wsum } else { 0.0 };
    let skeleton = if wsum > 0.0 { skel / wsum } else { 0.0 };
    if chosen.is_empty() {
        worst = 0.0;
    }
    let unused_a = |r: std::ops::Range<usize>| -> f32 {
        r.filter(|&i| !used_a[i]).map(|i| a.parts[i].weight).sum()
    };
    let unused_b = |r: std::ops::Range<usize>| -> f32 {
        r.filter(|&j| !used_b[j]).map(|j| b.parts[j].weight).sum()
    };
    let miss_a: f32 = unused_a(0..n) / a.total;
    let miss_b: f32 = unused_b(0..m) / b.total;
    // A gap holding only generic words on both sides is no substitution (*Money Exchange Office* /
    // مكتب … للصرافة, *company* / *group*): organisation names translate and swap them freely. A generic
    // word against a specific part still is (*Hamza Brigade* is not *Hamzah al-Khalidi*).
    let specific = |p: &PreparedName, used: &[bool], r: std::ops::Range<usize>| -> bool {
        r.into_iter().any(|k| !used[k] && !p.parts[k].generic)
    };
    let gap = |ra: std::ops::Range<usize>, rb: std::ops::Range<usize>| -> f32 {
        if specific(a, &used_a, ra.clone()) || specific(b, &used_b, rb.clone()) {
            unused_a(ra).min(unused_b(rb))
        } else {
            0.0
        }
    };
    // Substitutions: the gaps between order-keeping aligned pairs where both names have a part the other
    // lacks (*Qusay* / *Hala* Saddam Hussein) — a different given name, not a missing one.
    let mut anchors = [Link::default(); MAX_PARTS];
    anchors[..nc].copy_from_slice(chosen);
    anchors[..nc].sort_unstable_by_key(|l| l.i);
    let mut mono_buf = [Link::default(); MAX_PARTS];
    let mut nm = 0usize;
    for &l in &anchors[..nc] {
        if nm == 0 || l.j >= mono_buf[nm - 1].j + mono_buf[nm - 1].lb {
            mono_buf[nm] = l;
            nm += 1;
        }
    }
    let mono = &mono_buf[..nm];
    let mut subst = 0.0f32;
    let mut head_subst = 0.0f32;
    let (mut pa, mut pb) = (0usize, 0usize);
    for (k, l) in mono.iter().enumerate() {
        let g = gap(pa..l.i, pb..l.j);
        if k == 0 {
            head_subst = g;
        }
        subst += g;
        pa = l.i + l.la;
        pb = l.j + l.lb;
    }
    let tail = gap(pa..n, pb..m);
    if mono.is_empty() {
        head_subst = tail;
    }
    subst += tail;
    let a_short = a.total <= b.total;
    let (miss_short, miss_long) = if a_short {
        (miss_a, miss_b)
    } else {
        (miss_b, miss_a)
    };
    // The most informative part of the shorter name and how well it matched.
    let short = if a_short { a } else { b };
    let key_idx = short
        .parts
        .iter()
        .enumerate()
        .max_by(|x, y| x.1.weight.total_cmp(&y.1.weight))
        .map(|(k, _)| k)
        .unwrap_or(0);
    let key_part = chosen
        .iter()
        .find(|l| {
            if a_short {
                (l.i..l.i + l.la).contains(&key_idx)
            } else {
                (l.j..l.j + l.lb).contains(&key_idx)
            }
        })
        .map(|l| l.s)
        .unwrap_or(0.0);
    let whole = jaro_winkler(a.whole.as_bytes(), b.whole.as_bytes());
    let matched_abs = (ssum / 4.0).min(1.0);
    // First and last parts, generic words aside: *Haqqani Network* and شبكة حقاني both begin and end
    // with *Haqqani*.
    let ends = |p: &PreparedName| -> (usize, usize) {
        let first = p.parts.iter().position(|x| !x.generic).unwrap_or(0);
        let last = p
            .parts
            .iter()
            .rposition(|x| !x.generic)
            .unwrap_or(p.parts.len() - 1);
        (first, last)
    };
    let ((first_a, last_a), (first_b, last_b)) = (ends(a), ends(b));
    let covers = |start: usize, len: usize, k: usize| (start..start + len).contains(&k);
    let last = chosen
        .iter()
        .find(|l| covers(l.i, l.la, last_a) && covers(l.j, l.lb, last_b))
        .map(|l| l.s)
        .unwrap_or(0.0);
    let strong = (chosen.iter().filter(|l| l.s >= 0.9).count() as f32 / 4.0).min(1.0);
    let conflict = ((miss_a * a.total).min(miss_b * b.total) / 4.0).min(1.0);
    let head = chosen
        .iter()
        .find(|l| covers(l.i, l.la, first_a) && covers(l.j, l.lb, first_b))
        .map(|l| l.s)
        .unwrap_or(0.0);
    let unmatched_abs = ((miss_a * a.total + miss_b * b.total) / 8.0).min(1.0);
    if let Some(out) = explain {
        chosen.sort_by_key(|l| l.i);
        for l in chosen.iter() {
            let (pa, pb) = (&a.parts[l.i], &b.parts[l.j]);
            if l.la > 1 || l.lb > 1 {
                let join = |p: &PreparedName, s: usize, len: usize| {
                    p.parts[s..s + len]
                        .iter()
                        .map(|x| x.norm.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                out.push(format!(
                    "{}~{}: written joined vs apart ({:.2})",
                    join(a, l.i, l.la),
                    join(b, l.j, l.lb),
                    l.s
                ));
            } else if l.s >= 1.0 {
                out.push(format!("{} matched", role_label(pa.role)));
            } else if pa.role == Role::Initial || pb.role == Role::Initial {
                out.push(format!("initial {}~{}", pa.norm, pb.norm));
            } else if pa.is_arabic() != pb.is_arabic() {
                out.push(format!(
                    "{}~{}: Arabic script vs Latin ({:.2})",
                    pa.norm, pb.norm, l.s
                ));
            } else {
                out.push(format!("{} ({:.2})", explain_diff(pa, pb), l.s));
            }
            if pa.article != pb.article {
                out.push(format!(
                    "article al- absent on {}",
                    if pa.article { &pb.norm } else { &pa.norm }
                ));
            }
        }
        if head_subst > 0.0 {
            out.push("first names differ".to_string());
        }
        for (i, p) in a.parts.iter().enumerate() {
            if !used_a[i] {
                out.push(format!(
                    "{} missing: {} (from first name)",
                    role_label(p.role),
                    p.norm
                ));
            }
        }
        for (j, p) in b.parts.iter().enumerate() {
            if !used_b[j] {
                out.push(format!(
                    "{} missing: {} (from second name)",
                    role_label(p.role),
                    p.norm
                ));
            }
        }
    }
    Features {
        matched,
        worst,
        miss_short,
        miss_long,
        whole,
        key_part,
        matched_abs,
        unmatched_abs,
        head,
        conflict,
        skeleton,
        last,
        strong,
        subst: (subst / 4.0).min(1.0),
        head_subst: if head_subst > 0.0 { 1.0 } else { 0.0 },
        any_subst: if subst > 0.0 { 1.0 } else { 0.0 },
        rare,
        info: (info / 3.0).min(1.0),
    }
}

/// The raw features of two names (for calibration; most callers want [`compare`]).
pub fn features(a: &str, b: &str) -> Features {
    align(&prepare(a), &prepare(b), None)
}

/// The raw features of two prepared names.
pub fn features_prepared(a: &PreparedName, b: &PreparedName) -> Features {
    align(a, b, None)
}

/// Compares two prepared names; `explain` asks for the explanation strings.
pub fn compare_prepared(a: &PreparedName, b: &PreparedName, explain: bool) -> Comparison {
    let mut notes = Vec::new();
    if a.is_empty() || b.is_empty() {
        if explain {
            notes.push("nothing to compare".to_string());
        }
        return Comparison {
            score: 0.0,
            explanation: notes,
        };
    }
    let f = align(a, b, if explain { Some(&mut notes) } else { None });
    let score = Calibration::builtin().probability(&f).clamp(0.0, 1.0);
    Comparison {
        score,
        explanation: notes,
    }
}

/// The probability given to two names that are identical once normalised: the calibrated model scores
/// pairs by their differences, and must never rank a near-variant above the very same name.
pub const IDENTICAL_SCORE: f32 = 0.99;

/// [`IDENTICAL_SCORE`] as log-odds.
const IDENTICAL_LOGIT: f32 = 4.595_12;

/// Scores how likely two names (Latin or Arabic script) denote the same bearer; see the module docs.
///
/// Names identical after normalisation score at least [`IDENTICAL_SCORE`]:
/// ```
/// assert!(nisba::compare("Kazimi", "KAZIMI").score >= nisba::compare("Kazimi", "Kazeem").score);
/// ```
pub fn compare(a: &str, b: &str) -> Comparison {
    compare_with(a, b, true)
}

/// [`compare`]'s score alone (no explanation is built).
pub(crate) fn compare_score(a: &str, b: &str) -> f32 {
    compare_with(a, b, false).score
}

fn compare_with(a: &str, b: &str, explain: bool) -> Comparison {
    let (pa, pb) = (prepare(a), prepare(b));
    let mut c = compare_prepared(&pa, &pb, explain);
    if c.score < IDENTICAL_SCORE && !pa.norm.is_empty() && pa.norm == pb.norm {
        c.score = IDENTICAL_SCORE;
        if explain {
            c.explanation
                .insert(0, "identical after normalisation".into());
        }
    }
    c
}

/// Options for [`Gazetteer::resolve`].
#[derive(Debug, Clone, PartialEq)]
pub struct ResolveOptions {
    /// At most this many candidates are returned (default 10).
    pub limit: usize,
    /// Candidates scoring below this are dropped (default 0.0).
    pub score_cutoff: f32,
    /// Only entities of this kind.
    pub kind: Option<Kind>,
    /// Only entities with this ISO 3166-1 alpha-2 country (case-insensitive).
    pub country: Option<String>,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions {
            limit: 10,
            score_cutoff: 0.0,
            kind: None,
            country: None,
        }
    }
}

/// One ranked entity from [`Gazetteer::resolve`].
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Entity index in the gazetteer.
    pub idx: u32,
    /// Entity id.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Entity kind.
    pub kind: Kind,
    /// [`compare`] score against the best-matching name of the entity.
    pub score: f32,
    /// The entity name (canonical or alias) that matched best.
    pub matched_alias: String,
    /// The explanation of that comparison.
    pub explanation: Vec<String>,
}

/// A hash map with FxHash (entity indices and part keys: no untrusted collisions to fear per query).
type FxHashMap<K, V> = std::collections::HashMap<K, V, rustc_hash::FxBuildHasher>;

/// A part of a candidate's name as a memo key: hashed on its precomputed `sim_hash`, equal when every
/// field [`part_similarity`] and [`joined_similarity`] read is equal (so the memo never conflates parts
/// they could tell apart).
struct PartKey<'a>(&'a Part);

impl std::hash::Hash for PartKey<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        h.write_u64(self.0.sim_hash);
    }
}

impl PartialEq for PartKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.same_for_similarity(other.0)
    }
}

impl Eq for PartKey<'_> {}

/// The part similarities of one query against its candidates' names, memoised per distinct part:
/// candidates share given names, articles and family names, and the part comparisons dominate
/// [`align`]. Results are the same as calling [`align`] directly.
struct SimilarityMemo<'q, 'c> {
    query: &'q PreparedName,
    /// Distinct candidate part → its id (the index of its rows below).
    ids: FxHashMap<PartKey<'c>, u32>,
    /// By part id: [`part_similarity`] of each query part to it.
    sims: Vec<[f32; MAX_PARTS]>,
    /// By part id: its [`joined_similarity`] to each adjacent pair of query parts (NaN until asked
    /// for: align asks only about parts without a near-exact match).
    joined_b: Vec<[f32; MAX_PARTS]>,
    /// By the ids of two adjacent candidate parts: [`joined_similarity`] of each query part to them
    /// (NaN until asked for).
    joined_a: FxHashMap<(u32, u32), [f32; MAX_PARTS]>,
}

/// [`SimilarityMemo`] bound to the candidate name being aligned.
struct MemoFor<'m, 'q, 'c> {
    memo: &'m mut SimilarityMemo<'q, 'c>,
    name: &'c PreparedName,
    /// Part ids of the name's parts.
    ids: [u32; MAX_PARTS],
}

impl PartSimilarities for MemoFor<'_, '_, '_> {
    fn sim(&mut self, i: usize, j: usize) -> f32 {
        self.memo.sims[self.ids[j] as usize][i]
    }
    fn joined_a(&mut self, i: usize, j: usize) -> f32 {
        let (x, y) = (&self.name.parts[j], &self.name.parts[j + 1]);
        let q = &self.memo.query.parts[i];
        let row = self
            .memo
            .joined_a
            .entry((self.ids[j], self.ids[j + 1]))
            .or_insert([f32::NAN; MAX_PARTS]);
        if row[i].is_nan() {
            row[i] = joined_similarity(q, x, y);
        }
        row[i]
    }
    fn joined_b(&mut self, j: usize, i: usize) -> f32 {
        let q = &self.memo.query.parts;
        let cell = &mut self.memo.joined_b[self.ids[j] as usize][i];
        if cell.is_nan() {
            *cell = joined_similarity(&self.name.parts[j], &q[i], &q[i + 1]);
        }
        *cell
    }
}

impl<'q, 'c> SimilarityMemo<'q, 'c> {
    fn new(query: &'q PreparedName) -> Self {
        SimilarityMemo {
            query,
            ids: FxHashMap::with_capacity_and_hasher(128, Default::default()),
            sims: Vec::with_capacity(128),
            joined_b: Vec::with_capacity(128),
            joined_a: FxHashMap::default(),
        }
    }

    /// `align(query, name, explain)`.
    fn align(&mut self, name: &'c PreparedName, explain: Option<&mut Vec<String>>) -> Features {
        let query = self.query;
        let mut ids = [0u32; MAX_PARTS];
        for (id, part) in ids.iter_mut().zip(&name.parts) {
            let next = self.sims.len() as u32;
            *id = *self.ids.entry(PartKey(part)).or_insert(next);
            if *id == next {
                let mut row = [0.0; MAX_PARTS];
                for (cell, q) in row.iter_mut().zip(&query.parts) {
                    *cell = part_similarity(q, part);
                }
                self.sims.push(row);
                self.joined_b.push([f32::NAN; MAX_PARTS]);
            }
        }
        let mut with = MemoFor {
            memo: self,
            name,
            ids,
        };
        align_with(query, name, explain, &mut with)
    }
}

fn max_edits_for(key: &str) -> u32 {
    match key.chars().count() {
        0..=4 => 0,
        5..=9 => 1,
        _ => 2,
    }
}

impl<D: AsRef<[u8]>> Gazetteer<D> {
    /// Ranked candidate entities for a name (see the module docs). Empty or punctuation-only input gives
    /// no candidates; long input is cut at [`MAX_NAME_BYTES`].
    pub fn resolve(&self, name: &str, opts: &ResolveOptions) -> Vec<Candidate> {
        let name = cut(name);
        let query = prepare(name);
        if query.is_empty() || opts.limit == 0 {
            return Vec::new();
        }
        // Candidate entities with the evidence that found them: whole-name hits (exact, keys, fuzzy)
        // count most, then each query part that hits the entity, by its informativeness.
        let mut evidence: FxHashMap<u32, f32> =
            FxHashMap::with_capacity_and_hasher(256, Default::default());
        let add = |idx: u32, w: f32, evidence: &mut FxHashMap<u32, f32>| {
            *evidence.entry(idx).or_insert(0.0) += w;
        };
        // Every whole-name hit (exact, strict, loose or fuzzy) also counts once in `found`.
        let mut found: Vec<u32> = Vec::new();
        for idx in self.lookup(name) {
            add(idx, 100.0, &mut evidence);
            found.push(idx);
        }
        let strict = crate::key::strict_key(name);
        let loose = crate::key::loose_key(name);
        if !strict.is_empty() {
            for idx in self.by_strict_key(&strict) {
                add(idx, 50.0, &mut evidence);
                found.push(idx);
            }
        }
        if !loose.is_empty() {
            for idx in self.by_loose_key(&loose) {
                add(idx, 20.0, &mut evidence);
                found.push(idx);
            }
            // The edit-distance automaton is the fallback of the cascade: a name that one of the
            // lookups above found needs no near-miss keys (and the walk costs most of a lookup).
            if found.is_empty() {
                self.fuzzy_loose(&loose, max_edits_for(&loose), &mut found);
            }
            found.sort_unstable();
            found.dedup();
            for &idx in &found {
                add(idx, 10.0, &mut evidence);
            }
        }
        // Per-part lookups (the part and a few spelling variants), most informative parts first.
        let mut parts: Vec<&Part> = query
            .parts
            .iter()
            .filter(|p| p.role != Role::Initial)
            .collect();
        parts.sort_by(|x, y| y.weight.total_cmp(&x.weight));
        // Spelling variants are expanded for the most informative part only.
        let mut informative = true;
        let mut looked_up = 0usize;
        for p in parts {
            if looked_up >= MAX_CANDIDATES * 4 {
                break;
            }
            let mut keys = vec![crate::key::loose_key(&p.norm)];
            if informative && p.role != Role::Kunya {
                let vopts = crate::variants::VariantOptions {
                    limit: PART_VARIANTS,
                    region: None,
                };
                for v in crate::variants::variants(&p.norm, &vopts) {
                    keys.push(crate::key::loose_key(&v.text));
                }
                keys.sort_unstable();
                keys.dedup();
            }
            let mut hit_by_part: Vec<u32> = Vec::new();
            for key in keys.iter().filter(|k| !k.is_empty()) {
                let room = (MAX_CANDIDATES * 4).saturating_sub(looked_up);
                let hits = self.by_part_key_upto(key, room);
                looked_up += hits.len();
                hit_by_part.extend(hits);
            }
            hit_by_part.sort_unstable();
            hit_by_part.dedup();
            for idx in hit_by_part {
                add(idx, p.weight, &mut evidence);
            }
            informative = false;
        }
        // Spellings written joined or apart: a part with the article joined (`ALDAWLA` → `dawla`), a
        // compound written as one word (`SHAFI'INASAB` → `shafii` + `nasab`, both halves required) and two
        // adjacent parts written apart (`AL GUNADE` → `algunade`).
        let room = (MAX_CANDIDATES * 4).saturating_sub(looked_up);
        for (entity, w) in self.joined_or_apart(&query, room) {
            add(entity, w, &mut evidence);
        }
        // Only the best-supported candidates are scored in full.
        let mut ranked: Vec<(u32, f32)> = evidence.into_iter().collect();
        let by_support = |x: &(u32, f32), y: &(u32, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
        let keep = MAX_SCORED.max(opts.limit);
        if ranked.len() > keep {
            ranked.select_nth_unstable_by(keep, by_support);
            ranked.truncate(keep);
        }
        ranked.sort_unstable_by(by_support);

        let cal = Calibration::builtin();
        let country = opts.country.as_deref().map(str::to_ascii_uppercase);
        // The candidates of `ranked` that pass the filters, with their prepared names (held for the
        // whole query: the similarity memo borrows their parts).
        let admit = |ranked: &[(u32, f32)]| -> Vec<(u32, f32, PreparedNames)> {
            let mut out = Vec::with_capacity(ranked.len());
            for &(idx, _) in ranked {
                let Ok(e) = self.try_entity(idx) else {
                    continue;
                };
                if opts.kind.is_some_and(|k| k != e.kind()) {
                    continue;
                }
                if let Some(c) = &country {
                    if !e.countries().any(|x| x.eq_ignore_ascii_case(c)) {
                        continue;
                    }
                }
                let prepared = self.prepared_cache().get_or_prepare(idx, e.names());
                out.push((idx, e.prior(), prepared));
            }
            out
        };
        // Rescoring window: the best-supported `window` candidates are scored first; the rest only if
        // none of those is already a confident match (below it they fill the lower ranks, never the
        // first, and cost most of a query).
        let window = (2 * opts.limit).max(RESCORE_WINDOW).min(ranked.len());
        let first = admit(&ranked[..window]);
        let rest: Vec<(u32, f32, PreparedNames)>;
        let mut memo = SimilarityMemo::new(&query);
        // (rank, score, entity, the entity's prepared names, the best one's position among them)
        let mut scored: Vec<(f32, f32, u32, &PreparedNames, usize)> = Vec::new();
        let mut top = 0.0f32;
        for (idx, prior, prepared) in &first {
            let Some(s) = Self::score_entity(&query, &mut memo, cal, prepared, *prior, opts) else {
                continue;
            };
            top = top.max(s.1);
            scored.push((s.0, s.1, *idx, prepared, s.2));
        }
        if top < CONFIDENT_SCORE && window < ranked.len() {
            rest = admit(&ranked[window..]);
            for (idx, prior, prepared) in &rest {
                if let Some(s) = Self::score_entity(&query, &mut memo, cal, prepared, *prior, opts)
                {
                    scored.push((s.0, s.1, *idx, prepared, s.2));
                }
            }
        }
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.2.cmp(&y.2)));
        scored.truncate(opts.limit);
        scored
            .into_iter()
            .map(|(_, score, idx, prepared, k)| {
                let e = self.entity(idx);
                let alias = e.names().nth(k).unwrap_or_default().to_string();
                let p = &prepared[k];
                // `compare_prepared(&query, p, true)` (both names are non-empty), from the memo.
                let mut explanation = Vec::new();
                memo.align(p, Some(&mut explanation));
                if !query.norm.is_empty() && p.norm == query.norm {
                    explanation.insert(0, "identical after normalisation".into());
                }
                Candidate {
                    idx,
                    id: e.id().to_string(),
                    name: e.name().to_string(),
                    kind: e.kind(),
                    score,
                    matched_alias: alias,
                    explanation,
                }
            })
            .collect()
    }

    /// The rank (log-odds plus the prior as a tie-breaker), score and best name (its position among the
    /// entity's names) of one candidate, or `None` when it has no comparable name or scores below the
    /// cutoff.
    fn score_entity<'c>(
        query: &PreparedName,
        memo: &mut SimilarityMemo<'_, 'c>,
        cal: &Calibration,
        prepared: &'c PreparedNames,
        prior: f32,
        opts: &ResolveOptions,
    ) -> Option<(f32, f32, usize)> {
        let mut best = (f32::NEG_INFINITY, 0usize);
        for (alias, p) in prepared.iter().enumerate() {
            if p.is_empty() {
                continue;
            }
            let mut z = cal.logit(&memo.align(p, None));
            // The alias written exactly like the query (same script) is the one reported, and it
            // scores at least IDENTICAL_SCORE: no near-variant outranks the very same name.
            if !query.norm.is_empty() && p.norm == query.norm {
                z = z.max(best.0 + 1e-3).max(IDENTICAL_LOGIT);
            }
            if z > best.0 {
                best = (z, alias);
            }
        }
        if best.0 == f32::NEG_INFINITY {
            return None;
        }
        let score = 1.0 / (1.0 + (-best.0).exp());
        if score < opts.score_cutoff {
            return None;
        }
        // Rank on the log-odds (probabilities saturate near 1); the prior breaks near-ties.
        Some((best.0 + 0.1 * prior.clamp(0.0, 1.0), score, best.1))
    }

    /// Candidates for the query's parts written joined or apart in the gazetteer's names (see
    /// [`Gazetteer::resolve`]), each with the weight of the query part it stands for; at most `room`
    /// postings are read.
    fn joined_or_apart(&self, query: &PreparedName, mut room: usize) -> Vec<(u32, f32)> {
        let mut out = Vec::new();
        let take = |key: &str, room: &mut usize| -> Vec<u32> {
            let hits = self.by_part_key_upto(key, *room);
            *room = room.saturating_sub(hits.len());
            hits
        };
        for (i, p) in query.parts.iter().enumerate() {
            if p.role == Role::Initial || p.generic || room == 0 {
                continue;
            }
            if !p.is_arabic() {
                if let Some(rest) = joined_article(p.norm.as_bytes()) {
                    // `joined_article` cuts two ASCII letters: `rest` is the part's own text.
                    let key = crate::key::loose_key(&p.norm[p.norm.len() - rest.len()..]);
                    for idx in take(&key, &mut room) {
                        out.push((idx, p.weight));
                    }
                }
            }
            if let Some(next) = query.parts.get(i + 1) {
                if next.role != Role::Initial && p.is_arabic() == next.is_arabic() {
                    let key = crate::key::loose_key(&format!("{}{}", p.norm, next.norm));
                    for idx in take(&key, &mut room) {
                        out.push((idx, p.weight.max(next.weight)));
                    }
                }
            }
            // Split points leaving at least three letters on each side; each distinct pair of halves'
            // keys once, and only where the gazetteer has both.
            const HALF: usize = 3;
            let chars: Vec<(usize, char)> = p.norm.char_indices().collect();
            if chars.len() < 2 * HALF {
                continue;
            }
            let mut tried: Vec<(String, String)> = Vec::new();
            for &(at, _) in &chars[HALF..=chars.len() - HALF] {
                let (a, b) = p.norm.split_at(at);
                let pair = (crate::key::loose_key(a), crate::key::loose_key(b));
                // A one-letter key (*awes* → `s`) is common: the pair must be specific together.
                if pair.0.is_empty()
                    || pair.1.is_empty()
                    || pair.0.len() + pair.1.len() < 4
                    || tried.contains(&pair)
                {
                    continue;
                }
                if self.has_part_key(&pair.0) && self.has_part_key(&pair.1) {
                    let mut left = take(&pair.0, &mut room);
                    let right = take(&pair.1, &mut room);
                    left.sort_unstable();
                    for idx in right {
                        if left.binary_search(&idx).is_ok() {
                            out.push((idx, p.weight));
                        }
                    }
                }
                tried.push(pair);
                if tried.len() >= MAX_SPLITS {
                    break;
                }
            }
        }
        out.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)));
        out.dedup_by_key(|x| x.0);
        out
    }

    /// [`Gazetteer::resolve`] for many names in parallel (rayon); results in input order.
    pub fn resolve_batch(&self, names: &[&str], opts: &ResolveOptions) -> Vec<Vec<Candidate>>
    where
        D: Sync + Send,
    {
        names.par_iter().map(|n| self.resolve(n, opts)).collect()
    }
}

/// True when the lexicon knows `word` (a Latin name word, any case, article allowed) as a
/// non-marginal attested spelling of an Arabic name unit.
pub(crate) fn is_lexicon_name(word: &str) -> bool {
    lex_ids()
        .by_latin
        .contains_key(crate::translit::lexicon::latin_lookup_key(word).as_str())
}

/// True when the lexicon knows both Latin words as spellings of Arabic name units and they share none:
/// different names however close their letters (*Karim* كريم vs *Akram* أكرم, *Ahmed* أحمد vs *Hamad*
/// حمد), while *Kazemi* and *Kadhimi* (كاظمي) are one.
pub(crate) fn lexicon_distinct(a: &str, b: &str) -> bool {
    let ids = &lex_ids().by_latin;
    let key = crate::translit::lexicon::latin_lookup_key;
    match (ids.get(key(a).as_str()), ids.get(key(b).as_str())) {
        (Some(x), Some(y)) => !shares(x, y),
        _ => false,
    }
}

/// True for a generic organisation word (*brigades*, *party*, *kata'ib*…), normalised.
pub(crate) fn is_generic_word(norm: &str) -> bool {
    GENERIC_WORDS.contains(&norm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_fold_digraphs_and_doubles() {
        assert_eq!(fold("kadhimi"), b"kaDimi");
        assert_eq!(fold("khazaali"), b"xazali");
        assert_eq!(fold("fatimah"), b"fatima");
        assert_eq!(fold("youssef"), b"yusef");
        assert_eq!(skeleton(&fold("kazemi")), skeleton(&fold("kadhimi")));
        // Vowels are not in the skeleton: Hassan and Hussein are told apart by the edit distance.
        assert_eq!(skeleton(&fold("hassan")), skeleton(&fold("hussein")));
        assert_ne!(skeleton(&fold("hassan")), skeleton(&fold("hamid")));
    }

    #[test]
    fn resolve_weighted_distance_is_cheap_within_classes() {
        let d = |a: &str, b: &str| weighted_distance(&fold(a), &fold(b), f32::INFINITY);
        assert_eq!(d("salman", "salman"), 0.0);
        assert!(d("kadhimi", "kazimi") < 0.5);
        assert!(d("qais", "kais") < 0.5);
        assert!(d("hassan", "hussein") > d("husayn", "hussein"));
        assert!(d("salman", "muhammad") > 3.0);
    }

    #[test]
    fn resolve_calibration_table_parses() {
        let cal = Calibration::parse(include_str!("../data/calibration.tsv")).expect("table");
        assert!(cal.weights.iter().all(|w| w.is_finite()));
        assert!(Calibration::parse("bias\t1\n").is_err());
        assert!(Calibration::parse("bias\tx\n").is_err());
        assert!(Calibration::parse("nonsense\t1\n").is_err());
    }

    #[test]
    fn resolve_long_input_is_bounded() {
        let long = "Muhammad ".repeat(2000);
        let p = prepare(&long);
        assert!(p.parts.len() <= MAX_PARTS);
        assert!(compare(&long, "Muhammad").score <= 1.0);
    }
}
