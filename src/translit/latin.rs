//! Latin → Arabic: ranked Arabic spellings of a Latin-script name.

use super::lexicon::{latin_lookup_key, lexicon};
use super::rules::{latin_arabic_starting_with, Position};

/// One Arabic spelling of a Latin name, with a score in (0, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct ArabicSpelling {
    /// The Arabic-script spelling.
    pub text: String,
    /// Relative confidence: the product of the per-word scores. A word's candidates (attested forms by
    /// their share of the attestations, rule-generated ones by their rule weights) are weighed with a
    /// letter model of the lexicon's Arabic names; the best candidate of each word scores 1.
    pub score: f32,
}

/// At most this many words of the input are converted; at most this many candidates are kept per word.
const MAX_WORDS: usize = 12;
const BEAM: usize = 8;
/// Rule spellings kept per word before they are ranked with the letter model.
const RULE_BEAM: usize = 32;
/// Weight of the letter model against the spelling score (chosen on half of the held-out units).
const LM_WEIGHT: f32 = 0.5;
/// Log-score bonus of attested (lexicon, common-word table) forms over rule spellings.
const ATTESTED_BONUS: f32 = 2.0;
/// Latin words longer than this many bytes are skipped.
const MAX_WORD_LEN: usize = 64;

/// Ranked Arabic spellings of a Latin-script name, best first, at most `limit`.
///
/// Each word is looked up in the name lexicon (attested Arabic forms of that Latin spelling, with the
/// article); unknown words are spelled by the rules of `data/rules/latin_arabic.tsv`. Titles are not
/// removed. Text already in Arabic script, or with no Latin letter at all (another script), is returned
/// as it is with score 1; the empty string (or `limit == 0`) gives nothing. At most 12 words are
/// converted and words longer than 64 letters are skipped (bounded work).
///
/// ```
/// assert_eq!(nisba::to_arabic("Kadhimi", 5)[0].text, "الكاظمي");
/// assert_eq!(nisba::to_arabic("Qais al-Khazali", 5)[0].text, "قيس الخزعلي");
/// ```
pub fn to_arabic(name: &str, limit: usize) -> Vec<ArabicSpelling> {
    if limit == 0 {
        return Vec::new();
    }
    if name.chars().any(super::is_arabic_letter) {
        // Already Arabic script: returned as it is.
        let t = name.split_whitespace().collect::<Vec<_>>().join(" ");
        return vec![ArabicSpelling {
            text: t,
            score: 1.0,
        }];
    }
    if !name.chars().any(|c| c.is_ascii_alphabetic()) {
        // Neither Arabic nor Latin letters (another script, digits): passed through as it is.
        let t = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() {
            return Vec::new();
        }
        return vec![ArabicSpelling {
            text: t,
            score: 1.0,
        }];
    }
    let lower = crate::normalize::normalize(name);
    // Words, with a standing article folded into the next word ("al kadhimi" → article + kadhimi).
    let raw: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS * 2)
        .collect();
    // Abd al-X in any spelling (Abdel Baky, Abdulrahman, Abd-ur-Rahman) → abd + al + X.
    let mut expanded: Vec<&str> = Vec::with_capacity(raw.len() + 2);
    for (i, w) in raw.iter().enumerate() {
        if crate::key::is_abd(w) && i + 1 < raw.len() && w.is_ascii() {
            expanded.push("abd");
            if !matches!(
                raw[i + 1],
                "al" | "el" | "ul" | "ar" | "as" | "an" | "ad" | "ur" | "us"
            ) {
                expanded.push("al");
            }
        } else if let Some(rest) = crate::key::joined_abd_rest(w)
            .filter(|r| !matches!(*r, "lah" | "llah" | "la" | "lla" | "lahi"))
        {
            expanded.push("abd");
            expanded.push("al");
            expanded.push(rest);
        } else {
            expanded.push(w);
        }
    }
    let raw = expanded;
    let mut words: Vec<(String, bool)> = Vec::new();
    let mut k = 0;
    while k < raw.len() && words.len() < MAX_WORDS {
        let w = raw[k];
        let is_article = matches!(
            w,
            "al" | "el"
                | "ul"
                | "ur"
                | "us"
                | "ad"
                | "ar"
                | "as"
                | "ash"
                | "at"
                | "az"
                | "an"
                | "ath"
                | "adh"
                | "ed"
                | "er"
                | "es"
                | "et"
                | "ez"
                | "en"
        ) && k + 1 < raw.len();
        // Two words the lexicon knows as one unit (Abdel Baky, Abu Bakr, Nur al-Din).
        let joined = |n: usize| -> Option<String> {
            let parts = raw.get(k..k + n)?;
            let key: String = parts.concat();
            // Only when the lexicon writes it as one unit (عبد الباقي), not as two names that were
            // attested together (Mohamed Zaky = محمد زكي: each word is looked up alone).
            lexicon()
                .by_latin
                .get(&latin_lookup_key(&key))
                .is_some_and(|forms| {
                    forms
                        .iter()
                        .any(|f| f.arabic.contains(' ') && one_unit(f.arabic))
                })
                .then(|| parts.join(" "))
        };
        let unit = if is_article {
            None
        } else {
            joined(3).or_else(|| joined(2))
        };
        if let Some(u) = unit {
            k += u.split(' ').count();
            words.push((u, false));
        } else if is_article {
            words.push((raw[k + 1].to_string(), true));
            k += 2;
        } else {
            words.push((w.to_string(), false));
            k += 1;
        }
    }
    if limit == 1 {
        // The best spelling of the name is every word's best candidate (scores multiply, and each
        // word's candidates are sorted best first, then by text): no beam over the words.
        let mut text = String::new();
        let mut score = 1.0f32;
        for (w, article) in &words {
            let cands = cached_word_candidates(w, *article);
            let Some((c, s)) = cands.first() else {
                continue;
            };
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(c);
            score *= s;
        }
        return if text.is_empty() {
            Vec::new()
        } else {
            vec![ArabicSpelling { text, score }]
        };
    }
    with_beams(&NAME_BEAMS, |[beam, next, scratch]| {
        for (w, article) in &words {
            let cands = cached_word_candidates(w, *article);
            if cands.is_empty() {
                continue;
            }
            let opts: Vec<(&str, f32)> = cands.iter().map(|(c, s)| (c.as_str(), *s)).collect();
            beam.step(&opts, " ", BEAM.max(limit), scratch, next);
            std::mem::swap(beam, next);
        }
        // The first entry of each text (the beam merges equal neighbours only).
        let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
        (0..beam.items.len())
            .filter(|&i| !beam.text(i).is_empty() && seen.insert(beam.text(i)))
            .take(limit)
            .map(|i| ArabicSpelling {
                text: beam.text(i).to_string(),
                score: beam.items[i].2,
            })
            .collect()
    })
}

