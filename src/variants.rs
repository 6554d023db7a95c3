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

/// Spellings of one word, stored flat: every text in one buffer and every rule list in another, so a
/// word's spellings (up to [`WORD_BEAM`], cached per thread) cost a handful of allocations rather than
/// two each. While a word is built, `score` holds the raw lattice weight.
#[derive(Debug, Default)]
struct Spellings {
    text: String,
    rules: Vec<&'static str>,
    items: Vec<Item>,
}

/// One spelling of a [`Spellings`]: byte ranges into its buffers, and the score.
#[derive(Debug, Clone, Copy)]
struct Item {
    text: (usize, usize),
    rules: (usize, usize),
    score: f32,
}

impl Spellings {
    fn len(&self) -> usize {
        self.items.len()
    }

    fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn text(&self, i: usize) -> &str {
        let (a, b) = self.items[i].text;
        &self.text[a..b]
    }

    fn rules(&self, i: usize) -> &[&'static str] {
        let (a, b) = self.items[i].rules;
        &self.rules[a..b]
    }

    fn score(&self, i: usize) -> f32 {
        self.items[i].score
    }

    /// Closes the spelling whose text and rules were appended since `text_start` / `rules_start`.
    fn close(&mut self, text_start: usize, rules_start: usize, score: f32) {
        self.items.push(Item {
            text: (text_start, self.text.len()),
            rules: (rules_start, self.rules.len()),
            score,
        });
    }

    fn clear(&mut self) {
        self.text.clear();
        self.rules.clear();
        self.items.clear();
    }

    /// A copy of the first `n` spellings in buffers of their exact size.
    fn compact(&self, n: usize) -> Spellings {
        let items = &self.items[..n.min(self.items.len())];
        let mut out = Spellings {
            text: String::with_capacity(items.iter().map(|i| i.text.1 - i.text.0).sum()),
            rules: Vec::with_capacity(items.iter().map(|i| i.rules.1 - i.rules.0).sum()),
            items: Vec::with_capacity(items.len()),
        };
        for (k, it) in items.iter().enumerate() {
            let (t, r) = (out.text.len(), out.rules.len());
            out.text.push_str(self.text(k));
            out.rules.extend_from_slice(self.rules(k));
            out.close(t, r, it.score);
        }
        out
    }

