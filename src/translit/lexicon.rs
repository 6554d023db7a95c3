//! The embedded name lexicon (`data/lexicon/units.tsv`, built by `data/sources/lexicon.py`): attested
//! Latin spellings of Arabic name units with counts, parsed once on first use.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Maps keyed by short strings looked up on the hot path: FNV instead of SipHash.
pub(crate) type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

const UNITS: &str = include_str!("../../data/lexicon/units.tsv");
const HELDOUT: &str = include_str!("../../data/lexicon/heldout.tsv");
const FREQ: &str = include_str!("../../data/lexicon/freq.tsv");

/// The environment variable that keeps the held-out 20 % of the lexicon (`data/lexicon/heldout.tsv`)
/// out of every table, for `benches/eval_translit.py` and `benches/peers_translit.py` only: set to a
/// non-empty value other than `0` before the first transliteration of the process. The library
/// otherwise uses every attested spelling (it must know *Khalid* خالد and *Ahmed* احمد, which the
/// deterministic split happens to hold out).
pub const TRAIN_ONLY_ENV: &str = "NISBA_LEXICON_TRAIN_ONLY";

/// Whether the held-out units are left out (see [`TRAIN_ONLY_ENV`]); read once per process.
fn train_only() -> bool {
    static T: OnceLock<bool> = OnceLock::new();
    *T.get_or_init(|| std::env::var_os(TRAIN_ONLY_ENV).is_some_and(|v| !v.is_empty() && v != "0"))
}

/// The lexicon's rows (`arabic latin count role countries`, header and blank lines included): the
/// training part, then the held-out part unless [`TRAIN_ONLY_ENV`] is set. A form's rows are all in
/// one of the two files.
pub(crate) fn unit_lines() -> impl Iterator<Item = &'static str> {
    let held = if train_only() { "" } else { HELDOUT };
    UNITS.lines().chain(held.lines())
}

/// Attestation counts of name parts: `data/lexicon/freq.tsv` (training part), plus the counts of the
/// held-out rows under the same keys unless [`TRAIN_ONLY_ENV`] is set. Parsed on first use.
fn freq() -> &'static HashMap<Cow<'static, str>, u32> {
    static F: OnceLock<HashMap<Cow<'static, str>, u32>> = OnceLock::new();
    F.get_or_init(|| {
        let mut f: HashMap<Cow<'static, str>, u32> = FREQ
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (form, count) = l.split_once('\t')?;
                Some((Cow::Borrowed(form), count.parse().ok()?))
            })
            .collect();
        if !train_only() {
            for line in HELDOUT.lines().filter(|l| !l.starts_with('#')) {
                let mut cols = line.split('\t');
                let (Some(arabic), Some(latin), Some(Ok(count))) =
                    (cols.next(), cols.next(), cols.next().map(str::parse::<u32>))
                else {
                    continue;
                };
                for key in [arabic_freq_key(arabic), latin_lookup_key(latin)] {
                    if !key.is_empty() {
                        *f.entry(Cow::Owned(key)).or_default() += count;
                    }
                }
            }
        }
        f
    })
}

/// The frequency key of a folded Arabic form: without the article when two letters or more remain.
fn arabic_freq_key(folded: &str) -> String {
    match folded.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 2 => rest.to_string(),
        _ => folded.to_string(),
    }
}

/// How often a name part is attested in the lexicon's sources (Wikidata labels and the Algerian name
/// corpus): a measure of how common — and so how uninformative — the part is
/// (`Muhammad` ≫ `Kadhimi`). Latin parts are compared lower-cased, without the article and
/// non-letters; Arabic parts folded like [`crate::normalize()`] and without the article. Unknown parts
/// (and empty input) give 0.
///
/// ```
/// use nisba::translit::name_part_frequency as f;
/// assert!(f("Muhammad") > f("Kadhimi"));
/// assert!(f("al-Kadhimi") > 0);
/// assert_eq!(f("محمد"), f("مُحَمَّد"));
/// ```
pub fn name_part_frequency(part: &str) -> u32 {
    let part = part.trim();
    let key = if part.chars().any(super::is_arabic_letter) {
        arabic_freq_key(&fold_arabic(part))
    } else {
        latin_lookup_key(part)
    };
    freq().get(key.as_str()).copied().unwrap_or(0)
}

/// One attested spelling.
#[derive(Debug, Clone)]
pub(crate) struct Attested {
    /// The Latin spelling as attested (its most frequent casing).
    pub latin: &'static str,
    /// How often it was attested.
    pub count: u32,
    /// Up to three ISO country codes, most frequent first (comma-separated).
    pub countries: &'static str,
    /// The spelling as the alignment reads it: lower case, article removed, letters and `'` only.
    pub clean: Box<[u8]>,
    /// Alignment preference, lower first: e/o and doubled letters (regional vowels, noisy doubling),
    /// then more a/i/u (packed as `(eo + doubled) << 16 | (0xffff - aiu)`).
    pub align_rank: u32,
}