thread_local! {
    /// The beams of [`to_arabic`] (over a name's words) and of [`rule_spellings`] (over a word's
    /// letters), their buffers reused from call to call.
    static NAME_BEAMS: std::cell::RefCell<[FlatBeam; 3]> = Default::default();
    static RULE_BEAMS: std::cell::RefCell<[FlatBeam; 3]> = Default::default();
}

/// Beam buffers kept per thread beyond this many bytes of text are freed after use (a huge `limit`
/// leaves no lasting footprint).
const KEEP_BEAM_BYTES: usize = 1 << 16;

/// Runs `f` on the beams of `key` — the first one the empty start, the others scratch — or on fresh
/// ones if they are somehow in use.
fn with_beams<R>(
    key: &'static std::thread::LocalKey<std::cell::RefCell<[FlatBeam; 3]>>,
    f: impl FnOnce(&mut [FlatBeam; 3]) -> R,
) -> R {
    key.with(|cell| match cell.try_borrow_mut() {
        Ok(mut beams) => {
            beams[0].reset();
            let r = f(&mut beams);
            for b in beams.iter_mut() {
                if b.text.capacity() > KEEP_BEAM_BYTES {
                    *b = FlatBeam::default();
                }
            }
            r
        }
        Err(_) => {
            let mut beams: [FlatBeam; 3] = Default::default();
            beams[0].reset();
            f(&mut beams)
        }
    })
}

