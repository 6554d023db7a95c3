//! Word tokens over normalised text, each with its byte span in the caller's original text.
//!
//! Words are found with UAX #29 word boundaries (unicode-segmentation) on the normalised text and mapped
//! back through the normaliser's alignment. On top of plain words the tokeniser records what name
//! matching needs:
//!
//! - Latin article prefixes (`al-`, `el-`, `Al `, `ad-`, `ash-`…) are flagged as attached to the next word;
//! - a possessive `'s` is split off (`Kadhimi’s` → `Kadhimi`, flagged);
//! - an Arabic-script word with proclitics (و ف ب ل ك and the article ال, or لل) carries its candidate
//!   stems with their spans (`بالعراق` → `العراق`, `عراق`).
//!
//! ```
//! let text = "وللكاظمي met al-Sadr";
//! let tokens = nisba::tokenize(text);
//! assert_eq!(&text[tokens[0].span.clone()], "وللكاظمي");
//! assert!(tokens[0].stems.iter().any(|s| s.norm == "الكاظمي"));
//! assert!(tokens[2].article && tokens[3].norm == "sadr");
//! ```

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::normalize::{normalize_pieces, normalize_with, NormalizeOptions, Normalized};

/// The writing system of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Latin letters (after folding), possibly with digits.
    Latin,
    /// Arabic-script letters (Arabic, Persian, Urdu…).
    Arabic,
    /// Digits only.
    Digits,
    /// Anything else (other scripts, symbols, emoji), or a mixture.
    Other,
}

impl Script {
    /// The lower-case name used in JSON and Python (`"latin"`, `"arabic"`, `"digits"`, `"other"`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Script::Latin => "latin",
            Script::Arabic => "arabic",
            Script::Digits => "digits",
            Script::Other => "other",
        }
    }
}

/// A candidate stem of an Arabic-script token once its proclitics are removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Stem {
    /// Byte span in the original text of the stem.
    pub span: Range<usize>,
    /// The normalised stem. For `لل` + X the article is restored: `للكاظمي` → `الكاظمي`.
    pub norm: String,
    /// The normalised proclitics removed (`و`, `ب`, `وال`, `لل`…).
    pub proclitics: String,
}

/// A word of the text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token {
    /// Byte span in the original text; `&text[span]` is the token's surface.
    pub span: Range<usize>,
    /// Byte span in the normalised text.
    pub norm_span: Range<usize>,
    /// The normalised form.
    pub norm: String,
    /// The surface starts with an upper-case letter.
    pub capitalized: bool,
    /// Every cased letter of the surface is upper-case and there are at least two (`PMF`, `ISIS`).
    pub all_caps: bool,
    /// The token's script.
    pub script: Script,
    /// A Latin article (`al`, `el`, `ad`, `ash`…) attached to the following word by a hyphen or, for a
    /// capitalised `Al`/`El`, by a space.
    pub article: bool,
    /// A possessive `'s` followed the word and was left out of the span.
    pub possessive: bool,
    /// Candidate stems behind Arabic proclitics, longest first.
    pub stems: Vec<Stem>,
}

impl Token {
    /// The token's surface in the original text.
    pub fn surface<'a>(&self, text: &'a str) -> &'a str {
        &text[self.span.clone()]
    }
}

/// Latin spellings of the Arabic article, plain and assimilated to sun letters.
pub const LATIN_ARTICLES: &[&str] = &[
    "al", "el", "ul", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ed", "en", "er",
    "es", "esh", "et", "ez",
];

/// Tokenises `text` with the default normaliser.
pub fn tokenize(text: &str) -> Vec<Token> {
    let (norm, toks) = scan(text, &NormalizeOptions::default());
    toks.into_iter().map(|t| t.into_token(&norm)).collect()
}

/// Tokenises `text` with the given normaliser options, returning the normalised text with its alignment
/// and the tokens.
pub fn tokenize_with(text: &str, opts: &NormalizeOptions) -> (Normalized, Vec<Token>) {
    let normalized = normalize_with(text, opts);
    let tokens = tokenize_normalized(text, &normalized);
    (normalized, tokens)
}