/// Latin → Arabic: one Arabic form (normalised, as in the table) with its count.
#[derive(Debug, Clone)]
pub(crate) struct ArabicForm {
    pub arabic: &'static str,
    pub count: u32,
}

pub(crate) struct Lexicon {
    /// Normalised Arabic form → attested spellings, most frequent first.
    pub by_arabic: FastMap<&'static str, Vec<Attested>>,
    /// Lower-cased Latin spelling without the article and without spaces/hyphens/apostrophes →
    /// Arabic forms, most frequent first.
    pub by_latin: FastMap<String, Vec<ArabicForm>>,
}

/// The lexicon, parsed on first use.
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut by_arabic: FastMap<&'static str, Vec<Attested>> = FastMap::default();
        let mut by_latin: FastMap<String, Vec<ArabicForm>> = FastMap::default();
        for line in unit_lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let mut f = line.split('\t');
            let (Some(arabic), Some(latin), Some(count)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<u32>() else {
                continue;
            };
            let _role = f.next();
            let countries = f.next().unwrap_or("");
            // Lexicon spellings are ASCII letters, spaces, ' and - (data/sources/lexicon.py), so lower
            // casing is all crate::normalize would do to them.
            let lower = latin.to_ascii_lowercase();
            let clean: Box<[u8]> = strip_latin_article(&lower)
                .bytes()
                .filter(|b| b.is_ascii_lowercase() || *b == b'\'')
                .collect();
            let eo = lower.bytes().filter(|b| matches!(b, b'e' | b'o')).count();
            let doubled = lower.as_bytes().windows(2).filter(|w| w[0] == w[1]).count();
            let aiu = lower
                .bytes()
                .filter(|b| matches!(b, b'a' | b'i' | b'u'))
                .count();
            let align_rank =
                (((eo + doubled).min(0xffff) as u32) << 16) | (0xffff - aiu.min(0xffff) as u32);
            by_arabic.entry(arabic).or_default().push(Attested {
                latin,
                count,
                countries,
                clean,
                align_rank,
            });
            by_latin
                .entry(latin_lookup_key(latin))
                .or_default()
                .push(ArabicForm { arabic, count });
        }
        for v in by_latin.values_mut() {
            v.sort_by(|a, b| b.count.cmp(&a.count).then(a.arabic.cmp(b.arabic)));
        }
        Lexicon {
            by_arabic,
            by_latin,
        }
    })
}

/// The lookup key of a Latin spelling: lower case, article removed, letters only.
pub(crate) fn latin_lookup_key(latin: &str) -> String {
    let lower = crate::normalize::normalize(latin);
    let core = strip_latin_article(&lower);
    core.chars().filter(|c| c.is_ascii_alphabetic()).collect()
}

/// Strips a leading Latin article (`al-`, `el-`, `al `, sun-letter forms) from a lower-case string.
pub(crate) fn strip_latin_article(s: &str) -> &str {
    for a in [
        "al-", "el-", "al ", "el ", "ad-", "ar-", "as-", "ash-", "at-", "az-", "an-", "ath-",
        "adh-", "ed-", "er-", "es-", "et-", "ez-", "en-",
    ] {
        if let Some(rest) = s.strip_prefix(a) {
            if rest.len() >= 2 {
                return rest;
            }
        }
    }
    s
}

/// Attested spellings of a normalised Arabic word: the word itself, then with the article removed or
/// added. Returns the spellings and whether the article had to be removed to find them.
pub(crate) fn attested(norm_word: &str) -> Option<&'static [Attested]> {
    let lex = lexicon();
    if let Some(v) = lex.by_arabic.get(norm_word) {
        return Some(v);
    }
    None
}

/// The lexicon's form of an Arabic word or phrase: the folds of `data/sources/lexicon.py` (harakat and
/// tatweel removed, alef and hamza seats → ا, ى ی ې → ي, ة ۀ ھ → ه, ک → ك, ؤ → و, ئ → ي), whitespace
/// collapsed. A fast, allocation-light equivalent of [`crate::normalize()`] on Arabic-script text.
pub(crate) fn fold_arabic(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        // No whitespace character is in the Arabic block: most characters skip the Unicode test.
        if !('\u{0600}'..='\u{06FF}').contains(&c) && c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        let Some(m) = fold_char(c) else {
            continue;
        };
        if space {
            out.push(' ');
            space = false;
        }
        out.push(m);
    }
    out
}

/// One character under the folds of [`fold_arabic`]; `None` for the marks it drops.
pub(crate) fn fold_char(c: char) -> Option<char> {
    Some(match c {
        '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => return None,
        '\u{06D6}'..='\u{06ED}' => return None,
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ى' | 'ی' | 'ې' | 'ئ' => 'ي',
        'ة' | 'ۀ' | 'ھ' | 'ە' => 'ه',
        'ک' => 'ك',
        'ؤ' => 'و',
        _ => c,
    })
}

/// `fold_arabic(word) == folded` for one word (no whitespace), without allocating.
pub(crate) fn fold_eq(word: &str, folded: &str) -> bool {
    word.chars().filter_map(fold_char).eq(folded.chars())
}