/// A beam of partial spellings, their texts in one buffer: `(start, end, score)` per entry.
#[derive(Default)]
struct FlatBeam {
    text: String,
    items: Vec<(usize, usize, f32)>,
    /// Scratch of [`FlatBeam::step`]: the scores of every extension.
    scores: Vec<f32>,
}

impl FlatBeam {
    /// Makes this the beam before the first step: one empty spelling with score 1.
    fn reset(&mut self) {
        self.text.clear();
        self.items.clear();
        self.items.push((0, 0, 1.0));
    }

    fn text(&self, i: usize) -> &str {
        let (a, b, _) = self.items[i];
        &self.text[a..b]
    }

    /// Every entry extended with every option (text after `sep`, scores multiplied), best first —
    /// by score, then by text — with equal neighbours merged, the first `k` kept in `out`.
    /// `scratch` holds every extension while they are ranked.
    fn step(
        &self,
        opts: &[(&str, f32)],
        sep: &str,
        k: usize,
        scratch: &mut FlatBeam,
        out: &mut FlatBeam,
    ) {
        // Only extensions scoring at least the k-th best score can be kept (ties are ranked by text
        // below), so the others are not spelled out — unless merging equal texts leaves fewer than k,
        // when every extension is (rare: the same text from two paths with the same score).
        let mut threshold = if k > 0 && self.items.len() * opts.len() > k {
            let mut scores = std::mem::take(&mut scratch.scores);
            scores.clear();
            for e in &self.items {
                scores.extend(opts.iter().map(|o| e.2 * o.1));
            }
            let (_, kth, _) = scores.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a));
            let t = *kth;
            scratch.scores = scores;
            t
        } else {
            f32::NEG_INFINITY
        };
        loop {
            scratch.text.clear();
            scratch.items.clear();
            for i in 0..self.items.len() {
                let t = self.text(i);
                for o in opts {
                    let score = self.items[i].2 * o.1;
                    if score < threshold {
                        continue;
                    }
                    let start = scratch.text.len();
                    scratch.text.push_str(t);
                    if !t.is_empty() {
                        scratch.text.push_str(sep);
                    }
                    scratch.text.push_str(o.0);
                    scratch.items.push((start, scratch.text.len(), score));
                }
            }
            let FlatBeam { text, items, .. } = &mut *scratch;
            let text_of = |p: &(usize, usize, f32)| &text[p.0..p.1];
            // Stable, so equal entries keep their order (entry, then option) and the first survives.
            items.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| text_of(a).cmp(text_of(b))));
            items.dedup_by(|a, b| text_of(a) == text_of(b));
            if items.len() >= k || threshold == f32::NEG_INFINITY {
                break;
            }
            threshold = f32::NEG_INFINITY;
        }
        let FlatBeam { text, items, .. } = scratch;
        let text_of = |p: &(usize, usize, f32)| &text[p.0..p.1];
        out.text.clear();
        out.items.clear();
        for p in items.iter().take(k) {
            let start = out.text.len();
            out.text.push_str(text_of(p));
            out.items.push((start, out.text.len(), p.2));
        }
    }
}

/// Words whose candidates are remembered per thread (names repeat a lot; see [`crate::memo`]).
const CANDIDATE_CACHE: usize = 1 << 14;

/// One memo per article flag.
type CandidateCache = crate::memo::Memos<std::rc::Rc<Vec<(String, f32)>>, 2>;

thread_local! {
    static CANDIDATES: CandidateCache = std::cell::RefCell::new([
        crate::memo::WordMemo::new(CANDIDATE_CACHE),
        crate::memo::WordMemo::new(CANDIDATE_CACHE),
    ]);
}

/// [`word_candidates`], remembered per thread.
fn cached_word_candidates(w: &str, article: bool) -> std::rc::Rc<Vec<(String, f32)>> {
    crate::memo::memoised(&CANDIDATES, usize::from(article), w, || {
        std::rc::Rc::new(word_candidates(w, article))
    })
}