/// Tokenises an already normalised text (`normalized` must come from `text`).
pub fn tokenize_normalized(text: &str, normalized: &Normalized) -> Vec<Token> {
    let norm = normalized.as_str();
    let mut tokens = Vec::new();
    words_of_normalized(text, normalized, 0, 0, &mut tokens);
    mark_articles(norm, &mut tokens);
    tokens.into_iter().map(|t| t.into_token(norm)).collect()
}

/// A token whose normalised form is the byte range `norm_span` of a normalised text held elsewhere:
/// what [`scan`] produces without allocating per token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scanned {
    pub span: Range<usize>,
    pub norm_span: Range<usize>,
    pub capitalized: bool,
    pub all_caps: bool,
    pub script: Script,
    pub article: bool,
    pub possessive: bool,
    pub stems: Vec<Stem>,
}

impl Scanned {
    fn into_token(self, norm: &str) -> Token {
        Token {
            norm: norm[self.norm_span.clone()].to_string(),
            span: self.span,
            norm_span: self.norm_span,
            capitalized: self.capitalized,
            all_caps: self.all_caps,
            script: self.script,
            article: self.article,
            possessive: self.possessive,
            stems: self.stems,
        }
    }
}

/// The tokens of `text` and the normalised text their `norm_span`s point into — the same as
/// [`tokenize_with`] gives, without building the per-character alignment for plain ASCII.
///
/// The text is cut at ASCII whitespace (with any combining marks after it, which the normaliser drops
/// with the whitespace), always a word boundary of the normalised text. A piece of plain ASCII
/// normalises to itself lower-cased (a backtick becomes an apostrophe) with a one-to-one byte
/// alignment, so its words are found directly; any other piece is normalised and tokenised on its own,
/// and its spans are shifted. Joining the pieces' normalised forms with single spaces gives exactly the
/// normalised text of the whole (whitespace runs collapse, both ends are trimmed). Options without
/// the punctuation fold (no whitespace collapse) take the general path.
pub(crate) fn scan(text: &str, opts: &NormalizeOptions) -> (String, Vec<Scanned>) {
    if !opts.punctuation {
        let normalized = normalize_with(text, opts);
        let mut toks = Vec::new();
        words_of_normalized(text, &normalized, 0, 0, &mut toks);
        mark_articles(normalized.as_str(), &mut toks);
        return (normalized.into_string(), toks);
    }
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut norm = String::with_capacity(n);
    let mut toks: Vec<Scanned> = Vec::with_capacity(n / 6 + 1);
    normalize_pieces(text, opts, &mut norm, |norm, span, at, alignment| {
        let Some(normalized) = alignment else {
            let shift = span.start.wrapping_sub(at);
            plain_words(norm, at, norm.len(), &mut |s, word| {
                let (end, possessive) = trim_possessive(s, word);
                let span = s.wrapping_add(shift)..end.wrapping_add(shift);
                let (capitalized, all_caps) = ascii_casing(&bytes[span.clone()]);
                toks.push(Scanned {
                    span,
                    norm_span: s..end,
                    capitalized,
                    all_caps,
                    script: script_of(&norm[s..end]),
                    article: false,
                    possessive,
                    stems: Vec::new(),
                });
            });
            return;
        };
        words_of_normalized(&text[span.clone()], normalized, span.start, at, &mut toks);
    });
    mark_articles(&norm, &mut toks);
    (norm, toks)
}

/// Splits a possessive `'s` off a word starting at byte `start`: (end of the name part, possessive?).
#[inline]
fn trim_possessive(start: usize, word: &str) -> (usize, bool) {
    if word.len() > 3 && word.ends_with("'s") && word.is_char_boundary(word.len() - 2) {
        (start + word.len() - 2, true)
    } else {
        (start + word.len(), false)
    }
}