    /// Sorts best first: by score, then by text.
    fn sort(&mut self) {
        let text = &self.text;
        self.items.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| text[a.text.0..a.text.1].cmp(&text[b.text.0..b.text.1]))
        });
    }
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
    // Each word's spellings are offered to every combination kept so far, so the best `n`
    // combinations of a name only ever extend the best `n` of its first words: `limit` of them, and
    // one more for a combination that turns out to be the input spelling (merged into it below).
    let beam_width = limit + 1;
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
    let per_word: Vec<Rc<Spellings>> = units
        .iter()
        .map(|w| cached_word_variants(w, opts.region))
        .filter(|v| !v.is_empty())
        .collect();
    let mut beam: Vec<(f32, Pick)> = Vec::with_capacity(beam_width);
    beam.push((1.0, Pick::default()));
    let mut next = Vec::with_capacity(beam_width);
    // Each pop pushes at most two cells: the heap never holds more than k + 1.
    let mut heap = BinaryHeap::with_capacity(beam_width + 1);
    for options in &per_word {
        k_best(&beam, options, beam_width, &mut heap, &mut next);
        std::mem::swap(&mut beam, &mut next);
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
            let o = &per_word[w];
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(o.text(i as usize));
            for r in o.rules(i as usize) {
                if !rules.contains(r) {
                    rules.push(r);
                }
            }
        }
        if text.is_empty() {
            continue;
        }
        let is_input = |l: &str| {
            l.len() == text.len()
                && if text.is_ascii() {
                    text.eq_ignore_ascii_case(l)
                } else {
                    text.chars().flat_map(char::to_lowercase).eq(l.chars())
                }
        };
        if input_lower.as_deref().is_some_and(is_input) {
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

/// The `k` best combinations into `out`; `heap` is scratch.
fn k_best(
    beam: &[(f32, Pick)],
    options: &Spellings,
    k: usize,
    heap: &mut BinaryHeap<Cell<usize, usize>>,
    out: &mut Vec<(f32, Pick)>,
) {
    out.clear();
    heap.clear();
    if beam.is_empty() || options.is_empty() {
        return;
    }
    if beam.len() == 1 {
        // A single beam entry (the first word of every name): the search below pops the options in
        // order, one at a time.
        let (score, pick) = beam[0];
        out.extend(
            options
                .items
                .iter()
                .take(k)
                .enumerate()
                .map(|(j, o)| (score * o.score, pick.with(j as u16))),
        );
        return;
    }
    heap.push(Cell(beam[0].0 * options.score(0), 0, 0));
    while let Some(Cell(score, i, j)) = heap.pop() {
        out.push((score, beam[i].1.with(j as u16)));
        if out.len() >= k {
            break;
        }
        // Each grid cell is reached once: down the first column, then along its row.
        if j == 0 && i + 1 < beam.len() {
            heap.push(Cell(beam[i + 1].0 * options.score(0), i + 1, 0));
        }
        if j + 1 < options.len() {
            heap.push(Cell(beam[i].0 * options.score(j + 1), i, j + 1));
        }
    }
}

const WORD_CACHE: usize = 1 << 12;

/// Per-thread memo of one word's spellings ([`crate::memo`]): one per region preference (no
/// preference first).
type WordCache = crate::memo::Memos<Rc<Spellings>, { 1 + Region::ALL.len() }>;

thread_local! {
    static WORD_VARIANTS: WordCache =
        std::cell::RefCell::new(std::array::from_fn(|_| crate::memo::WordMemo::new(WORD_CACHE)));
}

/// [`word_variants`], remembered per thread (names repeat a lot).
fn cached_word_variants(word: &str, region: Option<Region>) -> Rc<Spellings> {
    let slot = region.map_or(0, |r| 1 + r as usize);
    crate::memo::memoised(&WORD_VARIANTS, slot, word, || {
        Rc::new(word_variants(word, region))
    })
}

/// Spellings of one Arabic word: attested ones (score ≥ 0.5) and generated ones (< 0.5), best first.
fn word_variants(word: &str, region: Option<Region>) -> Spellings {
    if word.chars().count() > MAX_WORD_LETTERS {
        // Not a name part: one rule spelling, no search (bounded work on hostile input).
        let mut out = Spellings {
            text: crate::transliterate(word, crate::Scheme::Simple).text,
            ..Spellings::default()
        };
        out.close(0, 0, 0.49);
        return out;
    }
    with_scratch(&WORD_SCRATCH, |scratch| {
        word_variants_in(word, region, scratch)
    })
}

/// Buffers of [`word_variants`], reused from word to word.
#[derive(Default)]
struct WordScratch {
    generated: Spellings,
    g1: Spellings,
    g2: Spellings,
    out: Spellings,
    index: FastMap<u64, usize>,
    merged: Vec<(usize, &'static str)>,
}

fn word_variants_in(word: &str, region: Option<Region>, scratch: &mut WordScratch) -> Spellings {
    let WordScratch {
        generated,
        g1,
        g2,
        out,
        index,
        merged,
    } = scratch;
    for s in [&mut *generated, &mut *g1, &mut *g2, &mut *out] {
        s.clear();
    }
    index.clear();
    merged.clear();
    let mut press: Option<&'static str> = None;
    let mut press_article = false;
    if let Some((w1, w2)) = word.split_once(' ') {
        // A two-word unit: the generated spellings of each word, combined.
        let a1 = analyse_word(w1);
        let a2 = analyse_word(w2);
        generate(&a1.segs, a1.article, !a1.from_lexicon, region, g1);
        generate(&a2.segs, a2.article, !a2.from_lexicon, region, g2);
        for i in 0..g1.len().min(8) {
            for j in 0..g2.len().min(8) {
                let (t, r) = (generated.text.len(), generated.rules.len());
                generated.text.push_str(g1.text(i));
                generated.text.push(' ');
                generated.text.push_str(g2.text(j));
                let (r1, r2) = (g1.rules(i), g2.rules(j));
                generated.rules.extend_from_slice(r1);
                generated
                    .rules
                    .extend(r2.iter().filter(|x| !r1.contains(x)).copied());
                generated.close(t, r, g1.score(i) * g2.score(j));
            }
        }
        generated.sort();
    } else {
        let analysis = analyse_word(word);
        press = analysis.press.map(|p| {
            if !analysis.article {
                return p;
            }
            press_article = true;
            // Not the head of a construct: al-Haraka, not al-Harakat.
            match p.strip_suffix("at") {
                Some(stem)
                    if analysis
                        .segs
                        .last()
                        .is_some_and(|s| matches!(s.letter, 'ة' | 'ه')) =>
                {
                    &p[..stem.len() + 1]
                }
                _ => p,
            }
        });
        generate(
            &analysis.segs,
            analysis.article,
            !analysis.from_lexicon,
            region,
            generated,
        );
    }
    let max_w = generated
        .items
        .iter()
        .map(|p| p.score)
        .fold(f32::MIN_POSITIVE, f32::max);
    if let Some(p) = press {
        // A common organisation/place word (حزب): its press spelling first.
        let (t, r) = (out.text.len(), out.rules.len());
        if press_article {
            title_case_into("al-", &mut out.text);
        }
        title_case_into(p, &mut out.text);
        index.insert(lower_hash(&out.text[t..]), out.len());
        out.rules.push("common word (press spelling)");
        out.close(t, r, 1.0);
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
    if !attested.is_empty() {
        let word_key = crate::key::loose_key(word);
        attested.retain(|a| crate::key::loose_key(a.latin) == word_key);
    }
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
        let t = out.text.len();
        title_case_into(a.latin, &mut out.text);
        let k = lower_hash(&out.text[t..]);
        if index.contains_key(&k) {
            out.text.truncate(t);
            continue;
        }
        index.insert(k, out.len());
        let r = out.rules.len();
        out.rules.push("attested (lexicon)");
        out.close(t, r, 0.5 + 0.5 * (share * rf).sqrt());
    }
    // Rules of a generated spelling that another already holds: (that spelling, rule), applied below.
    for i in 0..generated.len() {
        let t = out.text.len();
        title_case_into(generated.text(i), &mut out.text);
        let k = lower_hash(&out.text[t..]);
        if let Some(&j) = index.get(&k) {
            out.text.truncate(t);
            merged.extend(generated.rules(i).iter().map(|r| (j, *r)));
            continue;
        }
        index.insert(k, out.len());
        let r = out.rules.len();
        out.rules.extend_from_slice(generated.rules(i));
        out.close(t, r, 0.49 * generated.score(i) / max_w);
    }
    if !merged.is_empty() {
        // A spelling's rules, then the merged ones in order, each once: rewritten at the end.
        merged.sort_by_key(|m| m.0);
        let mut k = 0;
        while k < merged.len() {
            let j = merged[k].0;
            let (a, b) = out.items[j].rules;
            let start = out.rules.len();
            out.rules.extend_from_within(a..b);
            while k < merged.len() && merged[k].0 == j {
                let r = merged[k].1;
                if !out.rules[start..].contains(&r) {
                    out.rules.push(r);
                }
                k += 1;
            }
            out.items[j].rules = (start, out.rules.len());
        }
    }
    out.sort();
    out.compact(WORD_BEAM)
}

/// Title case: the first cased letter of every space/hyphen-separated piece upper-cased, the rest
/// lower-cased, except the article pieces `al`/`el`/sun-letter forms before a hyphen; appended to `out`.
fn title_case_into(s: &str, out: &mut String) {
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
}

/// The article pieces [`title_case_into`] leaves lower case before a hyphen.
const ARTICLES: [&str; 11] = [
    "al", "el", "as", "ash", "at", "ad", "adh", "ar", "az", "an", "ath",
];

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
/// spelled out at the end. Every buffer is flat and reused from word to word (one per thread, see
/// [`with_scratch`]): a word costs no allocation here once the buffers have grown.
#[derive(Default)]
struct Lattice {
    /// Every step's options, one step after another; options pushed since the last step are pending.
    opts: Vec<OptRow>,
    /// Every step's surviving nodes, one step after another; `nodes[0]` is the root.
    nodes: Vec<Node>,
    /// Per step: the range of its options in `opts` and of its nodes in `nodes`.
    steps: Vec<((usize, usize), (usize, usize))>,
    /// Scratch of [`Lattice::expand`].
    order: Vec<u16>,
    heads: Vec<u32>,
}

thread_local! {
    static LATTICE: std::cell::RefCell<Lattice> = std::cell::RefCell::new(Lattice::default());
    static WORD_SCRATCH: std::cell::RefCell<WordScratch> =
        std::cell::RefCell::new(WordScratch::default());
}

/// Runs `f` on this thread's scratch buffers `key` (on fresh ones if they are somehow in use), so the
/// buffers grow once per thread instead of once per word.
fn with_scratch<T: Default, R>(
    key: &'static std::thread::LocalKey<std::cell::RefCell<T>>,
    f: impl FnOnce(&mut T) -> R,
) -> R {
    key.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => f(&mut scratch),
        Err(_) => f(&mut T::default()),
    })
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

#[derive(Clone, Copy, Default)]
struct Node {
    weight: f32,
    parent: u32,
    opt: u16,
    hash: u64,
}

impl Lattice {
    fn clear(&mut self) {
        self.opts.clear();
        self.nodes.clear();
        self.steps.clear();
        self.nodes.push(Node {
            weight: 1.0,
            parent: 0,
            opt: 0,
            hash: 0xcbf2_9ce4_8422_2325,
        });
    }

    /// Offers one more option for the next step.
    fn offer(
        &mut self,
        latin: Cow<'static, str>,
        weight: f32,
        rule: &'static str,
        rule2: &'static str,
    ) {
        self.opts.push((latin, weight, rule, rule2));
    }

    /// Offers the options of a rule-table row (scaled by `scale`).
    fn offer_row(&mut self, key: &str, region: Option<Region>, scale: f32) {
        for o in table_row(key) {
            self.offer(
                Cow::Borrowed(o.latin),
                weighted(o, region) * scale,
                o.rule,
                "",
            );
        }
    }

    /// Where the pending options start.
    fn pending(&self) -> usize {
        self.steps.last().map_or(0, |s| s.0 .1)
    }

    /// Takes the pending options as the next step, keeping the best [`WORD_BEAM`] distinct texts.
    fn expand(&mut self) {
        let (o0, o1) = (self.pending(), self.opts.len());
        if o0 == o1 {
            return;
        }
        // Rules that only say "this is the plain spelling" carry no information: blanked once here
        // rather than tested for every surviving node in `finish`.
        for o in &mut self.opts[o0..] {
            for r in [&mut o.2, &mut o.3] {
                if is_plain_rule(r) {
                    *r = "";
                }
            }
        }
        let (p0, p1) = self.steps.last().map_or((0, 1), |s| s.1);
        let n0 = self.nodes.len();
        let opts = &self.opts[o0..o1];
        if opts.len() == 1 {
            // One option: the heap below would pop the parents in order, one at a time, and every
            // text stays distinct (the same bytes appended to distinct FNV states give distinct
            // states), so each parent simply takes the option.
            let (latin, w) = (opts[0].0.as_bytes(), opts[0].1);
            for pi in 0..p1 - p0 {
                let p = self.nodes[p0 + pi];
                self.nodes.push(Node {
                    weight: p.weight * w,
                    parent: pi as u32,
                    opt: 0,
                    hash: fnv_extend(p.hash, latin),
                });
            }
            self.steps.push(((o0, o1), (n0, self.nodes.len())));
            return;
        }
        // Best-first over the (parent, option) grid instead of expanding and sorting all of it. The
        // parents are sorted best first, so each option's column of the grid is sorted too: a merge of
        // the columns (the best head wins; ties: parent, then option in weight order) visits nodes in
        // descending weight and stops at WORD_BEAM distinct texts. Options are few, so scanning their
        // heads beats a heap.
        let order = &mut self.order;
        order.clear();
        order.extend(0..opts.len() as u16);
        order.sort_by(|&x, &y| {
            opts[y as usize]
                .1
                .total_cmp(&opts[x as usize].1)
                .then(x.cmp(&y))
        });
        let prev = &self.nodes[p0..p1];
        // The next parent of each option's column (in `order`), until the column is used up.
        let heads = &mut self.heads;
        heads.clear();
        heads.resize(opts.len(), 0);
        let mut kept: [Node; WORD_BEAM] = [Node::default(); WORD_BEAM];
        let mut n_kept = 0;
        let mut seen = HashSet64::default();
        loop {
            let mut best: Option<(f32, u32, u16)> = None;
            for (j, &pi) in heads.iter().enumerate() {
                if pi as usize >= prev.len() {
                    continue;
                }
                let w = prev[pi as usize].weight * opts[order[j] as usize].1;
                // Strictly better only: an equal weight keeps the smaller parent, then option.
                let better = match best {
                    None => true,
                    Some((bw, bp, _)) => w > bw || (w == bw && pi < bp),
                };
                if better {
                    best = Some((w, pi, j as u16));
                }
            }
            let Some((weight, pi, j)) = best else {
                break;
            };
            heads[j as usize] += 1;
            let oi = order[j as usize];
            let p = prev[pi as usize];
            let h = fnv_extend(p.hash, opts[oi as usize].0.as_bytes());
            // Keep the best node of each distinct text.
            if seen.insert(h) {
                kept[n_kept] = Node {
                    weight,
                    parent: pi,
                    opt: oi,
                    hash: h,
                };
                n_kept += 1;
                if n_kept >= WORD_BEAM {
                    break;
                }
            }
        }
        self.nodes.extend_from_slice(&kept[..n_kept]);
        self.steps.push(((o0, o1), (n0, self.nodes.len())));
    }

    /// Spells out the surviving nodes into `out`, best first (their weight as the score).
    fn finish(&self, out: &mut Spellings) {
        let Some(&(_, (l0, l1))) = self.steps.last() else {
            return;
        };
        // Pieces and rules are collected back to front, then appended in order.
        let mut pieces: Vec<&str> = Vec::with_capacity(self.steps.len());
        for i in 0..l1 - l0 {
            pieces.clear();
            let (t, r) = (out.text.len(), out.rules.len());
            let (mut step, mut idx) = (self.steps.len(), i);
            while step > 0 {
                step -= 1;
                let ((o0, _), (n0, _)) = self.steps[step];
                let node = self.nodes[n0 + idx];
                let (latin, _, r1, r2) = &self.opts[o0 + node.opt as usize];
                pieces.push(latin.as_ref());
                for rule in [*r1, *r2] {
                    // Plain rules were blanked in `expand`.
                    if !rule.is_empty() && !out.rules[r..].contains(&rule) {
                        out.rules.push(rule);
                    }
                }
                idx = node.parent as usize;
            }
            for p in pieces.iter().rev() {
                out.text.push_str(p);
            }
            if out.text[t..].trim().is_empty() {
                out.text.truncate(t);
                out.rules.truncate(r);
                continue;
            }
            out.rules[r..].reverse();
            out.close(t, r, self.nodes[l0 + i].weight);
        }
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

/// The options of one row of `data/rules/variants.tsv` (none for an unknown key).
fn table_row(key: &str) -> &'static [Opt] {
    rule_table().get(key).map_or(&[], Vec::as_slice)
}

/// Generated spellings of a vocalised word, appended to `out` best first (lattice weight as score).
fn generate(
    segs: &[Seg],
    article: bool,
    rule_vowels: bool,
    region: Option<Region>,
    out: &mut Spellings,
) {
    with_scratch(&LATTICE, |lat| {
        lat.clear();
        generate_in(lat, segs, article, rule_vowels, region);
        lat.finish(out);
    })
}

fn generate_in(
    lat: &mut Lattice,
    segs: &[Seg],
    article: bool,
    rule_vowels: bool,
    region: Option<Region>,
) {
    let simple = |c: char| -> &'static str {
        crate::translit::rules::arabic_latin()
            .render
            .get(&c)
            .map_or("", |r| r[2])
    };
    if article {
        let first = segs.first().map(|s| s.letter);
        for o in table_row("al") {
            let w = weighted(o, region);
            if o.latin == "=" {
                if let Some(c) = first.filter(|c| SUN_LETTERS.contains(*c) && *c != 'ل') {
                    lat.offer(Cow::Owned(format!("a{}-", simple(c))), w, o.rule, "");
                }
            } else {
                lat.offer(Cow::Borrowed(o.latin), w, o.rule, "");
            }
        }
        lat.expand();
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
            offer_vowel(lat, v, region);
            lat.expand();
            continue;
        }
        if k > 0 && is_glide(&s, segs[k - 1].vowel) {
            lat.offer_row(if c == 'و' { "aw" } else { "ay" }, region, 1.0);
        } else if s.long && matches!(c, 'ا' | 'آ') {
            lat.offer_row("ā", region, 1.0);
        } else if s.long && matches!(c, 'و' | 'ي' | 'ی') {
            let (long, glide) = if c == 'و' {
                ("ū", "aw")
            } else {
                ("ī", "ay")
            };
            lat.offer_row(long, region, 1.0);
            if rule_vowels && k > 0 && segs[k - 1].vowel == 0 && !segs[k - 1].long {
                // Vowels from rules: a medial و/ي may as well be the diphthong (قيس = Qays).
                lat.offer_row(glide, region, 0.8);
            }
        } else if c == 'ى' || c == 'ة' {
            lat.offer_row(c.encode_utf8(&mut [0u8; 4]), region, 1.0);
        } else {
            let start = lat.opts.len();
            for o in table_row(c.encode_utf8(&mut [0u8; 4])) {
                // A word-initial ع or ء is not written.
                if !(k == 0 && matches!(c, 'ع' | 'ء')) || o.latin.is_empty() {
                    lat.offer(Cow::Borrowed(o.latin), weighted(o, region), o.rule, "");
                }
            }
            if lat.opts.len() == start {
                lat.offer(Cow::Borrowed(simple(c)), 1.0, "", "");
            }
            if s.gem {
                // Doubled or single: both the letter's rule and the gemination rule are recorded.
                let cons: Vec<OptRow> = lat.opts.drain(start..).collect();
                for (l, w, r, _) in &cons {
                    for g in table_row("gem") {
                        let text = if g.latin == "2" {
                            Cow::Owned(l.repeat(2))
                        } else {
                            l.clone()
                        };
                        lat.offer(text, w * weighted(g, region), r, g.rule);
                    }
                }
            }
        }
        lat.expand();
        let consonant = !(s.long || matches!(c, 'ا' | 'ى' | 'آ' | 'ة'));
        if rule_vowels && consonant && !next_takes_vowel && next.is_some() {
            // Vowels guessed by rule: offer the other short vowels (or none) too.
            let next_cons =
                next.is_some_and(|nx| !(nx.long || matches!(nx.letter, 'ا' | 'ى' | 'آ' | 'ة')));
            if s.vowel != 0 {
                lat.offer_row("?v", region, 1.0);
            } else if next_cons {
                lat.offer_row("?0", region, 1.0);
            }
            lat.expand();
        } else if s.vowel != 0 && !next_takes_vowel && !(s.long && is_vowel_letter(c)) {
            offer_vowel(lat, s.vowel, region);
            lat.expand();
        }
    }
}

fn is_glide(s: &Seg, prev_vowel: u8) -> bool {
    matches!(s.letter, 'و' | 'ي' | 'ی') && !s.long && prev_vowel == b'a' && s.vowel == 0
}

/// Offers the spellings of a short vowel (`b'A'`: the dagger alif, a long ā).
fn offer_vowel(lat: &mut Lattice, v: u8, region: Option<Region>) {
    let key = match v {
        b'a' => "a",
        b'i' => "i",
        b'u' => "u",
        b'A' => "ā",
        _ => return,
    };
    lat.offer_row(key, region, 1.0);
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