/// Candidates for one Latin word (lower case), with scores.
fn word_candidates(w: &str, article: bool) -> Vec<(String, f32)> {
    if w.chars().any(super::is_arabic_letter) {
        return vec![(w.to_string(), 1.0)];
    }
    if w.len() > MAX_WORD_LEN {
        // Not a name part (bounded work on hostile input): skipped.
        return Vec::new();
    }
    if w == "abd" {
        // The first half of Abd al-X (split off above).
        return vec![("عبد".to_string(), 1.0)];
    }
    let key = latin_lookup_key(w);
    if key.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<(String, f32)> = Vec::new();
    // Per candidate: attested as it is written (trusted), not attested only with an article the Latin
    // lacks, or generated by rule.
    let mut trusted: Vec<bool> = Vec::new();
    if let Some(&arabic) = super::rules::common_words().by_latin.get(&key) {
        // A common organisation/place word (Hizb, Jaysh, Kata'ib): its table spelling first.
        let text = if article {
            format!("ال{arabic}")
        } else {
            arabic.to_string()
        };
        out.push((text, 1.0));
        trusted.push(true);
    }
    if let Some(forms) = lexicon().by_latin.get(&key) {
        // The word's consonant key, computed once for all its forms.
        let mut word_key: Option<Vec<char>> = None;
        let total: u32 = forms.iter().map(|f| f.count).sum::<u32>().max(1);
        for f in forms.iter().take(BEAM) {
            let mut text = restore_letters(f.arabic, &key);
            if article && !text.starts_with("ال") {
                text = format!("ال{text}");
            }
            // Attested forms score in (0.5, 1] (less when the article is added, below).
            let share = f.count as f32 / total as f32;
            let agrees = squash_key(&text) == *word_key.get_or_insert_with(|| squash_key(w));
            if !(agrees && one_unit(f.arabic)) {
                // A misalignment in the source data (another name, a full name for a part): skip.
                continue;
            }
            let mut score = 0.5 + 0.5 * share;
            let mut trust = true;
            if !article && f.arabic.starts_with("ال") {
                // The article was not written in the Latin: prefer forms without it, unless the word
                // is a nisba (-i, -y), which the press writes without its article (Kadhimi).
                let nisba = key.ends_with('i') || key.ends_with('y');
                score *= if nisba { 0.9 } else { 0.4 };
                trust = nisba;
            }
            if !out.iter().any(|(t, _)| *t == text) {
                out.push((text, score));
                trusted.push(trust);
            }
        }
    }
    let rules = rule_spellings(&key);
    let best = rules.first().map_or(1.0, |r| r.1).max(f32::MIN_POSITIVE);
    for (text, score) in rules {
        let text = if article { format!("ال{text}") } else { text };
        if !out.iter().any(|(t, _)| *t == text) {
            // Rule spellings score below attested ones, relative to the best rule spelling.
            out.push((text, 0.45 * score / best));
            trusted.push(false);
        }
    }
    // Rank rule spellings by their score and by how name-like their letters are (a letter model of the
    // lexicon's Arabic forms): ln(score) + LM_WEIGHT · ln P(letters). Attested forms keep their order
    // by share and a bonus, and all take the letter-model term of the most name-like of them, so a
    // rule spelling only overtakes them when its letters are much more name-like. Rescaled so the
    // best candidate scores 1.
    let lm: Vec<f32> = out
        .iter()
        .map(|(t, _)| super::arabic_lm::log_prob(t))
        .collect();
    let attested_lm = lm
        .iter()
        .zip(&trusted)
        .filter(|(_, t)| **t)
        .map(|(l, _)| *l)
        .fold(f32::NEG_INFINITY, f32::max);
    let mut ranked: Vec<(String, f32)> = out
        .into_iter()
        .zip(lm)
        .enumerate()
        .map(|(i, ((t, s), l))| {
            let ln_s = s.max(f32::MIN_POSITIVE).ln();
            let c = if trusted[i] {
                ln_s + ATTESTED_BONUS + LM_WEIGHT * attested_lm
            } else {
                ln_s + LM_WEIGHT * l
            };
            (t, c)
        })
        .collect();
    let top = ranked.iter().map(|r| r.1).fold(f32::NEG_INFINITY, f32::max);
    for r in &mut ranked {
        r.1 = (r.1 - top).exp();
    }
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(BEAM);
    ranked
}