/// The tokens of `text` (normalised as `normalized`), with original spans shifted by `shift` and
/// normalised spans by `norm_shift`, appended to `out` (articles are not marked yet).
fn words_of_normalized(
    text: &str,
    normalized: &Normalized,
    shift: usize,
    norm_shift: usize,
    out: &mut Vec<Scanned>,
) {
    let norm = normalized.as_str();
    let mut cursor = 0;
    for_each_word(norm, |start, word| {
        let (end, possessive) = trim_possessive(start, word);
        let norm_span = start..end;
        let span = normalized.original_range_from(norm_span.clone(), &mut cursor);
        if span.is_empty() {
            return;
        }
        let surface = &text[span.clone()];
        let script = script_of(&norm[norm_span.clone()]);
        let (capitalized, all_caps) = casing(surface);
        let stems = if script == Script::Arabic {
            arabic_stems(normalized, &norm[norm_span.clone()], norm_span.clone())
                .into_iter()
                .map(|mut s| {
                    s.span = s.span.start + shift..s.span.end + shift;
                    s
                })
                .collect()
        } else {
            Vec::new()
        };
        out.push(Scanned {
            span: span.start + shift..span.end + shift,
            norm_span: norm_span.start + norm_shift..norm_span.end + norm_shift,
            capitalized,
            all_caps,
            script,
            article: false,
            possessive,
            stems,
        });
    });
}

/// Word-boundary classes of the characters the fast path handles (UAX #29 `Word_Break` values).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wb {
    /// ALetter: ASCII and Arabic letters.
    Letter,
    /// Numeric: ASCII digits.
    Digit,
    /// ExtendNumLet: `_`.
    Under,
    /// MidLetter: `:` joins letters only.
    MidLetter,
    /// MidNum: `,` `;` join digits only.
    MidNum,
    /// MidNumLet / Single_Quote: `.` `'` join letters or digits.
    MidNumLet,
    /// Any other ASCII character: a boundary on both sides.
    Other,
}

/// Whitespace the fast path splits on: a word boundary on both sides under UAX #29, except before
/// the Extend/Format/ZWJ characters the fast path never accepts.
#[inline]
fn is_split_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// Arabic letters whose `Word_Break` is ALetter and that normalised text is made of.
#[inline]
fn is_plain_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{066E}'..='\u{066F}'
        | '\u{0671}'..='\u{06D3}' | '\u{06D5}')
}

#[inline]
fn ascii_class(b: u8) -> Wb {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Wb::Letter,
        b'0'..=b'9' => Wb::Digit,
        b'_' => Wb::Under,
        b':' => Wb::MidLetter,
        b',' | b';' => Wb::MidNum,
        b'.' | b'\'' => Wb::MidNumLet,
        _ => Wb::Other,
    }
}

/// Calls `f(start, word)` for every UAX #29 word of `norm` that contains a letter or digit, exactly as
/// `split_word_bound_indices` filtered that way would, but without running the full Unicode state
/// machine on ASCII and plain Arabic letters. The text is cut at whitespace (always a boundary); a piece
/// holding any other character is handed, with the whitespace before it, to unicode-segmentation.
fn for_each_word<'a>(norm: &'a str, mut f: impl FnMut(usize, &'a str)) {
    let bytes = norm.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let ws_start = i;
        while i < n && is_split_space(bytes[i]) {
            i += 1;
        }
        if i >= n {
            break;
        }
        let piece = i;
        let mut plain = true;
        while i < n && !is_split_space(bytes[i]) {
            if bytes[i] < 0x80 {
                i += 1;
            } else {
                let c = norm[i..].chars().next().expect("char boundary");
                plain &= is_plain_arabic_letter(c);
                i += c.len_utf8();
            }
        }
        if plain {
            plain_words(norm, piece, i, &mut f);
        } else {
            for (s, w) in norm[ws_start..i].split_word_bound_indices() {
                if w.chars().any(char::is_alphanumeric) {
                    f(ws_start + s, w);
                }
            }
        }
    }
}

/// The words of `norm[from..to]`, which holds only ASCII (no whitespace) and plain Arabic letters:
/// runs of letters, digits and `_` (WB5, WB8–WB10, WB13a/b), joined across one `:`/`.`/`'` between
/// letters (WB6/WB7) or one `,`/`;`/`.`/`'` between digits (WB11/WB12).
fn plain_words<'a>(norm: &'a str, from: usize, to: usize, f: &mut impl FnMut(usize, &'a str)) {
    let bytes = norm.as_bytes();
    // Class and byte length of the character at `k` (Arabic letters are two bytes in UTF-8).
    let class = |k: usize| -> (Wb, usize) {
        if bytes[k] < 0x80 {
            (ascii_class(bytes[k]), 1)
        } else {
            (Wb::Letter, 2)
        }
    };
    let mut k = from;
    while k < to {
        let (c, len) = class(k);
        if !matches!(c, Wb::Letter | Wb::Digit | Wb::Under) {
            k += len;
            continue;
        }
        let start = k;
        let mut alnum = c != Wb::Under;
        let mut prev = c;
        k += len;
        while k < to {
            let (c2, l2) = class(k);
            match c2 {
                Wb::Letter | Wb::Digit | Wb::Under => {
                    alnum |= c2 != Wb::Under;
                    prev = c2;
                    k += l2;
                }
                Wb::MidLetter | Wb::MidNum | Wb::MidNumLet if k + l2 < to => {
                    let (c3, l3) = class(k + l2);
                    let joins = (prev == Wb::Letter
                        && c3 == Wb::Letter
                        && matches!(c2, Wb::MidLetter | Wb::MidNumLet))
                        || (prev == Wb::Digit
                            && c3 == Wb::Digit
                            && matches!(c2, Wb::MidNum | Wb::MidNumLet));
                    if !joins {
                        break;
                    }
                    prev = c3;
                    k += l2 + l3;
                }
                _ => break,
            }
        }
        if alnum {
            f(start, &norm[start..k]);
        }
    }
}

/// [`casing`] of an ASCII surface.
#[inline]
fn ascii_casing(surface: &[u8]) -> (bool, bool) {
    let first_upper = surface
        .iter()
        .find(|b| b.is_ascii_alphabetic())
        .is_some_and(u8::is_ascii_uppercase);
    let mut cased = 0usize;
    for b in surface {
        if b.is_ascii_lowercase() {
            return (first_upper, false);
        }
        cased += usize::from(b.is_ascii_uppercase());
    }
    (first_upper, cased >= 2)
}

fn casing(surface: &str) -> (bool, bool) {
    if surface.is_ascii() {
        return ascii_casing(surface.as_bytes());
    }
    let first_upper = surface
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase);
    let mut cased = 0usize;
    let mut all_upper = true;
    for c in surface.chars() {
        if c.is_lowercase() {
            all_upper = false;
            break;
        }
        if c.is_uppercase() {
            cased += 1;
        }
    }
    (first_upper, all_upper && cased >= 2)
}

fn script_of(norm: &str) -> Script {
    if norm.is_ascii() {
        // The same answer as below, byte by byte: ASCII letters are Latin, and nothing else in ASCII
        // is alphanumeric but digits.
        let bytes = norm.as_bytes();
        return if bytes.iter().any(u8::is_ascii_alphabetic) {
            Script::Latin
        } else if bytes.iter().any(u8::is_ascii_digit) {
            Script::Digits
        } else {
            Script::Other
        };
    }
    let mut latin = false;
    let mut arabic = false;
    let mut other = false;
    let mut digits = false;
    for c in norm.chars() {
        if c.is_ascii_digit() {
            digits = true;
        } else if c.is_ascii_alphabetic()
            || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
        {
            latin = true;
        } else if matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
        {
            arabic = true;
        } else if c.is_alphanumeric() {
            other = true;
        }
    }
    match (latin, arabic, other) {
        (true, false, false) => Script::Latin,
        (false, true, false) => Script::Arabic,
        (false, false, false) if digits => Script::Digits,
        _ => Script::Other,
    }
}