/// The loose key of a spelling without spaces and with repeated letters written once.
fn squash_key(s: &str) -> Vec<char> {
    let mut v: Vec<char> = crate::key::loose_key(s)
        .chars()
        .filter(|c| *c != ' ')
        .collect();
    v.dedup();
    v
}

/// One Latin word is one Arabic word, except the compounds written apart in Arabic (Abd al-X, Abu X,
/// X al-Din, X Allah).
fn one_unit(arabic: &str) -> bool {
    let compound = arabic.starts_with("عبد ")
        || arabic.starts_with("ابو ")
        || arabic.ends_with(" الدين")
        || arabic.ends_with(" الله");
    !arabic.contains(' ') || (compound && arabic.matches(' ').count() == 1)
}

/// The lexicon stores normalised Arabic (ة → ه, ى → ي); restore the final letter the Latin suggests.
fn restore_letters(arabic: &str, latin: &str) -> String {
    // -a/-ah/-eh is ة (or ى), except in the name of God (Abdullah, Nasrallah: -allah, -ullah).
    let allah = latin.ends_with("lah") || latin.ends_with("lla");
    let ends_a = !allah && (latin.ends_with('a') || latin.ends_with("ah") || latin.ends_with("eh"));
    if ends_a {
        if let Some(stem) = arabic.strip_suffix('ه') {
            return format!("{stem}ة");
        }
        if let Some(stem) = arabic.strip_suffix('ي') {
            return format!("{stem}ى");
        }
    }
    arabic.to_string()
}

/// Rule spellings of a Latin word (letters only, lower case), best first.
fn rule_spellings(key: &str) -> Vec<(String, f32)> {
    let mut word = key;
    // -ah / -eh: the h is silent (ta marbuta).
    let trimmed;
    if word.len() > 3 && (word.ends_with("ah") || word.ends_with("eh")) {
        trimmed = &word[..word.len() - 1];
        word = trimmed;
    }
    with_beams(&RULE_BEAMS, |[beam, next, scratch]| {
        rule_spellings_in(word, beam, next, scratch)
    })
}

fn rule_spellings_in(
    word: &str,
    beam: &mut FlatBeam,
    next: &mut FlatBeam,
    scratch: &mut FlatBeam,
) -> Vec<(String, f32)> {
    let b = word.as_bytes();
    let mut matched: Vec<(&str, f32)> = Vec::with_capacity(8);
    let mut j = 0;
    while j < b.len() {
        // Doubled consonant: written once (shadda unwritten).
        if j > 0 && b[j] == b[j - 1] && !matches!(b[j], b'a' | b'e' | b'i' | b'o' | b'u') {
            j += 1;
            continue;
        }
        // The longest graphemes that match here (a rule's grapheme starts with its first byte).
        matched.clear();
        let mut len = 0;
        for r in latin_arabic_starting_with(b[j]) {
            let l = r.latin.len();
            if len != 0 && l < len {
                break;
            }
            if !word[j..].starts_with(r.latin) {
                continue;
            }
            let pos_ok = match r.position {
                Position::Any => true,
                Position::Initial => j == 0,
                Position::Final => j + l == b.len(),
                Position::Medial => j > 0 && j + l < b.len(),
            };
            if pos_ok {
                len = l;
                matched.push((r.arabic, r.weight));
            }
        }
        if matched.is_empty() {
            j += 1;
            continue;
        }
        beam.step(&matched, "", RULE_BEAM, scratch, next);
        std::mem::swap(beam, next);
        j += len;
    }
    (0..beam.items.len())
        .filter(|&i| !beam.text(i).is_empty() && beam.items[i].2 > 0.0)
        .map(|i| (beam.text(i).to_string(), beam.items[i].2))
        .collect()
}