/// A Latin article token joined to the next word by `-` (`al-Sadr`, `ash-Shami`), or a capitalised
/// `Al`/`El` followed by one space and a capitalised word (`Al Kadhimi`).
fn mark_articles(norm: &str, tokens: &mut [Scanned]) {
    for i in 0..tokens.len().saturating_sub(1) {
        let (head, tail) = tokens.split_at_mut(i + 1);
        let t = &mut head[i];
        let next = &tail[0];
        if t.script != Script::Latin || t.possessive || t.norm_span.len() > 3 {
            continue;
        }
        let t_norm = &norm[t.norm_span.clone()];
        if !LATIN_ARTICLES.contains(&t_norm) {
            continue;
        }
        let gap = &norm[t.norm_span.end..next.norm_span.start];
        // `al-'Amiri`, `al-ʿĀmirī` (the ʿayn normalised to an apostrophe) as well.
        let hyphen = matches!(gap, "-" | "'" | "-'");
        let spaced = gap == " "
            && matches!(t_norm, "al" | "el")
            && t.capitalized
            && next.capitalized
            && next.script == Script::Latin;
        if hyphen || spaced {
            t.article = true;
        }
    }
}

/// Arabic proclitics: optional conjunction (و, ف), optional preposition (ب, ل, ك), then the article ال
/// (or لل, the preposition ل fused with the article).
fn arabic_stems(normalized: &Normalized, token_norm: &str, norm_span: Range<usize>) -> Vec<Stem> {
    let chars: Vec<(usize, char)> = token_norm.char_indices().collect();
    let n = chars.len();
    let mut stems: Vec<Stem> = Vec::new();
    let push = |stems: &mut Vec<Stem>, from: usize, norm: String, proclitics: &str| {
        // Keep at least two letters so a bare preposition never leaves a one-letter "stem".
        if n - from < 2 || stems.iter().any(|s| s.norm == norm) {
            return;
        }
        let norm_start = norm_span.start + chars[from].0;
        let span = normalized.original_range(norm_start..norm_span.end);
        stems.push(Stem {
            span,
            norm,
            proclitics: proclitics.to_string(),
        });
    };
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let rest = |i: usize| token_norm[chars[i].0..].to_string();
    for conj in [None, Some('و'), Some('ف')] {
        let mut i = 0;
        if let Some(c) = conj {
            if at(0) != Some(c) {
                continue;
            }
            i = 1;
        }
        for prep in [None, Some('ب'), Some('ل'), Some('ك')] {
            let mut j = i;
            if let Some(p) = prep {
                if at(j) != Some(p) {
                    continue;
                }
                j += 1;
            }
            if j >= n {
                continue;
            }
            let clitics: String = token_norm[..chars[j].0].to_string();
            // Article after the prefixes: keep the stem with and without it.
            if at(j) == Some('ا') && at(j + 1) == Some('ل') && j + 2 < n {
                if j > 0 {
                    push(&mut stems, j, rest(j), &clitics);
                }
                push(&mut stems, j + 2, rest(j + 2), &format!("{clitics}ال"));
            } else if prep == Some('ل') && at(j) == Some('ل') && j + 1 < n {
                // لل + X = ل + الX: the article's alef is not written.
                push(&mut stems, j, format!("ا{}", rest(j)), &clitics);
                push(&mut stems, j + 1, rest(j + 1), &format!("{clitics}ل"));
            } else if j > 0 {
                push(&mut stems, j, rest(j), &clitics);
            }
        }
    }
    stems.sort_by_key(|s| std::cmp::Reverse(s.norm.chars().count()));
    stems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn words_and_spans() {
        let text = "Mustafa al-Kadhimi’s office, 😀 مصطفى الكاظمي!";
        let tokens = tokenize(text);
        let surfaces: Vec<&str> = tokens.iter().map(|t| t.surface(text)).collect();
        assert_eq!(
            surfaces,
            ["Mustafa", "al", "Kadhimi", "office", "مصطفى", "الكاظمي"]
        );
        assert!(tokens[1].article);
        assert!(tokens[2].possessive && tokens[2].capitalized);
        assert_eq!(tokens[4].script, Script::Arabic);
        assert_eq!(norms("PMF"), ["pmf"]);
        assert!(tokenize("PMF")[0].all_caps);
    }

    #[test]
    fn stems() {
        let cases: &[(&str, &[&str])] = &[
            ("وللكاظمي", &["الكاظمي", "كاظمي", "للكاظمي"]),
            ("بالعراق", &["العراق", "عراق"]),
            ("والحشد", &["الحشد", "حشد"]),
            ("فبغداد", &["بغداد"]),
        ];
        for (word, want) in cases {
            let t = &tokenize(word)[0];
            for w in *want {
                let stem = t.stems.iter().find(|s| s.norm == *w);
                assert!(stem.is_some(), "{word}: no stem {w} in {:?}", t.stems);
            }
            for s in &t.stems {
                assert!(word.is_char_boundary(s.span.start));
            }
        }
        assert!(tokenize("بن")[0].stems.is_empty());
    }

    /// The reference: UAX #29 words holding a letter or digit.
    fn uax_words(text: &str) -> Vec<(usize, &str)> {
        text.split_word_bound_indices()
            .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
            .collect()
    }

    fn fast_words(text: &str) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        for_each_word(text, |s, w| out.push((s, w)));
        out
    }

    #[test]
    fn fast_word_boundaries_match_uax29() {
        let cases = [
            "al-Kadhimi's U.S. 1,000.5 a:b a.1 1.a __x_ x__.y e.g. ok' 'ok",
            "وللكاظمي،بغداد.أربيل 12:30 a\u{301}b \u{301}x \t\u{300}y",
            "Mixed: English, عربي, 😀👍🏽 ZWJ\u{200D}x  x.  .x ;; , ,1 1, 1,2;3'4",
            "",
            "  ",
        ];
        for text in cases {
            assert_eq!(fast_words(text), uax_words(text), "{text:?}");
        }
        // Every plain Arabic letter is ALetter: it joins Latin letters and `.` like one.
        for c in ('\u{0600}'..='\u{06FF}').filter(|&c| is_plain_arabic_letter(c)) {
            for t in [
                format!("a{c}b"),
                format!("{c}.{c}"),
                format!("1{c}_"),
                format!("{c}:{c}"),
            ] {
                assert_eq!(fast_words(&t), uax_words(&t), "U+{:04X} in {t:?}", c as u32);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_word_boundaries_match_uax29_on_random_text(
            picks in proptest::collection::vec(0usize..40, 0..60)
        ) {
            const ALPHABET: &[&str] = &[
                "a", "Z", "k", "0", "7", "_", ".", "'", ":", ",", ";", "-", "!", "\"", " ", "  ", "\t",
                "\n", "\r\n", "\u{0B}", "ا", "ل", "ك", "ي", "ه", "پ", "ۀ", "،", "٣", "\u{064E}",
                "\u{0301}", "\u{200D}", "\u{200C}", "😀", "\u{1F1EE}", "é", "ß", "א", "中", "\u{00A0}",
            ];
            let text: String = picks.iter().map(|&i| ALPHABET[i]).collect();
            proptest::prop_assert_eq!(fast_words(&text), uax_words(&text));
        }

        /// The piecewise scan (ASCII pieces without an alignment) gives exactly the tokens of
        /// normalising the whole text first, norm spans included.
        #[test]
        fn scan_matches_whole_text_tokenisation(
            picks in proptest::collection::vec(0usize..52, 0..80)
        ) {
            const ALPHABET: &[&str] = &[
                "a", "Z", "Al", "al", "-", "el", "Kadhimi", "'s", "’s", "0", "_", ".", "'", "`", ":",
                ",", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "ا", "ل", "وال", "بال", "ي", "ه", "ۀ",
                "،", "٣", "\u{064E}", "\u{0301}", "\u{200D}", "\u{200B}", "\u{200C}", "😀", "é", "É",
                "ß", "א", "中", "\u{00A0}", "\u{2009}", "\u{00B4}", "\u{2019}", "\u{2010}", "ﻣ", "Ⅻ",
                "\u{FEFF}", "İ", "ǅ",
            ];
            let text: String = picks.iter().map(|&i| ALPHABET[i]).collect();
            let whole = tokenize_with(&text, &NormalizeOptions::default());
            let (norm, scanned) = scan(&text, &NormalizeOptions::default());
            proptest::prop_assert_eq!(norm.as_str(), whole.0.as_str());
            let plain = crate::normalize(&text);
            proptest::prop_assert_eq!(plain.as_str(), whole.0.as_str());
            let fast: Vec<Token> = scanned.into_iter().map(|t| t.into_token(&norm)).collect();
            proptest::prop_assert_eq!(fast, whole.1);
        }
    }
}
