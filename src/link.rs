//! Entity linking: find gazetteer names in running text and link them to entities.
//!
//! The [`Linker`] works in two passes over the tokens of a text:
//!
//! 1. **exact**: the names index is walked token by token (Solr-tagger style), leftmost-longest, so
//!    *Erbil International Airport* beats *Erbil*. Arabic tokens also try their stems behind proclitics
//!    (`بالعراق` → `العراق`), Latin articles are walked with the name and also skipped;
//! 2. **variant**: capitalised Latin sequences and Arabic-script sequences that matched nothing exactly
//!    are looked up by loose key, by name part (surname-only mentions) and by fuzzy key, and scored by
//!    [`score_variant`]. Names already linked in the document win (document coreference: after
//!    *Mustafa al-Kadhimi*, a later *Kadhimi* or *al-Khadimi* is the same person; *Bin Zayed* after
//!    *Mohamed bin Zayed*, but never the father's name alone). A name the text itself gives as another
//!    name of the person or group just linked (*Qais al-Khazali, also known as Abu Layth al-Khazali*)
//!    links to it.
//!
//! Precision rules: lowercase single words never link, weak aliases (acronyms) link only as an exact
//! all-caps surface, English function words, months and days never link alone, and small places need a
//! capitalised surface that is not at the start of a sentence. A text written without capitals (much
//! social-media writing: *saw kadhimi in baghdad*) is the exception: there a lower-case word of four
//! letters or more, or a name of several words, links by exact match, through any of its names, to an
//! entity of prior ≥ 0.5, and titles are recognised in lower case (*president biden*); the variant
//! pass there only links a surname to a person named in full earlier (*sudani* after *mohammed shia
//! al-sudani*), so misspelt names are not found in such text. Titles (*President*, *Sheikh*, *Gen.*) are
//! left out of spans but favour persons. After an article, a place needs a name of its own, not one word
//! of a longer name (*al-Sadr* is a surname, not *Sadr City*); an Arabic common noun that heads many
//! place names in the gazetteer (المدينة "the city", المنطقة "the region") links alone only to a place
//! the document has already named.
//!
//! Speed: tokens borrow their normalised form from one normalised text built piecewise (plain ASCII
//! needs no alignment table); single lower-case Latin words are turned down before any entity is
//! decoded; the names-index walk is memoised per document by (walk state, token), so a word or name
//! seen before costs a hash lookup; work that depends on the gazetteer alone (name keys, name forms,
//! which names a surface matches, variant similarities, lexicon lookups) is memoised in memos the
//! [`Linker`] keeps between documents, beside a bounded cache of the variant pass's gazetteer lookups
//! ([`LinkerBuilder::cache_capacity`]).
//!
//! ```
//! use nisba::gazetteer::{Entity, GazetteerBuilder, Kind};
//! use nisba::link::Linker;
//! let mut b = GazetteerBuilder::new();
//! b.add(Entity::new("loc:erbil", "Erbil", Kind::Loc))?;
//! let gz = b.build()?;
//! let linker = Linker::new(&gz);
//! let text = "Flights to Erbil resumed.";
//! let mentions = linker.link(text);
//! assert_eq!(mentions.len(), 1);
//! assert_eq!(&text[mentions[0].span.clone()], "Erbil");
//! assert_eq!(mentions[0].id, "loc:erbil");
//! # Ok::<(), nisba::Error>(())
//! ```

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// Hash maps keyed by entity indexes and short words, hashed many times per token: FxHash, as in the
/// lexicon (the keys are the gazetteer's and the text's words, not an attacker's choice of buckets).
type FastMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;
type FastSet<K> = HashSet<K, rustc_hash::FxBuildHasher>;
/// Per-entity values of one surface.
type ByEntity<T> = FastMap<u32, T>;
/// See [`Linker::names_matched`].
type NamesMatched = (bool, bool, bool, bool);
use std::ops::Range;
use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use crate::gazetteer::{name_key, EntityRef, Gazetteer, Kind};
use crate::key::loose_key;
use crate::normalize::{normalize, NormalizeOptions};
use crate::tokenize::{scan, Scanned, Script, Stem, LATIN_ARTICLES};

/// Generic words closing an organisation's name that news style writes in lower case (*the Sadrist
/// movement*, *the State of Law coalition*): see [`Linker::designator_tail`].
const ORG_DESIGNATORS: &[&str] = &[
    "alliance",
    "bloc",
    "brigade",
    "brigades",
    "coalition",
    "current",
    "front",
    "group",
    "list",
    "militia",
    "movement",
    "organisation",
    "organization",
    "party",
];

/// Generic words closing a facility's or a site's name that news style writes in lower case (*Ain
/// al-Asad air base*, *Abu Ghraib prison*, *Safer oil field*): see [`Linker::designator_tail`].
const LOC_DESIGNATORS: &[&str] = &[
    "air",
    "airbase",
    "airport",
    "base",
    "bridge",
    "camp",
    "checkpoint",
    "complex",
    "crossing",
    "dam",
    "facility",
    "desert",
    "field",
    "fields",
    "heights",
    "mountain",
    "mountains",
    "mosque",
    "oil",
    "oilfield",
    "plain",
    "plains",
    "plant",
    "port",
    "prison",
    "refinery",
    "river",
    "shrine",
    "square",
    "terminal",
    "valley",
];

/// Capitalised words that, after a place's name, make it a word of an institution's, a publication's,
/// a company's or a building's name (*Washington Institute*, *Chatham House*, *Tehran Times*, *Qatar
/// Airways*, *Rashid Street*):
/// the place does not link there (see [`Linker::heads_longer_name`]).
const NAME_HEADS: &[&str] = &[
    "academy",
    "agency",
    "airlines",
    "airways",
    "association",
    "avenue",
    "bank",
    "bridge",
    "center",
    "centre",
    "church",
    "club",
    "college",
    "commission",
    "committee",
    "company",
    "conference",
    "corporation",
    "council",
    "daily",
    "declaration",
    "forum",
    "foundation",
    "gate",
    "herald",
    "holding",
    "holdings",
    "hospital",
    "hotel",
    "house",
    "institute",
    "institution",
    "journal",
    "library",
    "mosque",
    "museum",
    "news",
    "operations",
    "palace",
    "petroleum",
    "police",
    "post",
    "process",
    "radio",
    "review",
    "road",
    "school",
    "society",
    "stadium",
    "street",
    "summit",
    "telecom",
    "times",
    "tribune",
    "tv",
    "university",
];

/// Lower-case nouns for a group's members, leaders or deeds: after a group's one-word short name
/// they make it the group (*Houthi fighters*, *Houthi leader*), see [`Linker::exact_allowed`].
const MEMBER_NOUNS: &[&str] = &[
    "attack",
    "attacks",
    "commander",
    "commanders",
    "drone",
    "drones",
    "fighter",
    "fighters",
    "forces",
    "gunmen",
    "leader",
    "leaders",
    "leadership",
    "loyalists",
    "members",
    "militants",
    "militia",
    "militiamen",
    "missile",
    "missiles",
    "official",
    "officials",
    "positions",
    "rebels",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "strongholds",
    "supporters",
    "troops",
];

/// Default [`LinkerBuilder::cache_capacity`].
const DEFAULT_CACHE_CAPACITY: usize = 8192;
/// The longest name, in tokens, the exact pass walks.
const MAX_NAME_TOKENS: usize = 12;
/// The longest capitalised sequence, in tokens (article tokens excluded), the variant pass tries.
const MAX_VARIANT_TOKENS: usize = 4;
/// How close ([`score_variant_forms`]) a personal-name run must be to the name of the person an exact
/// match at its start links for the mention to cover the whole run (see [`Linker::rest_of_run`]).
const RUN_EXTENSION_MIN: f32 = 0.9;
/// A word heading this many multi-word place or organisation names is a common noun (see
/// [`Linker::generic_head`]).
const GENERIC_HEAD_NAMES: usize = 10;
/// Part or fuzzy lookups returning more entities than this are too ambiguous to score.
const MAX_VARIANT_CANDIDATES: usize = 400;

/// English function words, pronouns, months and days: never linked on their own.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "during",
    "each",
    "for",
    "from",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "may",
    "me",
    "more",
    "most",
    "my",
    "no",
    "not",
    "of",
    "on",
    "one",
    "or",
    "our",
    "out",
    "over",
    "she",
    "should",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "yet",
    "you",
    "your",
    "according",
    "among",
    "against",
    "officials",
    "security",
    "police",
    "government",
    "minister",
    "president",
    "state",
    "news",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tomorrow",
    "region",
    "province",
    "district",
    "city",
    "capital",
    "county",
    "island",
    "islands",
    "central",
    "western",
    "eastern",
    "northern",
    "southern",
    "north",
    "south",
    "east",
    "west",
    "new",
    "old",
    "great",
    "upper",
    "lower",
    "free",
    "union",
    "republic",
    "kingdom",
    "national",
    "international",
    // French function words (*Le président…*, *selon*), for French-press text.
    "le",
    "la",
    "les",
    "des",
    "du",
    "au",
    "aux",
    "et",
    "un",
    "une",
    "pour",
    "par",
    "sur",
    "dans",
    "avec",
    "il",
    "elle",
    "ils",
    "elles",
    "ce",
    "cette",
    "ces",
    "qui",
    "que",
    "est",
    "sont",
    "selon",
];

/// Arabic function words and common nouns that never link alone (normalised at first use).
const AR_STOPWORDS: &[&str] = &[
    "إلى",
    "إن",
    "أن",
    "في",
    "من",
    "على",
    "عن",
    "مع",
    "هذا",
    "هذه",
    "التي",
    "الذي",
    "كان",
    "قال",
    "بعد",
    "قبل",
    "حتى",
    "ثم",
    "أو",
    "لا",
    "ما",
    "لم",
    "لن",
    "قد",
    "كل",
    "بين",
    "عند",
    "منذ",
    "مدينة",
    "زار",
    "وزير",
    "رئيس",
    "دولة",
    "يوم",
    "اليوم",
    "أمس",
    "حيث",
    "لكن",
    "وقال",
    "أيضا",
    "خلال",
    // Conjunctions with a pronoun or a preposition attached (بأنه "that it" is no Baneh).
    "أنه",
    "أنها",
    "أنهم",
    "إنه",
    "إنها",
    "إنهم",
    "بأن",
    "بأنه",
    "بأنها",
    "بأنهم",
    "لأن",
    "لأنه",
    "لأنها",
    "كأن",
    "كأنه",
    "لكنه",
    "ولكن",
    "فيه",
    "فيها",
    "عليه",
    "عليها",
    "منه",
    "منها",
    "هو",
    "هي",
    "هم",
    "كما",
    "إذا",
    "ضد",
    "نحو",
    "لدى",
    "دون",
    "غير",
];

/// FNV-1a: the word sets below are hashed once per token, where SipHash's DoS resistance buys nothing
/// (the keys are our own word lists) and costs several times more on short words.
#[derive(Default, Clone, Copy)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvBuild = std::hash::BuildHasherDefault<Fnv>;
type WordSet = HashSet<String, FnvBuild>;

fn normalized_set(words: &[&str]) -> WordSet {
    words.iter().map(|w| normalize(w)).collect()
}

fn titles_set() -> &'static WordSet {
    static SET: OnceLock<WordSet> = OnceLock::new();
    SET.get_or_init(|| normalized_set(TITLES))
}

fn is_stopword(norm: &str) -> bool {
    static SET: OnceLock<WordSet> = OnceLock::new();
    // English entries are already normalised (lower-case ASCII); Arabic ones are normalised here.
    SET.get_or_init(|| {
        let mut set = normalized_set(AR_STOPWORDS);
        set.extend(STOPWORDS.iter().map(|w| w.to_string()));
        set
    })
    .contains(norm)
}

/// English adjectives of nationality and the country each names (`data/rules/demonyms.tsv`).
const DEMONYMS: &str = include_str!("../data/rules/demonyms.tsv");

/// The ISO 3166-1 code of the country an English adjective of nationality names (`turkish` → `TR`).
fn demonym_country(norm: &str) -> Option<&'static str> {
    static MAP: OnceLock<FastMap<String, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        DEMONYMS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(w, c)| (normalize(w), c.trim()))
            .collect()
    })
    .get(norm)
    .copied()
}

/// Common words of Arabic news prose that are also the one-word name of a place or an organisation
/// (`data/rules/arabic_common_nouns.tsv`): alone, they link only after a designating word
/// ([`AR_DESIGNATORS`]) or once the entity is named.
const AR_COMMON_NOUNS: &str = include_str!("../data/rules/arabic_common_nouns.tsv");

/// True when `norm` (a normalised Arabic word) is one of [`AR_COMMON_NOUNS`].
fn is_arabic_common_noun(norm: &str) -> bool {
    static SET: OnceLock<WordSet> = OnceLock::new();
    SET.get_or_init(|| {
        AR_COMMON_NOUNS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').next())
            .filter(|w| !w.is_empty())
            .map(normalize)
            .collect()
    })
    .contains(norm)
}

/// True for an Arabic common noun of names (حزب، جماعة، الدفاع، الجنوب: `data/rules/common_words.tsv`,
/// [`AR_COMMON_NOUNS`]), with or without the article: no word to refer back to an organisation by.
fn is_arabic_generic(norm: &str) -> bool {
    if !norm.chars().any(crate::normalize::is_arabic) {
        return false;
    }
    let bare = norm.strip_prefix("ال").unwrap_or(norm);
    is_arabic_common_noun(norm)
        || is_arabic_common_noun(&format!("ال{bare}"))
        || crate::translit::rules::common_words()
            .by_arabic
            .contains_key(&crate::translit::lexicon::fold_arabic(bare))
}

/// An Arabic word of a name that opens with a preposition or conjunction and the article (للانتخابات
/// "for the elections", بالعراق, والتنمية "and development"): a modifier or a second member of the
/// name, never the word a later mention refers back to it by.
fn arabic_clitic_modifier(norm: &str) -> bool {
    const PREFIXES: [&str; 6] = ["لل", "بال", "كال", "فال", "وال", "ولل"];
    norm.chars().count() >= 5 && PREFIXES.iter().any(|p| norm.starts_with(p))
}

/// True when the words of the entity's names that `word` matches by loose key are all clitic
/// modifiers ([`arabic_clitic_modifier`]).
fn names_only_a_modifier(word: &str, forms: &NameForms) -> bool {
    let k = loose_key(word);
    let mut matched = forms
        .strong_norms
        .iter()
        .flat_map(|n| n.split(' '))
        .filter(|w| loose_key(w) == k)
        .peekable();
    matched.peek().is_some() && matched.all(arabic_clitic_modifier)
}

/// Arabic words that designate the place or organisation named next (محافظة الداخلية, قناة العربية).
const AR_DESIGNATORS: &[&str] = &[
    "محافظة",
    "مدينة",
    "ولاية",
    "بلدة",
    "قرية",
    "منطقة",
    "إقليم",
    "قضاء",
    "ناحية",
    "حي",
    "مخيم",
    "جزيرة",
    "قناة",
    "صحيفة",
    "جريدة",
    "وكالة",
    "موقع",
    "حركة",
    "حزب",
    "تنظيم",
    "جماعة",
    "تلفزيون",
    "إذاعة",
    "شبكة",
];

/// True when `norm` (a normalised Arabic word) is one of [`AR_DESIGNATORS`].
fn is_arabic_designator(norm: &str) -> bool {
    static SET: OnceLock<WordSet> = OnceLock::new();
    SET.get_or_init(|| normalized_set(AR_DESIGNATORS))
        .contains(norm)
}

/// Prepositions that announce a place.
const LOCATIVES: &[&str] = &[
    "in", "at", "near", "from", "to", "into", "outside", "across", "around", "toward", "towards",
    "via", "فی", "في", "من", "إلى",
    // With the conjunction و written joined (وفي خان يونس "and in Khan Younis").
    "وفی", "وفي", "ومن", "وإلى",
];

/// Head nouns of the bodies every state has (*Foreign Ministry*, *National Security Council*,
/// *Central Bank*): written alone, such a name is the body of the story's main country.
const GENERIC_BODIES: &[&str] = &[
    "ministry",
    "ministries",
    "council",
    "parliament",
    "cabinet",
    "army",
    "police",
    "court",
    "bank",
    "presidency",
    "judiciary",
];

/// True when no country has more mentions so far than `c` (any country, before the first).
fn main_country(c: &str, doc: &DocState<'_>) -> bool {
    let max = doc.countries.values().copied().max().unwrap_or(0);
    doc.countries.get(c).copied().unwrap_or(0) >= max
}

/// Kinship and acquaintance nouns (normalised): the name right after one is a private person's (*my
/// father Abbas*, *her cousin Nasr*), not a public figure's surname.
const KIN_WORDS: &[&str] = &[
    "father",
    "mother",
    "brother",
    "sister",
    "son",
    "daughter",
    "uncle",
    "aunt",
    "cousin",
    "nephew",
    "niece",
    "husband",
    "wife",
    "grandfather",
    "grandmother",
    "grandson",
    "granddaughter",
    "friend",
    "neighbour",
    "neighbor",
    "colleague",
    "fiance",
    "fiancee",
];

/// Words that make the next *of* locative (*south of Deraa*, *the outskirts of Mosul*).
const PLACE_OF: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "outskirts",
    "suburbs",
    "heart",
    "centre",
    "center",
    "edge",
];

/// True for a locative preposition (normalised: إلى is `الي`).
fn is_locative(norm: &str) -> bool {
    static SET: OnceLock<WordSet> = OnceLock::new();
    SET.get_or_init(|| normalized_set(LOCATIVES)).contains(norm)
}

/// Words after which *to* introduces a person or a cause, not a destination (*loyal to Sadr*).
const NOT_LOCATIVE_BEFORE_TO: &[&str] = &[
    "according",
    "allied",
    "close",
    "closer",
    "closest",
    "devoted",
    "due",
    "linked",
    "loyal",
    "loyalty",
    "next",
    "opposed",
    "opposition",
    "related",
    "similar",
    "thanks",
    "tied",
    "ties",
    "allegiance",
    "answer",
    "answerable",
    "adviser",
    "advisor",
    "aide",
    "aides",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "successor",
    "letter",
    "message",
    "appeal",
    "threat",
    "threats",
];

/// True when the token before `i` is a locative preposition (see [`LOCATIVES`]); *to* counts only
/// when it does not follow a word that makes it a dative (*loyal to*, *close to*, *according to*).
fn locative_before(tokens: &[Tok<'_>], i: usize) -> bool {
    if i >= 2 && tokens[i - 1].norm == "of" && PLACE_OF.contains(&tokens[i - 2].norm) {
        // *south of Deraa*, *the outskirts of Mosul*.
        return true;
    }
    if i == 0 || !is_locative(tokens[i - 1].norm) {
        return false;
    }
    !(tokens[i - 1].norm == "to" && i >= 2 && NOT_LOCATIVE_BEFORE_TO.contains(&tokens[i - 2].norm))
}

/// True when token `i` follows, in a list, a place mention ending at byte `place_end` (*Khan Younis
/// and Rafah*, *Najaf, Karbala*): the list shares the place's locative.
fn listed_after_place(text: &str, tokens: &[Tok<'_>], i: usize, place_end: Option<usize>) -> bool {
    let Some(end) = place_end else {
        return false;
    };
    let gap_is = |a: usize, b: usize, gaps: &[&str]| {
        text.get(a.min(b)..b).is_some_and(|g| gaps.contains(&g))
    };
    let start = tokens[i].span.start;
    // *Najaf, Karbala*: a comma right after the place.
    if i >= 1 && tokens[i - 1].span.end <= end && gap_is(end, start, &[", "]) {
        return true;
    }
    // *Khan Younis and Rafah*, *Najaf, Karbala and Basra*.
    i >= 2
        && matches!(tokens[i - 1].norm, "and" | "or")
        && gap_is(end, tokens[i - 1].span.start, &[" ", ", "])
        && gap_is(tokens[i - 1].span.end, start, &[" "])
}

/// True when the Latin token `i` heads a longer capitalised name through the article after it
/// (*Bab al-Bahrain*, *Ras al-Ain*).
fn construct_head(text: &str, tokens: &[Tok<'_>], i: usize) -> bool {
    let (Some(art), Some(next)) = (tokens.get(i + 1), tokens.get(i + 2)) else {
        return false;
    };
    tokens[i].script == Script::Latin
        && !tokens[i].possessive
        && art.article
        && next.script == Script::Latin
        && next.capitalized
        && !next.article
        && joinable(text, &tokens[i], art)
        && joinable(text, art, next)
}

/// Words that name a kind of place right after the name ("Salahuddin province", "Diyala governorate").
const PLACE_WORDS_AFTER: &[&str] = &[
    "province",
    "governorate",
    "governate",
    "district",
    "region",
    "city",
    "town",
    "village",
    "county",
    "municipality",
    "subdistrict",
    "sub-district",
];

/// Words that name a kind of place right before the name: Arabic (محافظة صلاح الدين, مدينة الموصل) and
/// English followed by "of" ("the province of Salahuddin").
const PLACE_WORDS_BEFORE: &[&str] = &[
    "محافظة",
    "مدينة",
    "قضاء",
    "ناحية",
    "ولاية",
    "إقليم",
    "منطقة",
    "قرية",
    "بلدة",
    "province",
    "governorate",
    "district",
    "city",
    "town",
    "village",
];

/// True when the tokens `first..=last` are named a place by the words around them: a lower-case place
/// word right after (*Salahuddin province*), an Arabic place word right before (محافظة …), or *province of* before.
fn place_designated(text: &str, tokens: &[Tok<'_>], first: usize, last: usize) -> bool {
    static AFTER: OnceLock<WordSet> = OnceLock::new();
    static BEFORE: OnceLock<WordSet> = OnceLock::new();
    let after = AFTER.get_or_init(|| normalized_set(PLACE_WORDS_AFTER));
    let before = BEFORE.get_or_init(|| normalized_set(PLACE_WORDS_BEFORE));
    let next = tokens
        .get(last + 1)
        .filter(|t| joinable(text, &tokens[last], t) && !tokens[last].possessive);
    // Lower case only: a capitalised one is part of a name ("the Kurdistan Region" is not a
    // province named Kurdistan).
    if next.is_some_and(|t| t.script == Script::Latin && !t.capitalized && after.contains(t.norm)) {
        return true;
    }
    let prev = |k: usize| first.checked_sub(k).map(|j| &tokens[j]);
    match (prev(2), prev(1)) {
        (_, Some(p)) if p.script == Script::Arabic && before.contains(p.norm) => true,
        (Some(p), Some(of)) => {
            p.script == Script::Latin && of.norm == "of" && before.contains(p.norm)
        }
        _ => false,
    }
}

/// Adjectives of faith and sect (normalised, sorted): like a demonym they describe a group (*the Shia
/// Coordination Framework*, *Sunni tribes*) and never refer back to it alone.
const FAITH_WORDS: &[&str] = &[
    "alawi",
    "alawite",
    "catholic",
    "chaldean",
    "christian",
    "coptic",
    "druze",
    "ezidi",
    "islamic",
    "ismaili",
    "jewish",
    "maronite",
    "muslim",
    "orthodox",
    "salafi",
    "salafist",
    "shia",
    "shii",
    "shiite",
    "sufi",
    "sunni",
    "sunnite",
    "wahhabi",
    "yazidi",
    "zaydi",
];

/// Suffixes that turn a place name into a demonym or adjective (`Iraq` → `Iraqi`, `Iran` → `Iranian`).
const DEMONYM_SUFFIXES: &[&str] = &[
    "i", "is", "ian", "ians", "n", "ns", "an", "ans", "ese", "ish",
];

/// Whether `word` (normalised) is the adjective-shaped first word of a longer place name (*Saudi* of
/// *Saudi Arabia*), which on its own is usually the adjective.
fn is_adjective_of(word: &str, name: &str) -> bool {
    let mut words = name.split_whitespace();
    let (Some(first), Some(_)) = (words.next(), words.next()) else {
        return false;
    };
    first.eq_ignore_ascii_case(word)
        && word.is_ascii()
        && ["i", "ian", "ese", "ish"].iter().any(|s| word.ends_with(s))
}

/// Verbs that report speech: a capitalised word right before one is the speaker (*Hassan said*).
const REPORTING_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "stated",
    "warned",
    "noted",
    "insisted",
    "argued",
    "wrote",
    "tweeted",
    "denied",
    "confirmed",
    "explained",
    "replied",
    "announced",
    "declared",
];

/// Phrases (lower-case, punctuation dropped) that give another name of the person or group just named
/// (see [`Linker::apposition_at`]).
const APPOSITION_PHRASES: &[&str] = &[
    "also known as",
    "known as",
    "better known as",
    "formerly known as",
    "widely known as",
    "a.k.a.",
    "aka",
    "also called",
    "nicknamed",
    "known by his nom de guerre",
    "known by the nom de guerre",
    "whose nom de guerre is",
    "alias",
];

/// Nasab particles (normalised): *bin*, *ibn*… link a name to the next, and mark a personal name.
const NASAB: &[&str] = &["bin", "ibn", "bint", "ben", "ould"];

/// Titles and honorifics (normalised, one or two tokens) that precede a person's name.
const TITLES: &[&str] = &[
    "president",
    "prime minister",
    "minister",
    "sheikh",
    "shaikh",
    "sheik",
    "shaykh",
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "general",
    "field marshal",
    "marshal",
    "brigadier",
    "admiral",
    "col",
    "colonel",
    "lt",
    "maj",
    "major",
    "capt",
    "captain",
    "king",
    "queen",
    "prince",
    "crown prince",
    "princess",
    "emir",
    "amir",
    "sayyid",
    "sayed",
    "imam",
    "mullah",
    "mawlawi",
    "maulawi",
    "maulvi",
    "mufti",
    "hajji",
    "ayatollah",
    "grand ayatollah",
    "cleric",
    "commander",
    "spokesman",
    "spokeswoman",
    "speaker",
    "ambassador",
    "secretary",
    "senator",
    "governor",
    "mayor",
    "judge",
    "الرئيس",
    "الشيخ",
    "السيد",
    "رئيس الوزراء",
    "الوزير",
    "الملك",
    "الملكة",
    "الامير",
    "الملا",
    "المفتي",
];

/// The linker's settings; build a [`Linker`] with [`LinkerBuilder::build`].
#[derive(Debug, Clone)]
pub struct LinkerBuilder {
    score_cutoff: f32,
    kinds: Option<Vec<Kind>>,
    include_unlinked: bool,
    fuzzy: bool,
    cache_capacity: usize,
}

impl Default for LinkerBuilder {
    fn default() -> Self {
        LinkerBuilder {
            score_cutoff: 0.5,
            kinds: None,
            include_unlinked: false,
            fuzzy: true,
            cache_capacity: DEFAULT_CACHE_CAPACITY,
        }
    }
}

impl LinkerBuilder {
    /// Default settings: cutoff 0.5, kinds PER/ORG/LOC/OTHER, no unlinked mentions, fuzzy lookups on.
    pub fn new() -> LinkerBuilder {
        LinkerBuilder::default()
    }

    /// Mentions whose best score is below `cutoff` (0..=1) are dropped.
    pub fn score_cutoff(&mut self, cutoff: f32) -> &mut Self {
        self.score_cutoff = cutoff;
        self
    }

    /// Only entities of these kinds are linked (default: every kind except [`Kind::Name`]).
    pub fn kinds(&mut self, kinds: &[Kind]) -> &mut Self {
        self.kinds = Some(kinds.to_vec());
        self
    }

    /// Also report names that match no entity, with an empty id and a suggested spelling as the name:
    /// capitalised Latin sequences of two or more words that look Arabic-origin (`kh`, `dh`, `q`,
    /// `abd`, `ibn`…), and Arabic-script sequences of two or more words right after a title
    /// (`الشيخ ...`), romanised with the `simple` scheme.
    pub fn include_unlinked(&mut self, yes: bool) -> &mut Self {
        self.include_unlinked = yes;
        self
    }

    /// Turns the fuzzy (edit-distance) lookup of the variant pass on or off.
    pub fn fuzzy(&mut self, yes: bool) -> &mut Self {
        self.fuzzy = yes;
        self
    }

    /// How many variant-pass lookups (loose key, name part, fuzzy key: the entities a capitalised
    /// sequence may refer to) the linker keeps across the documents it links (default 8192; 0 turns the
    /// cache off), and how many entries a gazetteer-only memo may hold to be kept for the next
    /// document. Both depend only on the gazetteer, so results are the same with or without them; a
    /// full cache is emptied and refilled, an outgrown memo dropped.
    pub fn cache_capacity(&mut self, entries: usize) -> &mut Self {
        self.cache_capacity = entries;
        self
    }

    /// A linker over `gz` with these settings.
    pub fn build<'g, D: AsRef<[u8]>>(&self, gz: &'g Gazetteer<D>) -> Linker<'g, D> {
        self.build_sharing(gz, Arc::default())
    }

    /// A linker over `gz` with these settings that keeps its cross-document work in `caches`, which
    /// must only ever be used with this gazetteer and these settings (the Python binding keeps them
    /// across calls; a Rust caller keeps the [`Linker`] instead).
    pub(crate) fn build_sharing<'g, D: AsRef<[u8]>>(
        &self,
        gz: &'g Gazetteer<D>,
        caches: Arc<LinkerCaches>,
    ) -> Linker<'g, D> {
        Linker {
            gz,
            caches,
            cfg: self.clone(),
        }
    }
}

/// A mention of an entity found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// Byte span in the original text; `&text[span] == text`.
    pub span: Range<usize>,
    /// The mention's surface.
    pub text: String,
    /// The linked entity's id; empty for an unlinked mention (see [`LinkerBuilder::include_unlinked`]),
    /// which Python reports as `id=None`.
    pub id: String,
    /// The linked entity's canonical name; for an unlinked mention a suggested spelling (the surface of
    /// a Latin name, the `simple` romanisation of an Arabic-script one).
    pub name: String,
    /// The linked entity's kind ([`Kind::Other`] for an unlinked mention).
    pub kind: Kind,
    /// Confidence in 0..=1.
    pub score: f32,
    /// Human-readable reasons for the link, in the order they were applied.
    pub explanation: Vec<String>,
    /// Every candidate entity considered, best first: `(id, score)`.
    pub candidates: Vec<(String, f32)>,
}

/// Finds and links gazetteer entities in text. Cheap to create; `Send + Sync` when the gazetteer is.
#[derive(Debug)]
pub struct Linker<'g, D: AsRef<[u8]>> {
    gz: &'g Gazetteer<D>,
    cfg: LinkerBuilder,
    /// What the documents this linker links share (see [`LinkerBuilder::cache_capacity`]).
    caches: Arc<LinkerCaches>,
}

/// A token of the text being linked; its normalised form is borrowed from the normalised text.
struct Tok<'a> {
    span: Range<usize>,
    norm: &'a str,
    capitalized: bool,
    all_caps: bool,
    script: Script,
    article: bool,
    possessive: bool,
    stems: Vec<Stem>,
    /// In a lower-case text or line (see [`lower_case_lines`]): capitals say nothing there.
    lower: bool,
}

impl<'a> Tok<'a> {
    /// The token without its stems (cheap: no allocation).
    fn clone_without_stems(&self) -> Tok<'a> {
        Tok {
            span: self.span.clone(),
            norm: self.norm,
            capitalized: self.capitalized,
            all_caps: self.all_caps,
            script: self.script,
            article: self.article,
            possessive: self.possessive,
            stems: Vec::new(),
            lower: self.lower,
        }
    }

    fn all(norm: &'a str, scanned: Vec<Scanned>) -> Vec<Tok<'a>> {
        scanned
            .into_iter()
            .map(|t| Tok {
                norm: &norm[t.norm_span],
                span: t.span,
                capitalized: t.capitalized,
                all_caps: t.all_caps,
                script: t.script,
                article: t.article,
                possessive: t.possessive,
                stems: t.stems.into_iter().filter(linkable_stem).collect(),
                lower: false,
            })
            .collect()
    }
}

/// The names-index walks, memoised: the walker's state after a sequence of tokens depends on those
/// tokens and the gazetteer alone, and names (and the words that open them) recur within a text and
/// across texts, so the walks live in the [`Memo`] the linker keeps between documents.
#[derive(Default, Clone)]
struct Walks {
    /// Every state reached; [`ROOT_WALK`] is the start (pushed on first use).
    steps: Vec<WalkStep>,
    /// For each state: normalised token → the state it leads to.
    next: Vec<FastMap<Box<str>, u32>>,
}

/// The index of the walk that has been fed nothing.
const ROOT_WALK: u32 = 0;

/// A state of the names-index walk, with what the exact pass asks of it.
#[derive(Clone)]
struct WalkStep {
    /// The walker, without its borrow of the gazetteer.
    position: crate::gazetteer::WalkPosition,
    alive: bool,
    /// The entities named exactly by the tokens fed so far.
    matched: Option<Arc<[u32]>>,
    may_extend: bool,
}

impl WalkStep {
    fn of<D: AsRef<[u8]>>(walker: &crate::gazetteer::NameWalker<'_, D>) -> WalkStep {
        WalkStep {
            position: walker.position(),
            alive: walker.is_alive(),
            matched: walker.matched().map(Arc::from),
            may_extend: walker.may_extend(),
        }
    }
}

impl Walks {
    /// The number of transitions kept.
    fn len(&self) -> usize {
        self.steps.len()
    }

    /// The state reached from `from` (a state of these walks, or [`ROOT_WALK`]) by feeding `norm`.
    fn step<D: AsRef<[u8]>>(&mut self, gz: &Gazetteer<D>, from: u32, norm: &str) -> u32 {
        if self.steps.is_empty() {
            self.steps.push(WalkStep::of(&gz.walk()));
            self.next.push(FastMap::default());
        }
        if let Some(&to) = self.next[from as usize].get(norm) {
            return to;
        }
        let mut walker = gz.walk_from(self.steps[from as usize].position);
        walker.feed(norm);
        let to = self.steps.len() as u32;
        self.steps.push(WalkStep::of(&walker));
        self.next.push(FastMap::default());
        self.next[from as usize].insert(norm.into(), to);
        to
    }
}

/// How a span was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    Exact,
    Variant,
    Coref,
}

impl Path {
    /// How the explanations name the path.
    fn reason(self) -> &'static str {
        match self {
            Path::Exact => "path: exact",
            Path::Variant => "path: variant",
            Path::Coref => "path: coref",
        }
    }
}

/// Per-document state: what has been linked so far, and memoised per-entity and per-surface work.
#[derive(Default)]
struct DocState<'g> {
    linked: FastSet<u32>,
    /// The text has letters of Persian (and Urdu) script only (پ چ ژ گ ی ک): its Persian-tagged names
    /// count as Arabic-script names. Elsewhere they may spell an Arabic word (الجزیره is Persian for
    /// Algeria, الجزيرة Arabic for "the island").
    persian: bool,
    /// Where the last place mention ended (byte offset): a place listed right after it (*in Khan
    /// Younis and Rafah*) has the locative before the list.
    last_place_end: Option<usize>,
    /// Mentions so far by country of their entity (adjectives of nationality included): the countries
    /// the story names, and its main country, the most named.
    countries: FastMap<String, u32>,
    /// Loose keys of the name parts of linked entities → (the part, normalised; entity).
    parts: FastMap<String, (String, u32)>,
    /// For each token of a capitalised personal name of two or more words (*Hamid al-Jazaeri*), the
    /// token range of that name: only a match covering it all may link (see [`person_runs`]).
    runs: Vec<Option<(usize, usize)>>,
    /// For each token: is it on a title-case line (see [`headline_tokens`])?
    headline: Vec<bool>,
    /// Normalised name parts of linked entities, for fuzzy coreference.
    part_norms: Vec<(String, u32)>,
    /// Variant-pass lookups by joined normalised surface: the entities and how they were found.
    variants: RefCell<FastMap<String, Rc<VariantHits>>>,
    /// Joined normalised surface → (coreferent entity, [`score_variant_forms`] against it).
    coref_sims: RefCell<FastMap<String, (u32, f32)>>,
    /// Normalised word → its coreference so far (see [`CorefScan`]).
    coref: RefCell<FastMap<String, CorefScan>>,
    /// Work that depends only on the gazetteer (names recur in a text, and across texts), kept by the
    /// linker between documents (see [`Linker::take_memo`]).
    memo: Memo,
    /// Decoded entity records.
    entities: RefCell<FastMap<u32, EntityRef<'g>>>,
    /// A person named by a title and a name that is not one of theirs without it (*Queen Noor*): the
    /// title's first token, the first and last token of the name after it, and the person, for
    /// [`Linker::titled_at`].
    titled: Option<(usize, usize, usize, u32)>,
    /// Given names (normalised) of the persons linked so far, for a later *King Abdullah* or *Emir
    /// Tamim* (see [`Linker::titled_at`]); None when two of them share it.
    given: FastMap<String, Option<u32>>,
}

/// A word's coreference as of some number of linked entities. Linking only adds entities, name parts
/// (`DocState::parts` keeps its first entry per key) and entries at the end of `DocState::part_norms`, so
/// a later question about the same word scans only the parts added since.
#[derive(Default)]
struct CorefScan {
    /// The number of entities linked when `found` was computed.
    version: usize,
    /// The coreferent entity at `version`.
    found: Option<u32>,
    /// How many entries of `part_norms` the close-spelling scan has seen.
    scanned: usize,
    /// The closest of them that passed: (Jaro-Winkler score, entity), the last of equals.
    best: Option<(f64, u32)>,
}

/// (loose key, normalised part) pairs of one entity ([`Linker::coref_parts`]).
type CorefParts = Arc<[(String, String)]>;

/// Gazetteer-only derived data, computed once instead of once per mention: every entry is a function of
/// the gazetteer and its key alone, so a memo filled by one document serves the next.
#[derive(Default, Clone)]
struct Memo {
    /// Surface → its `name_key`.
    keys: RefCell<FastMap<String, Arc<str>>>,
    /// The entity's name forms, normalised and keyed.
    forms: RefCell<FastMap<u32, Arc<NameForms>>>,
    /// Normalised word → is a demonym of a prominent place.
    demonyms: RefCell<FastMap<String, bool>>,
    /// Normalised Arabic word → the country it names as a nisba adjective
    /// ([`Linker::arabic_demonym_country`]).
    country_words: RefCell<FastMap<String, Option<Box<str>>>>,
    /// Normalised word → names a prominent place exactly.
    prominent: RefCell<FastMap<String, bool>>,
    /// Normalised word → [`Linker::word_facts`].
    word_facts: RefCell<FastMap<String, WordFacts>>,
    /// Joined normalised surface → entity → [`score_variant_forms`].
    variant_sims: RefCell<FastMap<String, ByEntity<f32>>>,
    /// Surface → entity → [`Linker::names_matched`].
    names_matched: RefCell<FastMap<String, ByEntity<NamesMatched>>>,
    /// Normalised word → the lexicon knows it as a name ([`crate::resolve::is_lexicon_name`]).
    lexicon_names: RefCell<FastMap<String, bool>>,
    /// Entity → the (loose key, part) pairs coreference may refer back to ([`Linker::coref_parts`]).
    coref_parts: RefCell<FastMap<u32, CorefParts>>,
    /// The names-index walks (bounded on their own, see [`Linker::give_back_memo`]).
    walks: Walks,
}

impl Memo {
    /// The number of entries kept.
    fn len(&self) -> usize {
        self.keys.borrow().len()
            + self.forms.borrow().len()
            + self.demonyms.borrow().len()
            + self.country_words.borrow().len()
            + self.prominent.borrow().len()
            + self.word_facts.borrow().len()
            + self.names_matched.borrow().len()
            + self.variant_sims.borrow().len()
            + self.lexicon_names.borrow().len()
            + self.coref_parts.borrow().len()
    }
}

/// What a linker keeps between documents: it depends on the gazetteer and the settings alone, and
/// borrows neither, so the Python binding keeps it across calls beside its gazetteer handle (see
/// [`LinkerBuilder::build_sharing`]).
#[derive(Default)]
pub(crate) struct LinkerCaches {
    /// Variant-pass lookups (see [`LinkerBuilder::cache_capacity`]), keyed by [`variant_cache_key`].
    variants: Mutex<FastMap<String, Arc<CachedHits>>>,
    /// Gazetteer-only memos, one per document being linked at once.
    memos: Mutex<Vec<Memo>>,
}

impl std::fmt::Debug for LinkerCaches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkerCaches")
    }
}

/// What the gazetteer says of one word (see [`Linker::word_facts`]).
#[derive(Clone, Copy)]
struct WordFacts {
    names_place: bool,
    names_entity: bool,
    /// The word is the adjective-shaped first word of a place's longer name ([`is_adjective_of`]).
    place_adjective: bool,
}

/// The variant pass's candidates for one joined surface.
struct VariantHits {
    /// `(entity, kind, prior)` for every hit.
    hits: Vec<(u32, Kind, f32)>,
    /// How they were found (`loose key`, `name part`, `fuzzy key`).
    how: &'static str,
}

/// An entity's names as the precision rules and the variant scorer use them.
struct NameForms {
    /// The canonical name and non-weak aliases, normalised.
    strong_norms: Vec<String>,
    /// The same with articles removed (see [`strip_articles`]).
    strong_stripped: Vec<String>,
    /// The given names a person may be called by after a title (see [`given_names`]).
    given: Vec<String>,
}

impl NameForms {
    fn new(e: &EntityRef<'_>) -> NameForms {
        let strong_norms: Vec<String> = strong_names(e).map(normalize).collect();
        NameForms {
            strong_stripped: strong_norms.iter().map(|n| strip_articles(n)).collect(),
            given: given_names(&strong_norms),
            strong_norms,
        }
    }
}

impl<'g, D: AsRef<[u8]>> Linker<'g, D> {
    /// A linker over `gz` with default settings.
    pub fn new(gz: &'g Gazetteer<D>) -> Linker<'g, D> {
        LinkerBuilder::default().build(gz)
    }

    /// A builder for custom settings.
    pub fn builder() -> LinkerBuilder {
        LinkerBuilder::default()
    }

    /// The gazetteer linked against.
    pub fn gazetteer(&self) -> &'g Gazetteer<D> {
        self.gz
    }

    /// The entity's name forms, memoised for the document.
    /// The entity record `idx`, decoded once per document.
    fn ent(&self, idx: u32, doc: &DocState<'g>) -> EntityRef<'g> {
        if let Some(e) = doc.entities.borrow().get(&idx) {
            return *e;
        }
        let e = self.gz.entity(idx);
        doc.entities.borrow_mut().insert(idx, e);
        e
    }

    /// `name_key(surface)`, memoised for the document.
    fn surface_key(&self, surface: &str, doc: &DocState<'g>) -> Arc<str> {
        if let Some(k) = doc.memo.keys.borrow().get(surface) {
            return k.clone();
        }
        let k: Arc<str> = name_key(surface).into();
        doc.memo
            .keys
            .borrow_mut()
            .insert(surface.to_string(), k.clone());
        k
    }

    fn forms(&self, idx: u32, doc: &DocState<'g>) -> Arc<NameForms> {
        if let Some(f) = doc.memo.forms.borrow().get(&idx) {
            return f.clone();
        }
        let f = Arc::new(NameForms::new(&self.ent(idx, doc)));
        doc.memo.forms.borrow_mut().insert(idx, f.clone());
        f
    }

    fn kind_allowed(&self, kind: Kind) -> bool {
        match &self.cfg.kinds {
            Some(kinds) => kinds.contains(&kind),
            None => kind != Kind::Name,
        }
    }

    /// Finds and links the mentions in `text`, in text order, non-overlapping.
    pub fn link(&self, text: &str) -> Vec<Mention> {
        let (norm, scanned) = scan(text, &NormalizeOptions::default());
        let mut tokens = Tok::all(&norm, scanned);
        let sent_start = sentence_starts(text, &tokens);
        // A lower-case text or line, as in much social-media writing: capitals say nothing there, so
        // prominent entities may link by a lower-case word (see `Tok::lower`).
        lower_case_lines(text, &mut tokens);
        let is_title_tok = title_tokens(text, &tokens);
        let title_before = titles_before(text, &tokens, &is_title_tok);
        let mut doc = DocState {
            memo: self.take_memo(),
            persian: text.contains(['پ', 'چ', 'ژ', 'گ', 'ی', 'ک']),
            ..DocState::default()
        };
        doc.headline = headline_tokens(text, &tokens);
        doc.runs = self.person_runs(text, &tokens, &is_title_tok, &doc);
        let mut walks = std::mem::take(&mut doc.memo.walks);
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            // Titles stay outside a person's span; other names opening with one (*Prime Minister's
            // Office*, *Sheikh Jarrah*, *General Motors*) still match.
            if retweet_marker(text, &tokens[i]) {
                i += 1;
                continue;
            }
            if tokens[i].script == Script::Latin && tokens[i].capitalized {
                // *the Qatari emir*: a demonym names the story's country as well as its name does.
                if let Some(c) = demonym_country(tokens[i].norm) {
                    *doc.countries.entry(c.to_string()).or_default() += 1;
                }
            }
            if let Some((m, next)) = self.apposition_at(text, &tokens, i, &out, &mut doc) {
                push_mention(&mut out, m, text);
                i = next;
                continue;
            }
            if let Some((m, next)) =
                self.titled_at(text, &tokens, i, title_before[i], &mut doc, &mut walks)
            {
                push_mention(&mut out, m, text);
                i = next;
                continue;
            }
            let title = is_title_tok[i] && !tokens[i].all_caps;
            if !title && self.rank_before_full_name(text, &tokens, i, &mut walks) {
                i += 1;
                continue;
            }
            let min_tokens = if title { 2 } else { 1 };
            if let Some((m, next)) = self.exact_at(
                text,
                &tokens,
                i,
                &sent_start,
                &title_before,
                &mut doc,
                min_tokens,
                &mut walks,
            ) {
                push_mention(&mut out, m, text);
                i = next;
                continue;
            }
            if title {
                i += 1;
                continue;
            }
            // A clitic word's stem with the article before the word itself (بالكاظمي is ب +
            // الكاظمي), its other stems after it (كريم is Karim before ك + ريم).
            let ctx = (&sent_start[..], &title_before[..]);
            if let Some((m, next)) = self.variant_at_stems(text, &tokens, i, ctx, true, &mut doc) {
                push_mention(&mut out, m, text);
                i = next;
                continue;
            }
            if let Some((m, next)) =
                self.variant_at(text, &tokens, i, &sent_start, &title_before, &mut doc)
            {
                push_mention(&mut out, m, text);
                i = next;
                continue;
            }
            if let Some((m, next)) = self.variant_at_stems(text, &tokens, i, ctx, false, &mut doc) {
                push_mention(&mut out, m, text);
                i = next;
                continue;
            }
            i += 1;
        }
        doc.memo.walks = walks;
        self.give_back_memo(doc.memo);
        out
    }

    /// A name the text gives as another name of the person or group just linked (*Ahmed Diriye, also
    /// known as Abu Ubaidah*; *Mohamed Hamdan Dagalo, known as Hemedti*): the capitalised Latin name
    /// starting at token `i`, when only such a phrase separates it from the last mention. The text's
    /// own word beats whatever else the name might match.
    fn apposition_at(
        &self,
        text: &str,
        tokens: &[Tok<'_>],
        i: usize,
        out: &[Mention],
        doc: &mut DocState<'g>,
    ) -> Option<(Mention, usize)> {
        let t = &tokens[i];
        if t.script != Script::Latin || !(t.capitalized || t.article) || t.lower {
            return None;
        }
        let last = out
            .last()
            .filter(|m| matches!(m.kind, Kind::Per | Kind::Org))?;
        let gap = text.get(last.span.end..t.span.start)?;
        if gap.len() > 40 || !gap.starts_with([',', ' ', '(']) {
            return None;
        }
        let phrase: String = gap
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '.' {
                    c
                } else {
                    ' '
                }
            })
            .collect::<String>()
            .to_lowercase();
        let phrase: Vec<&str> = phrase.split_whitespace().collect();
        let phrase = phrase.strip_suffix(&["the"]).unwrap_or(&phrase).join(" ");
        if !APPOSITION_PHRASES.contains(&phrase.as_str()) {
            return None;
        }
        // The name: capitalised words, articles, nasab particles and *of*/*the* between capitals.
        let mut end = i;
        let mut k = i;
        while k < tokens.len() && k < i + 6 {
            let w = &tokens[k];
            if k > i && !joinable(text, &tokens[k - 1], w) {
                break;
            }
            let capital = w.script == Script::Latin && w.capitalized && !is_stopword(w.norm);
            let inner = w.script == Script::Latin
                && (w.article || NASAB.contains(&w.norm) || matches!(w.norm, "of" | "the"));
            if capital {
                end = k;
            } else if !inner {
                break;
            }
            if w.possessive {
                break;
            }
            k += 1;
        }
        if !tokens[end].capitalized || is_stopword(tokens[end].norm) {
            return None;
        }
        let idx = self.gz.index_of(&last.id)?;
        let e = self.ent(idx, doc);
        if !self.kind_allowed(e.kind()) {
            return None;
        }
        let span = t.span.start..tokens[end].span.end;
        let surface = &text[span.clone()];
        let why = vec![format!(
            "named in apposition to \"{}\" ({phrase})",
            last.text
        )];
        let m = self.choose(span, surface, vec![(idx, 0.9, why)], Path::Coref, doc)?;
        Some((m, end + 1))
    }

    /// A memo for a new document: one left by an earlier document, or an empty one.
    fn take_memo(&self) -> Memo {
        if self.cfg.cache_capacity == 0 {
            return Memo::default();
        }
        let mut memos = self.caches.memos.lock().unwrap_or_else(|e| e.into_inner());
        memos.pop().unwrap_or_default()
    }

    /// Keeps a document's memo for the next document, unless it outgrew
    /// [`LinkerBuilder::cache_capacity`] (then it is dropped, and the next document starts afresh).
    fn give_back_memo(&self, mut memo: Memo) {
        if self.cfg.cache_capacity == 0 || memo.len() > self.cfg.cache_capacity {
            return;
        }
        if memo.walks.len() > self.cfg.cache_capacity {
            // The walks alone outgrew it (a long text's many words): they start afresh.
            memo.walks = Walks::default();
        }
        let mut memos = self.caches.memos.lock().unwrap_or_else(|e| e.into_inner());
        memos.push(memo);
    }

    /// Links every text in parallel (rayon); the result is in input order.
    pub fn link_batch(&self, texts: &[&str]) -> Vec<Vec<Mention>>
    where
        D: Sync + Send,
    {
        if texts.len() > 1 {
            self.share_memos(rayon::current_num_threads().min(texts.len()));
        }
        texts.par_iter().map(|t| self.link(t)).collect()
    }

    /// Before linking a batch on `threads` threads (at most one per document): makes sure each thread
    /// will find a memo about as full as the fullest one kept, by copying it in place of much emptier
    /// ones (every entry is a function of the gazetteer, so a copy is as good as the original). Without
    /// it, a thread that found no memo left would redo, from nothing, the work the others kept from
    /// earlier documents. The copies are made once: later batches find them in the pool.
    pub(crate) fn share_memos(&self, threads: usize) {
        if self.cfg.cache_capacity == 0 || threads < 2 {
            return;
        }
        let mut memos = self.caches.memos.lock().unwrap_or_else(|e| e.into_inner());
        let size = |m: &Memo| m.len() + m.walks.len();
        let Some(best) = (0..memos.len()).max_by_key(|&k| size(&memos[k])) else {
            return;
        };
        let full = size(&memos[best]);
        let best = memos.swap_remove(best);
        memos.retain(|m| size(m) * 2 >= full);
        while memos.len() + 1 < threads {
            memos.push(best.clone());
        }
        memos.push(best);
    }

    /// A person named after a title (the title stays out of the span, as it is for every person):
    /// * the person whose name the exact pass found written with its title at the token before `i`
    ///   (*Queen Noor*, see `DocState::titled`), linked over the name after the title;
    /// * a lone given name after a title (`titled`: *King Abdullah*, *Emir Tamim*, الأمير تميم) when a
    ///   person of that given name, known by that title (one of their names has it), was linked
    ///   earlier, and no other: it refers back to that person. Not when the name goes on (another
    ///   name word after it), a longer name starts at it, or the title and name are another's alias.
    fn titled_at(
        &self,
        text: &str,
        tokens: &[Tok<'_>],
        i: usize,
        titled: bool,
        doc: &mut DocState<'g>,
        walks: &mut Walks,
    ) -> Option<(Mention, usize)> {
        let (idx, first, last, why, path) =
            if let Some((title, first, last, idx)) = doc.titled.take_if(|t| t.1 <= i) {
                if first != i
                    || self
                        .longest_exact(text, tokens, i, walks)
                        .is_some_and(|(end, ids)| end > last && ids.contains(&idx))
                {
                    // The name goes on past the titled form (*Sheikh Tamim bin Hamad Al Thani*).
                    return None;
                }
                let titled = &text[tokens[title].span.start..tokens[last].span.end];
                (
                    idx,
                    first,
                    last,
                    format!("exact name match \"{titled}\" with its title"),
                    Path::Exact,
                )
            } else {
                let t = &tokens[i];
                if !titled
                    || doc.given.is_empty()
                    || !(t.script == Script::Arabic || (t.capitalized && !t.all_caps))
                {
                    return None;
                }
                let idx = (*doc.given.get(t.norm)?)?;
                // The person is known by this title (*King Abdullah II*, *Prince Mohammed bin
                // Salman*, الملك عبدالله الثاني among their names): *King Abdullah* after *Abdullah
                // Ocalan* is no reference to him.
                let title_word = tokens[i.checked_sub(1)?].norm;
                let known_by_title = self.forms(idx, doc).strong_norms.iter().any(|n| {
                    n.split(name_sep)
                        .take_while(|w| *w != t.norm)
                        .any(|w| w == title_word)
                });
                if !known_by_title {
                    return None;
                }
                // Arabic script has no capitals: there a personal-name run (see `person_runs`) says
                // whether the name goes on.
                let name_goes_on = matches!(doc.runs.get(i), Some(Some(_)))
                    || (!t.possessive
                        && tokens.get(i + 1).is_some_and(|n| {
                            joinable(text, t, n)
                                && (is_nasab(n.norm)
                                    || (n.script == Script::Latin && (n.capitalized || n.article)))
                        }));
                // The title and name written together may be another person's own alias (*King
                // Abdullah* is also the Saudi king's): then the exact pass decides.
                let another_titled = (i.saturating_sub(2)..i).any(|j| {
                    self.longest_exact(text, tokens, j, walks)
                        .is_some_and(|(end, ids)| end == i && !ids.contains(&idx))
                });
                if name_goes_on
                    || another_titled
                    || self
                        .longest_exact(text, tokens, i, walks)
                        .is_some_and(|(end, _)| end > i)
                {
                    return None;
                }
                let why = format!(
                    "given name \"{}\" after a title, of a person linked earlier",
                    t.norm
                );
                (idx, i, i, why, Path::Coref)
            };
        let e = self.ent(idx, doc);
        let mut why = vec![why];
        let s = self.context_score(&e, 0.75, true, doc, &mut why);
        let span = tokens[first].span.start..abbrev_end(text, &tokens[last]);
        let surface = text[span.clone()].to_string();
        let m = self.choose(span, &surface, vec![(idx, s, why)], path, doc)?;
        Some((m, last + 1))
    }

    /// A rank that is also a given name (*Sultan*, *Sharif*) opening a person's alias (*Sultan
    /// Haitham*) right before the person's full name (*Sultan Haitham bin Tariq*): the rank stays out
    /// and the full name, which ends later, links from the next token.
    fn rank_before_full_name(
        &self,
        text: &str,
        tokens: &[Tok<'_>],
        i: usize,
        walks: &mut Walks,
    ) -> bool {
        let t = &tokens[i];
        if !(t.script == Script::Latin
            && t.capitalized
            && crate::names::TITLES.contains(&t.norm)
            && i + 1 < tokens.len()
            && joinable(text, t, &tokens[i + 1]))
        {
            return false;
        }
        let (Some((end, ids)), Some((next_end, next_ids))) = (
            self.longest_exact(text, tokens, i, walks),
            self.longest_exact(text, tokens, i + 1, walks),
        ) else {
            return false;
        };
        next_end > end
            && ids
                .iter()
                .any(|x| next_ids.contains(x) && self.gz.entity(*x).kind() == Kind::Per)
    }

    /// The last token and the entities of the longest exact name starting at token `first`, before
    /// any rule of context.
    fn longest_exact(
        &self,
        text: &str,
        tokens: &[Tok<'_>],
        first: usize,
        walks: &mut Walks,
    ) -> Option<(usize, Arc<[u32]>)> {
        let mut best = None;
        self.walk_names(text, tokens, first, tokens[first].norm, walks, |j, ids| {
            best = Some((j, ids.clone()));
        });
        best
    }

    /// Walks the names index from token `first` (read as `first_norm`: the token or one of its stems)
    /// over the joined tokens after it, calling `hit` with the last token and the entities of every
    /// name matched on the way. A possessive ends the walk once a name matched (a longer name may go
    /// on through one: *Prime Minister's Media Office*).
    fn walk_names(
        &self,
        text: &str,
        tokens: &[Tok<'_>],
        first: usize,
        first_norm: &str,
        walks: &mut Walks,
        mut hit: impl FnMut(usize, &Arc<[u32]>),
    ) {
        let mut state = ROOT_WALK;
        for j in first..tokens.len().min(first + MAX_NAME_TOKENS) {
            if j > first && !joinable(text, &tokens[j - 1], &tokens[j]) {
                break;
            }
            let norm = if j == first {
                first_norm
            } else {
                tokens[j].norm
            };
            state = walks.step(self.gz, state, norm);
            let step = &walks.steps[state as usize];
            if !step.alive {
                break;
            }
            if let Some(ids) = &step.matched {
                hit(j, ids);
            }
            if !step.may_extend || (tokens[j].possessive && step.matched.is_some()) {
                break;
            }
        }
    }

    /// The exact pass at token `i`: every name of the index starting there (with stems and article
    /// skipping), longest first, the first that passes the precision rules.
    #[allow(clippy::too_many_arguments)]
    fn exact_at<'t>(
        &self,
        text: &str,
        tokens: &'t [Tok<'t>],
        i: usize,
        sent_start: &[bool],
        title_before: &[bool],
        doc: &mut DocState<'g>,
        min_tokens: usize,
        walks: &mut Walks,
    ) -> Option<(Mention, usize)> {
        let mut found: Vec<ExactHit> = Vec::new();
        // Where a name may start: the token, the word after an article, the token's stems — unless
        // the whole word is a known name (كريم is Karim, not ك + ريم).
        let skip_article = (tokens[i].article && i + 1 < tokens.len()).then_some((i + 1, None));
        let whole_known = !tokens[i].stems.is_empty() && !self.gz.lookup(tokens[i].norm).is_empty();
        let starts = std::iter::once((i, None)).chain(skip_article).chain(
            tokens[i].stems.iter().filter(|_| !whole_known).map(|stem| {
                (
                    i,
                    Some((stem.norm.as_str(), stem.span.start, stem_cut_article(stem))),
                )
            }),
        );
        for (first, stem) in starts {
            let span_start = match &stem {
                Some((_, s, _)) => *s,
                None => tokens[first].span.start,
            };
            let first_norm = match &stem {
                Some((n, _, _)) => *n,
                None => tokens[first].norm,
            };
            let article_cut = stem.is_some_and(|(_, _, cut)| cut);
            // Leftmost-longest keeps the longest of the names matched on the way.
            self.walk_names(text, tokens, first, first_norm, walks, |j, ids| {
                if j + 1 - first >= min_tokens
                    && !never_links_alone(&tokens[first..=j], tokens[first].lower)
                {
                    found.push((first, j, span_start, ids.clone(), article_cut));
                }
            });
        }
        // Longest (by end token, then earliest start byte) first.
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        for (first, last, span_start, ids, article_cut) in found {
            let span = span_start..abbrev_end(text, &tokens[last]);
            if mid_word(text, &span) {
                continue;
            }
            let surface = &text[span.clone()];
            // The name as matched: a stem of لل + X (للعراق) spans ل + X, the article's lam without
            // its unwritten alef, which the name checks see restored (العراق).
            let restored = (span_start != tokens[first].span.start
                && surface.starts_with('ل')
                && tokens[first]
                    .stems
                    .iter()
                    .any(|s| s.span.start == span_start && s.norm.starts_with("ال")))
            .then(|| format!("ا{surface}"));
            let name = restored.as_deref().unwrap_or(surface);
            let toks = &tokens[first..=last];
            let stemmed = span_start != tokens[first].span.start;
            // A match that begins before a personal-name run and ends inside it does not cut it: the
            // run's first word ends the match's name (الحشد الشعبي بوزير: الشعبي is not a surname here).
            let run_cut = self.cuts_run(first, last, doc)
                && !(matches!(doc.runs.get(first), Some(None))
                    && matches!(doc.runs.get(last), Some(Some((a, _))) if first < *a));
            let mut cands: Vec<(u32, f32, Vec<String>)> = ids
                .iter()
                .filter_map(|&idx| {
                    let e = self.ent(idx, doc);
                    if !self.kind_allowed(e.kind()) {
                        return None;
                    }
                    if e.kind() == Kind::Loc
                        && !e.id().starts_with("nisba:")
                        && feature_before(text, tokens, if first > i { i } else { first })
                    {
                        // جبل الزاوية, *Wadi Hadramawt*, *Mount Lebanon*: a mountain, valley or
                        // river named after a town (or a country) is not that town.
                        return None;
                    }
                    let mut why = Vec::new();
                    let prev_loc = locative_before(tokens, first)
                        || listed_after_place(text, tokens, first, doc.last_place_end);
                    let headline = (first > 0 && tokens[first - 1].all_caps)
                        || tokens.get(last + 1).is_some_and(|t| t.all_caps);
                    let modifier = tokens.get(last + 1).is_some_and(|n| {
                        n.script == Script::Latin
                            && !n.capitalized
                            && MEMBER_NOUNS.contains(&n.norm)
                            && joinable(text, &tokens[last], n)
                    });
                    let designated = first > 0 && is_arabic_designator(tokens[first - 1].norm);
                    let skipped_article = first > i;
                    let after_article = skipped_article || (first > 0 && tokens[first - 1].article);
                    // *Hassan said*: a word a reporting verb follows is a person's name — not
                    // after *in* or *at* (*officials in Doha said*).
                    let reported = tokens.get(last + 1).is_some_and(|n| {
                        n.script == Script::Latin
                            && !n.capitalized
                            && REPORTING_VERBS.contains(&n.norm)
                    }) && !(first > 0
                        && matches!(tokens[first - 1].norm, "in" | "at" | "near" | "inside"));
                    let ctx = (
                        sent_start[first],
                        prev_loc,
                        headline,
                        modifier,
                        designated,
                        after_article,
                        reported,
                    );
                    if run_cut && !(e.kind() == Kind::Per && name_words(toks) >= 2) {
                        // Part of a longer personal name: only a person's full name may link inside it.
                        return None;
                    }
                    if !matches!(e.kind(), Kind::Per | Kind::Org)
                        && ((skipped_article && e.prior() < 0.5)
                            || (after_article && self.part_of_longer_name(&e, name, doc)))
                    {
                        // `al-Sadr` is a surname before it is Sadr City: past an article, a place
                        // needs a name of its own, not one word of its longer name.
                        return None;
                    }
                    if article_cut
                        && first == last
                        && e.kind() != Kind::Per
                        && !doc.linked.contains(&idx)
                    {
                        // A definite word is no spelling of a name without the article: البيان "the
                        // statement" is not the town Bayan, الأمن "the security" not Emmen.
                        return None;
                    }
                    if first == last
                        && e.kind() == Kind::Loc
                        && !doc.linked.contains(&idx)
                        && construct_head(text, tokens, last)
                    {
                        // *Bab al-Bahrain*, *Ras al-Ain*: a word heading a longer name through the
                        // article is that name's head, not a place of its own.
                        return None;
                    }
                    if e.kind() != Kind::Per
                        && tokens.get(last + 1).is_some_and(|n| {
                            joinable(text, &tokens[last], n) && self.names_other_country(&e, n, doc)
                        })
                    {
                        // وزارة الدفاع السعودية: the ministry of another country.
                        return None;
                    }
                    if self.preceded_by_other_country(&e, text, tokens, first, doc)
                        || self.minor_country_body(&e, text, tokens, first, last, doc)
                    {
                        return None;
                    }
                    if e.kind() == Kind::Loc
                        && title_before[first]
                        && e.prior() < 0.7
                        && !doc.linked.contains(&idx)
                        && (tokens[first].script == Script::Latin
                            || tokens.get(last + 1).is_some_and(|n| {
                                n.script == Script::Arabic
                                    && joinable(text, &tokens[last], n)
                                    && self.is_lexicon_name_memo(n.norm, doc)
                            }))
                    {
                        // *Peshmerga Minister Shorsh Ismail*: after a title comes a person, not a
                        // minor place (Shorsh, a village). In Arabic the title may close the subject
                        // before the object (زار رئيس الوزراء أربيل "the prime minister visited
                        // Erbil"): there a name must go on after the place word.
                        return None;
                    }
                    if e.kind() == Kind::Per
                        && first == last
                        && !doc.linked.contains(&idx)
                        && after_arabic_in(tokens, first)
                    {
                        // في السلمان "in al-Salman" is a place, not King Salman.
                        return None;
                    }
                    if e.kind() == Kind::Loc
                        && !doc.linked.contains(&idx)
                        && (tokens
                            .get(last + 1)
                            .is_some_and(|n| heads_longer_name(text, &tokens[last], n))
                            || heads_group_name(text, tokens, last))
                    {
                        // *Washington Institute*, *Chatham House*: the place names an institution.
                        return None;
                    }
                    if first == last
                        && tokens[first].script == Script::Latin
                        && self.foreign_middling_place(&e, doc)
                        && capital_next(text, tokens, last).is_some()
                    {
                        // *the Green March* in a story about Morocco is no town called Green (Ohio):
                        // a middling place of a country the text has not named, heading a longer
                        // capitalised name, is a word of that name.
                        return None;
                    }
                    if e.kind() == Kind::Per
                        && e.prior() < 0.5
                        && !doc.linked.contains(&idx)
                        && ((tokens[last].script == Script::Latin
                            && capital_next(text, tokens, last)
                                .is_some_and(|n| !n.article && !is_stopword(n.norm)))
                            || (first > 0
                                && !title_before[first]
                                && !sent_start[first - 1]
                                && self.ends_unknown_name(
                                    text,
                                    &tokens[first - 1],
                                    &tokens[first],
                                    doc,
                                )))
                    {
                        // *Ahmad Shah Massoud* is not the Ahmad Shah of the name tables, nor *Jamal
                        // Jaafar Muhammad Ali* its Mohammad Ali: a minor person's name that another
                        // capitalised name word continues or opens is part of someone else's name.
                        return None;
                    }
                    if first == last
                        && e.kind() == Kind::Loc
                        && e.prior() < 0.5
                        && !prev_loc
                        && !doc.linked.contains(&idx)
                        && first > 0
                        && (!sent_start[first - 1]
                            || (first >= 2 && tokens[first - 2].norm.contains('.')))
                        && self.ends_unknown_name(text, &tokens[first - 1], &tokens[first], doc)
                    {
                        // *the Assistance Mission*: a minor place's one-word name closing a longer
                        // capitalised name is a word of that name, not the place.
                        return None;
                    }
                    if min_tokens > 1 && e.kind() == Kind::Per {
                        // A person's alias written with the title (*Crown Prince Mohammed bin
                        // Salman*): the span starts after the title, where the name matches too —
                        // or, when the name alone is none of theirs (*King Hussein*, *Mullah
                        // Omar*), where `titled_at` links it. A "title" opening the person's own
                        // name of several words is a given name (*Amir Ali Hajizadeh*).
                        let k = (first + 1..=last).find(|&k| title_before[k])?;
                        let rest = normalize(&text[tokens[k].span.start..tokens[last].span.end]);
                        let own_name = normalize(e.name()) == normalize(name)
                            && name_words(&tokens[k..=last]) >= 2;
                        if !own_name {
                            let forms = self.forms(idx, doc);
                            if e.prior() >= 0.4
                                && forms.strong_norms.contains(&normalize(name))
                                && !forms.strong_norms.contains(&rest)
                            {
                                doc.titled = Some((first, k, last, idx));
                            }
                            return None;
                        }
                    }
                    if !self.exact_allowed(&e, name, toks, ctx, doc, &mut why) {
                        return None;
                    }
                    // The reasons are written only for candidates that pass (most do not).
                    let mut head = vec![format!("exact name match \"{}\"", name)];
                    if stemmed {
                        head.push("matched after removing Arabic proclitics".into());
                    }
                    why.splice(0..0, head);
                    let s = self.context_score(&e, 0.75, title_before[first], doc, &mut why);
                    Some((idx, s, why))
                })
                .collect();
            let is_country = |idx: u32| self.ent(idx, doc).id().starts_with("country:");
            if cands.len() > 1 && cands.iter().any(|c| is_country(c.0)) {
                // A country's name is the country, not a place that also bears it as an alternate
                // name (*Iraq* is an old name of Arāk in Iran), unless the text linked that place
                // and the surface is not the country's own name (*Kuwait's emir* after *Kuwait City*
                // is the country).
                let surface_norm = normalize(name);
                let own_name = cands.iter().any(|c| {
                    is_country(c.0) && normalize(self.ent(c.0, doc).name()) == surface_norm
                });
                cands.retain(|c| {
                    is_country(c.0)
                        || self.ent(c.0, doc).kind() != Kind::Loc
                        || (doc.linked.contains(&c.0) && !own_name)
                });
            }
            // The candidates' entities, for `rest_of_run` (only a cut personal-name run asks).
            let ids: Vec<u32> = if run_cut {
                cands.iter().map(|c| c.0).collect()
            } else {
                Vec::new()
            };
            if let Some(mut m) = self.choose(span, surface, cands, Path::Exact, doc) {
                let mut next = last + 1;
                if run_cut && m.kind == Kind::Per {
                    if let Some(end) = self.rest_of_run(text, tokens, first, last, &m, &ids, doc) {
                        m.span.end = abbrev_end(text, &tokens[end]);
                        m.text = text[m.span.clone()].to_string();
                        m.explanation.push(format!(
                            "extended over \"{}\": the whole name is a spelling of the same person's",
                            &text[tokens[last + 1].span.start..m.span.end]
                        ));
                        next = end + 1;
                    }
                }
                return Some((m, next));
            }
        }
        None
    }

    /// The last token of the personal-name run (see [`Linker::person_runs`]) that an exact match of a
    /// person (`m`, tokens `first..=last`) opens without covering, when the whole run from `first` is a
    /// spelling of that person's name too (*Hamad bin Isa* + *Khalifah*: *Hamad bin Isa Al Khalifa*).
    #[allow(clippy::too_many_arguments)]
    fn rest_of_run(
        &self,
        text: &str,
        tokens: &[Tok<'_>],
        first: usize,
        last: usize,
        m: &Mention,
        ids: &[u32],
        doc: &DocState<'g>,
    ) -> Option<usize> {
        let Some(Some((a, b))) = doc.runs.get(last).copied() else {
            return None;
        };
        if first < a || b <= last || b - first >= MAX_VARIANT_TOKENS + 2 {
            return None;
        }
        let idx = *ids.iter().find(|&&x| self.ent(x, doc).id() == m.id)?;
        let forms = self.forms(idx, doc);
        let joined = tokens[first..=b]
            .iter()
            .map(|t| t.norm)
            .collect::<Vec<_>>()
            .join(" ");
        // As close as the variant pass asks of a person's full name.
        (!mid_word(text, &(tokens[first].span.start..tokens[b].span.end))
            && self.variant_similarity(&joined, idx, &forms, doc) >= RUN_EXTENSION_MIN)
            .then_some(b)
    }

    /// Precision rules for an exact match of `surface` with entity `e`.
    fn exact_allowed(
        &self,
        e: &EntityRef<'_>,
        surface: &str,
        toks: &[Tok<'_>],
        (sentence_start, after_locative, headline, modifier, designated, after_article, reported): (
            bool,
            bool,
            bool,
            bool,
            bool,
            bool,
            bool,
        ),
        doc: &DocState<'g>,
        why: &mut Vec<String>,
    ) -> bool {
        let arabic = toks.iter().any(|t| t.script == Script::Arabic);
        let content: Vec<&Tok<'_>> = toks.iter().filter(|t| !t.article).collect();
        let single = content.len() <= 1;
        let key = self.surface_key(surface, doc);
        let key: &str = &key;
        let (strong, weak_exact, arabic_lang, persian_lang) =
            self.names_matched(e, surface, key, arabic, doc);
        // A Persian name counts as an Arabic-script name in a Persian text (عراق, Iraq).
        let arabic_lang = arabic_lang || (persian_lang && doc.persian);
        // In a lower-case text, a name of several words, or a single word of four letters or more,
        // may name a prominent entity (*baghdad*, *kadhimi*, *al kadhimi*): capitals cannot tell
        // names from words there, nor show a weak alias's spelling.
        let lower_case_ok = toks[0].lower
            && !arabic
            && e.prior() >= LOWER_CASE_PRIOR
            && (!single
                || content.first().is_some_and(|t| {
                    // A dotted abbreviation (*u.s.*, *u.n.*) is as distinctive as a long word, and so
                    // is a three-consonant acronym (*pmf*, *kdp*, *sdf*): no English word looks so.
                    (t.norm.chars().count() >= 4
                        || t.norm.contains('.')
                        || consonant_acronym(t.norm))
                        && !is_stopword(t.norm)
                }));
        if !strong {
            // Acronyms must be all-caps; multi-word short forms must match case-exactly.
            let caps = !arabic && toks.iter().all(|t| t.all_caps || t.script != Script::Latin);
            if arabic {
                // No capitals in Arabic script: a weak alias (وزارة الدفاع "the ministry of
                // defence", whose country the text has not named) needs the document behind it.
                let linked = doc.linked.contains(&e.idx());
                let context = linked
                    || e.countries().any(|c| doc.countries.contains_key(c))
                    || (e.countries().next().is_none() && e.prior() >= 0.6);
                if !(weak_exact && context) {
                    return false;
                }
                why.push(if linked {
                    "weak alias of an entity named earlier".into()
                } else {
                    "weak alias, in a document about the entity's country".into()
                });
            } else if lower_case_ok && !(e.kind() == Kind::Per && after_locative) {
                // Matched through a weak alias (only those are left), whose capitals a lower-case
                // text cannot show; not a person's after a locative (*protests spread in sadr*).
                why.push("weak alias of a prominent entity, in a lower-case text".into());
            } else if weak_exact && single && modifier && e.kind() == Kind::Org {
                // *Houthi fighters*, *Hezbollah officials*: a group's short name before the noun
                // for its members or deeds is the group, even where a person shares the name.
                why.push("weak alias, before a noun for the group's members".into());
            } else if weak_exact
                && single
                && e.kind() == Kind::Org
                && !sentence_start
                && !after_article
                && toks.iter().all(|t| t.capitalized && !t.article)
                && e.prior() >= 0.5
                && e.countries().any(|c| doc.countries.contains_key(c))
            {
                // *the Fatah list* in a text about Iraq: a prominent group's capitalised short name,
                // in a document about the group's country.
                why.push("weak alias, in a document about the group's country".into());
            } else if !(weak_exact && (caps || content.len() > 1)) {
                return false;
            } else if caps {
                why.push("weak alias, exact all-caps surface".into());
            } else {
                why.push("weak alias, exact surface of several words".into());
            }
        }
        if arabic {
            // No capitals to go by: a lone Arabic word links only through an Arabic (or
            // language-neutral) name of a prominent entity and never as a function word.
            if single {
                let t = content.first().copied().unwrap_or(&toks[0]);
                // The matched word may be a stem (كان of وكان "and was": no Cannes).
                // So may be the word's own reading: وإن "and that" (و + إن) is not وان, Van.
                let surface_norm = normalize(surface);
                let stopword = is_stopword(t.norm)
                    || is_stopword(&surface_norm)
                    // وأن "and that" (its two-letter stem is not kept) is not وان, Van.
                    || t.norm.strip_prefix(['و', 'ف']).is_some_and(is_stopword)
                    || t.stems
                        .iter()
                        .any(|s| !stem_cut_article(s) && is_stopword(&s.norm));
                // A weak one-word alias (العصائب, الحشد) has passed the document-context rule above;
                // it still may not be a common word (التحالف "the coalition", فتح "opened").
                let weak_ok = !strong
                    && weak_exact
                    && e.prior() >= 0.5
                    && !is_arabic_common_noun(t.norm)
                    && !is_arabic_common_noun(&surface_norm);
                if !((arabic_lang || weak_ok) && e.prior() >= 0.3 && !stopword) {
                    return false;
                }
                // "المدينة" is "the city" before it is Medina: a place named by a definite common noun
                // needs the document to have named it already (a longer name such as "المدينة المنورة"
                // wins by leftmost-longest anyway).
                if e.kind() == Kind::Loc && !doc.linked.contains(&e.idx()) && self.generic_head(key)
                {
                    return false;
                }
                if e.kind() != Kind::Per
                    && !designated
                    && !doc.linked.contains(&e.idx())
                    && (is_arabic_common_noun(t.norm)
                        || t.stems.iter().any(|s| is_arabic_common_noun(&s.norm)))
                {
                    // بيان "statement" is no town, العربية "Arabic" no channel, unless the text
                    // says so (محافظة الداخلية, قناة العربية).
                    return false;
                }
                if !designated && self.foreign_middling_place(e, doc) {
                    // لجنة "committee" read as ل + جنة is not Djenné (Mali): one Arabic word names a
                    // middling place of a country the text has not named only after a place word.
                    return false;
                }
            }
            return true;
        }
        let capitalised = toks
            .iter()
            .filter(|t| !t.article)
            .all(|t| t.capitalized || t.script != Script::Latin);
        if single {
            let t = content.first().copied().unwrap_or(&toks[0]);
            if !t.capitalized && t.script == Script::Latin && !lower_case_ok {
                return false;
            }
            // *US forces*: an all-caps acronym spelled as the entity's alias is no pronoun, outside
            // an all-caps headline.
            let acronym = t.all_caps && weak_exact && !headline && surface.chars().count() >= 2;
            if is_stopword(t.norm) && !acronym {
                return false;
            }
            if t.all_caps && !headline && surface.chars().count() <= 4 && strong && !weak_exact {
                // "SUV" is not "Suva": a short all-caps word must be an acronym of the entity.
                let acronym = strong_names(e).any(|n| squash(n) == squash(surface));
                if !acronym {
                    return false;
                }
            }
            if e.kind() == Kind::Loc
                && !after_locative
                && self.is_lexicon_name_memo(t.norm, doc)
                && self.part_of_longer_name(e, surface, doc)
            {
                // "Officials said Sadr would…": a personal name that is one word of a place's longer
                // name (*Sadr City*) names the place only after a locative (*in Sadr*).
                return false;
            }
            if e.kind() == Kind::Loc && !after_locative && is_adjective_of(t.norm, e.name()) {
                // *Saudi* of *Saudi Arabia*: the adjective (*Saudi-owned*, *Saudi officials*), unless
                // a locative makes it the place (*in Saudi*).
                return false;
            }
            if e.kind() == Kind::Loc
                && !after_locative
                && !designated
                && demonym_country(t.norm).is_some()
            {
                // *a Somali army officer*: a demonym (here also an alternate name of Somalia and the
                // name of an Ethiopian region) is the adjective, unless a locative makes it a place.
                return false;
            }
            let local = e.countries().any(|c| doc.countries.contains_key(c));
            if e.kind() == Kind::Loc
                && e.id().starts_with("iso3166-2:")
                && e.prior() < 0.5
                && !local
                && !after_locative
                && !designated
                && !doc.linked.contains(&e.idx())
            {
                // "Hope, Unity and Justice": a middling province of a country the text has not named
                // (Unity, South Sudan), often named by a common word, needs a locative.
                return false;
            }
            if e.kind() == Kind::Loc && sentence_start && e.prior() < 0.6 && !local && !t.all_caps {
                // "Western diplomats…": a middling place opening a sentence needs the document's
                // countries behind it.
                return false;
            }
            // A province (or a larger town) of a country the text is about may go without a
            // locative (*Iraq's Anbar*, *the Anbar command*), unless a reporting verb follows.
            let local_region =
                local && !reported && (e.id().starts_with("iso3166-2:") || e.prior() >= 0.5);
            if e.kind() == Kind::Loc
                && e.prior() < 0.6
                && (!after_locative || reported)
                && !local_region
                && self.is_lexicon_name_memo(t.norm, doc)
            {
                // "Hassan said…": a personal name that is also a middling place needs a locative.
                return false;
            }
            if e.kind() == Kind::Loc && e.prior() < 0.3 {
                // Small places: capitalised, not opening a sentence, and either after a locative
                // preposition or in a country the document is already about.
                if !capitalised || sentence_start {
                    return false;
                }
                let spelled = strong_names(e).any(|n| n.to_lowercase() == surface.to_lowercase());
                if !spelled {
                    return false;
                }
                if !after_locative && !local {
                    return false;
                }
            }
            if self.foreign_middling_place(e, doc) && normalize(e.name()) != normalize(surface) {
                // *near al-Wadi district* in a story about Yemen is not El Oued (Algeria), one of
                // whose GeoNames alternate names it is: a middling place of a country the text has
                // not named is linked by its own name only.
                return false;
            }
            if e.prior() < 0.05 && sentence_start && !t.all_caps {
                return false;
            }
        } else {
            let t0 = &toks[0];
            if toks.iter().all(|t| {
                t.script == Script::Latin && !t.capitalized && !t.all_caps && is_stopword(t.norm)
            }) {
                // *the central city of Marib* is no town called Central City: a name of lower-case
                // common words alone (capitalised, it may be one).
                return false;
            }
            if t0.script == Script::Latin
                && !t0.capitalized
                && !t0.all_caps
                && !t0.article
                && !t0.lower
                && is_stopword(t0.norm)
                && t0.norm != "the"
                && toks.get(1).is_some_and(|t| t.capitalized)
            {
                // *in Salah al-Din* is not the Algerian *In Salah*: a capitalised name does not
                // start with a lower-case function word (*the* aside: *the Washington Post*).
                return false;
            }
            // Lower-case particles inside a name are part of it (*Osama bin Laden*).
            let lower = |t: &&Tok<'_>| {
                t.script == Script::Latin
                    && !t.capitalized
                    && !t.article
                    && !is_stopword(t.norm)
                    && !NASAB.contains(&t.norm)
            };
            let n_lower = toks.iter().filter(lower).count();
            // All-lowercase multi-word names ("prime minister") only link to prominent entities;
            // half-capitalised ones ("Iraqi security forces") are descriptions, not names.
            if n_lower == content.len() || (toks[0].lower && n_lower > 0) {
                // (In a lower-case text every multi-word name is all lower case.)
                if e.prior() < LOWER_CASE_PRIOR {
                    return false;
                }
            } else if n_lower > 0 && !self.designator_tail(e, toks, doc) {
                return false;
            }
        }
        true
    }

    /// True when the only lower-case words of a capitalised organisation or facility name are the
    /// generic words that close it (*Sadrist movement*, *State of Law coalition*, *Ain al-Asad air
    /// base*): news style writes them in lower case. A demonym head is a description (*Iraqi
    /// security forces*).
    fn designator_tail(&self, e: &EntityRef<'_>, toks: &[Tok<'_>], doc: &DocState<'g>) -> bool {
        let designators = match e.kind() {
            Kind::Org => ORG_DESIGNATORS,
            Kind::Loc => LOC_DESIGNATORS,
            _ => return false,
        };
        let Some(first_lower) = toks.iter().position(|t| {
            t.script == Script::Latin && !t.capitalized && !t.article && !is_stopword(t.norm)
        }) else {
            return false;
        };
        let head = &toks[..first_lower];
        let tail = &toks[first_lower..];
        let heads: Vec<&Tok<'_>> = head
            .iter()
            .filter(|t| !t.article && !is_stopword(t.norm))
            .collect();
        !heads.is_empty()
            && heads.iter().all(|t| t.capitalized)
            && !(heads.len() == 1 && self.is_demonym_memo(heads[0].norm, doc))
            && tail.iter().all(|t| {
                t.script == Script::Latin && !t.capitalized && designators.contains(&t.norm)
            })
    }

    /// Which of the entity's names an exact match of `surface` (keyed `key`) is: (a strong name, a weak
    /// alias spelled as the surface, a strong name in Arabic or no language, a strong Persian name),
    /// memoised for the document.
    fn names_matched(
        &self,
        e: &EntityRef<'_>,
        surface: &str,
        key: &str,
        arabic: bool,
        doc: &DocState<'g>,
    ) -> NamesMatched {
        if let Some(&m) = doc
            .memo
            .names_matched
            .borrow()
            .get(surface)
            .and_then(|by_entity| by_entity.get(&e.idx()))
        {
            return m;
        }
        // Lazy on purpose: most exact matches are the canonical name, and short documents would not
        // amortise keying every alias.
        let mut strong = *self.surface_key(e.name(), doc) == *key;
        let mut weak_exact = false;
        let mut arabic_lang = strong;
        let mut persian_lang = false;
        if !strong || arabic {
            let squashed = squash(surface);
            for (alias, weak, lang) in e.aliases() {
                if *self.surface_key(alias, doc) == *key {
                    if !weak && matches!(lang, None | Some("ar")) {
                        arabic_lang = true;
                    }
                    if !weak && lang == Some("fa") {
                        persian_lang = true;
                    }
                    if weak {
                        if squash(alias) == squashed {
                            weak_exact = true;
                        }
                    } else {
                        strong = true;
                        if arabic_lang {
                            break;
                        }
                    }
                }
            }
        }
        let m = (strong, weak_exact, arabic_lang, persian_lang);
        doc.memo
            .names_matched
            .borrow_mut()
            .entry(surface.to_string())
            .or_default()
            .insert(e.idx(), m);
        m
    }

    /// Base score adjusted by prior, kind cues and document context.
    fn context_score(
        &self,
        e: &EntityRef<'_>,
        base: f32,
        title: bool,
        doc: &DocState<'g>,
        why: &mut Vec<String>,
    ) -> f32 {
        let mut s = base + 0.15 * e.prior().clamp(0.0, 1.0);
        if doc.linked.contains(&e.idx()) {
            s += 0.2;
            why.push("already linked in this document".into());
        } else if e.countries().any(|c| doc.countries.contains_key(c)) {
            // Less for a minor place: a hamlet of the story's country (Al Manāmah, UAE) does not
            // outweigh a capital of the next country (Manama) on the shared country alone.
            s += if e.kind() == Kind::Loc {
                0.05 * (e.prior() / 0.2).clamp(0.0, 1.0)
            } else {
                0.05
            };
            why.push("shares a country with entities linked earlier".into());
        }
        if title {
            if e.kind() == Kind::Per {
                s += 0.1;
                why.push("preceded by a title".into());
            } else {
                s -= 0.15;
            }
        }
        s.clamp(0.0, 1.0)
    }

    /// The entity's name written with the title before the span (*King Hussein*, *Crown Prince
    /// Hussein*, الأمير حمزة), when one of its strong names is exactly that: the title tells which of
    /// two namesakes the text means.
    fn titled_name(
        &self,
        text: &str,
        tokens: &[Tok<'_>],
        first: usize,
        last: usize,
        idx: u32,
        doc: &DocState<'g>,
    ) -> bool {
        let forms = self.forms(idx, doc);
        (1..=3.min(first)).any(|k| {
            let from = tokens[first - k].span.start;
            let titled = normalize(&text[from..tokens[last].span.end]);
            forms.strong_norms.contains(&titled)
        })
    }

    /// Picks the best candidate, records it in the document state and builds the mention.
    fn choose(
        &self,
        span: Range<usize>,
        surface: &str,
        mut cands: Vec<(u32, f32, Vec<String>)>,
        path: Path,
        doc: &mut DocState<'g>,
    ) -> Option<Mention> {
        if cands.is_empty() {
            return None;
        }
        cands.sort_by(|a, b| {
            b.1.partial_cmp(&a.1)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.0.cmp(&b.0))
        });
        cands.dedup_by_key(|c| c.0);
        let (best, score) = (cands[0].0, cands[0].1);
        // The runner-ups' reasons are not reported: only theirs is needed.
        let mut why = std::mem::take(&mut cands[0].2);
        if score < self.cfg.score_cutoff {
            return None;
        }
        if cands.len() > 1 {
            why.push(format!("best of {} candidates", cands.len()));
        }
        why.push(path.reason().to_string());
        let e = self.ent(best, doc);
        self.remember(&e, doc);
        if e.kind() == Kind::Loc {
            doc.last_place_end = Some(span.end);
        }
        Some(Mention {
            span,
            text: surface.to_string(),
            id: e.id().to_string(),
            name: e.name().to_string(),
            kind: e.kind(),
            score,
            explanation: why,
            candidates: cands
                .iter()
                .take(10)
                .map(|(i, s, _)| (self.ent(*i, doc).id().to_string(), *s))
                .collect(),
        })
    }

    fn remember(&self, e: &EntityRef<'_>, doc: &mut DocState<'g>) {
        for c in e.countries() {
            *doc.countries.entry(c.to_string()).or_default() += 1;
        }
        if !doc.linked.insert(e.idx()) {
            return;
        }
        if e.kind() != Kind::Per && e.kind() != Kind::Org {
            return;
        }
        if e.kind() == Kind::Per {
            let forms = self.forms(e.idx(), doc);
            for g in &forms.given {
                let slot = doc.given.entry(g.clone()).or_insert(Some(e.idx()));
                if *slot != Some(e.idx()) {
                    *slot = None;
                }
            }
        }
        // An entity is remembered once, so its earlier copies of a part are among those added here.
        let from = doc.part_norms.len();
        for (k, p) in self.coref_parts(e, doc).iter() {
            // The first entity to bring a part keeps it, but a person takes it over from an
            // organisation: a bare surname (*al-Houthi said*) is the person's once both are named.
            let person_over_org = e.kind() == Kind::Per
                && doc
                    .parts
                    .get(k)
                    .is_some_and(|(_, idx)| self.ent(*idx, doc).kind() != Kind::Per);
            if person_over_org {
                doc.parts.insert(k.clone(), (p.clone(), e.idx()));
            } else {
                doc.parts.entry(k.clone()).or_insert((p.clone(), e.idx()));
            }
            // A part seen again moves to the end (coreference takes the last of equally close
            // parts, so only the last copy matters): one copy per part and entity.
            if let Some(at) = doc.part_norms[from..].iter().position(|(q, _)| q == p) {
                doc.part_norms.remove(from + at);
            }
            doc.part_norms.push((p.clone(), e.idx()));
        }
    }

    /// The name parts a later mention may refer back to entity `e` by, with their loose keys, in the
    /// order coreference records them: a person's surname (the last part of every strong name), an
    /// organisation's Arabic-looking, non-generic words. Memoised across documents (it depends on the
    /// gazetteer alone).
    fn coref_parts(&self, e: &EntityRef<'_>, doc: &DocState<'g>) -> CorefParts {
        if let Some(parts) = doc.memo.coref_parts.borrow().get(&e.idx()) {
            return parts.clone();
        }
        let mut out: Vec<(String, String)> = Vec::new();
        let mut names: Vec<&str> = vec![e.name()];
        names.extend(e.aliases().filter(|a| !a.1).map(|a| a.0));
        for n in names {
            let mut parts: Vec<String> = normalize(n)
                .split(name_sep)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            if parts.len() < 2 {
                continue;
            }
            if e.kind() == Kind::Per {
                // A person is referred back to by surname (the last part), not by given name, nor
                // by the father's name of a nasab: after *Hamzah bin Hussein*, *King Hussein* is
                // his father, and *Salman* after *Mohammed bin Salman* is the king.
                let before_last = parts[..parts.len() - 1]
                    .iter()
                    .rev()
                    .find(|p| !LATIN_ARTICLES.contains(&p.as_str()))
                    .map_or("", String::as_str);
                // Nor by the country of a ruler's style (*Abdullah II of Jordan*: *Jordanian*
                // troops are not his).
                if is_nasab(before_last) || before_last == "of" {
                    continue;
                }
                parts.drain(..parts.len() - 1);
            }
            for p in parts {
                if p.chars().count() < 4 || LATIN_ARTICLES.contains(&p.as_str()) {
                    continue;
                }
                if STOPWORDS.contains(&p.as_str())
                    || self.is_demonym_memo(&p, doc)
                    || is_arabic_generic(&p)
                    || (e.kind() != Kind::Per
                        && (arabic_clitic_modifier(&p)
                            || self.is_place_word(&p)
                            || FAITH_WORDS.binary_search(&p.as_str()).is_ok()))
                    || (e.kind() == Kind::Org
                        && (!arabic_looking_word(&p) || crate::resolve::is_generic_word(&p)))
                {
                    continue;
                }
                let k = loose_key(&p);
                // A one-letter key (*Sisi*: `s`) says little: `coref` asks a close spelling of it;
                // a two-letter one (*Raisi*: `rs`) is enough with its spelling check (*Raed* is not
                // *Rudaw*, both `rt`).
                if k.is_empty() {
                    continue;
                }
                out.push((k, p));
            }
        }
        let parts: CorefParts = out.into();
        doc.memo
            .coref_parts
            .borrow_mut()
            .insert(e.idx(), parts.clone());
        parts
    }

    /// The mention of entity `idx`, linked earlier and found by [`Linker::coref`], spanning `span`
    /// (`surface`, its tokens' normalised forms `joined`).
    fn coref_mention(
        &self,
        span: Range<usize>,
        surface: &str,
        joined: &str,
        idx: u32,
        doc: &mut DocState<'g>,
    ) -> Option<Mention> {
        if !self.kind_allowed(self.ent(idx, doc).kind()) {
            return None;
        }
        let why = vec![format!(
            "\"{surface}\" matches a name part of an entity linked earlier"
        )];
        let s = self.coref_similarity(joined, idx, doc).max(0.9);
        self.choose(span, surface, vec![(idx, s, why)], Path::Coref, doc)
    }

    /// The person linked earlier whose name holds a nasab particle and `name` (*bin Zayed* of
    /// *Mohamed bin Zayed Al Nahyan*, بن زايد); the one with the lowest index when several do.
    fn nasab_coref(&self, name: &str, doc: &DocState<'g>) -> Option<u32> {
        doc.linked
            .iter()
            .copied()
            .filter(|&idx| {
                self.ent(idx, doc).kind() == Kind::Per
                    && self.forms(idx, doc).strong_norms.iter().any(|n| {
                        let words: Vec<&str> =
                            n.split(name_sep).filter(|w| !w.is_empty()).collect();
                        words.windows(2).any(|w| is_nasab(w[0]) && w[1] == name)
                    })
            })
            .min()
    }

    /// The variant pass in a lower-case text, at a lower-case word (after an optional article): only
    /// coreference with a person linked earlier (*mohammed shia al-sudani* … *sudani*), as capitals
    /// cannot tell a misspelt name from a word there.
    fn lower_case_coref_at(
        &self,
        text: &str,
        tokens: &[Tok<'_>],
        i: usize,
        doc: &mut DocState<'g>,
    ) -> Option<(Mention, usize)> {
        let end = if tokens[i].article {
            (i + 1 < tokens.len() && joinable(text, &tokens[i], &tokens[i + 1])).then_some(i + 1)?
        } else {
            i
        };
        let t = &tokens[end];
        if t.script != Script::Latin
            || t.article
            || is_stopword(t.norm)
            || t.norm.chars().count() < 4
        {
            return None;
        }
        // A demonym (*sudani*) only as the surname of a person named in full; never a place adjective
        // (*saudi*).
        if (self.is_demonym_memo(t.norm, doc) && !self.surname_seen(t.norm, doc))
            || self.word_facts(t.norm, doc).place_adjective
        {
            return None;
        }
        // After a given name (*karim al-kaabi* once *akram al-kaabi* is linked) the word is the
        // surname of someone else, whom no capitals delimit here. (*said* is the verb.)
        if i > 0
            && tokens[i - 1].script == Script::Latin
            && tokens[i - 1].norm != "said"
            && !is_stopword(tokens[i - 1].norm)
            && joinable(text, &tokens[i - 1], &tokens[i])
            && self.is_lexicon_name_memo(tokens[i - 1].norm, doc)
        {
            return None;
        }
        // Persons only: a lower-case word is often a common word that shares a letter shape with
        // an organisation's name part (*iraqi*, *other* ~ *interior*), seldom with a surname.
        let idx = self.coref(t.norm, doc)?;
        if self.ent(idx, doc).kind() != Kind::Per {
            return None;
        }
        let span = tokens[i].span.start..t.span.end;
        let joined: String = tokens[i..=end]
            .iter()
            .map(|t| t.norm)
            .collect::<Vec<_>>()
            .join(" ");
        let m = self.coref_mention(span.clone(), &text[span], &joined, idx, doc)?;
        Some((m, end + 1))
    }

    /// The country an Arabic nisba adjective names (اللبناني → LB, السعودية → SA), if it is one;
    /// memoised (it depends on the gazetteer alone).
    fn arabic_demonym_country(&self, norm: &str, doc: &DocState<'g>) -> Option<Box<str>> {
        if let Some(c) = doc.memo.country_words.borrow().get(norm) {
            return c.clone();
        }
        let c = self.arabic_demonym_country_uncached(norm, doc);
        doc.memo
            .country_words
            .borrow_mut()
            .insert(norm.to_string(), c.clone());
        c
    }

    fn arabic_demonym_country_uncached(&self, norm: &str, doc: &DocState<'g>) -> Option<Box<str>> {
        let bare = norm.strip_prefix("ال")?;
        adjective_stem_places(bare, 2)
            .iter()
            .find_map(|cand| self.country_named(cand, doc))
    }

    /// The ISO code of the country `name` (normalised) is a name of, if any.
    fn country_named(&self, name: &str, doc: &DocState<'g>) -> Option<Box<str>> {
        self.gz.lookup(name).iter().find_map(|&idx| {
            let e = self.ent(idx, doc);
            (e.kind() == Kind::Loc && e.id().starts_with("country:"))
                .then(|| e.countries().next().map(Box::from))
                .flatten()
        })
    }

    /// The country a capitalised Latin word names — a country's name (*Turkey's*) or an adjective of
    /// nationality (*Iranian*, from [`DEMONYMS`] or a country's name plus a demonym ending) —
    /// memoised.
    fn latin_country_word(&self, t: &Tok<'_>, doc: &DocState<'g>) -> Option<Box<str>> {
        if t.script != Script::Latin || !(t.capitalized || t.all_caps) {
            return None;
        }
        if let Some(c) = doc.memo.country_words.borrow().get(t.norm) {
            return c.clone();
        }
        let c = demonym_country(t.norm)
            .map(Box::from)
            .or_else(|| self.country_named(t.norm, doc))
            .or_else(|| {
                DEMONYM_SUFFIXES.iter().find_map(|suf| {
                    let base = t.norm.strip_suffix(suf)?;
                    (base.chars().count() >= 3)
                        .then(|| self.country_named(base, doc))
                        .flatten()
                })
            });
        doc.memo
            .country_words
            .borrow_mut()
            .insert(t.norm.to_string(), c.clone());
        c
    }

    /// True when the word before an organisation's name names another country than the
    /// organisation's: *Turkey's Foreign Ministry*, *the Iranian Interior Ministry* are not Iraq's.
    fn preceded_by_other_country(
        &self,
        e: &EntityRef<'_>,
        text: &str,
        tokens: &[Tok<'_>],
        first: usize,
        doc: &DocState<'g>,
    ) -> bool {
        e.kind() == Kind::Org
            && e.countries().next().is_some()
            && self
                .country_before(text, tokens, first, doc)
                .is_some_and(|c| !e.countries().any(|x| x == &*c))
    }

    /// The country a capitalised Latin word joined right before token `first` names (see
    /// [`Linker::latin_country_word`]): *Turkey's*, *Iranian*.
    fn country_before(
        &self,
        text: &str,
        tokens: &[Tok<'_>],
        first: usize,
        doc: &DocState<'g>,
    ) -> Option<Box<str>> {
        let prev = &tokens[first.checked_sub(1)?];
        if !joinable(text, prev, &tokens[first]) {
            return None;
        }
        self.latin_country_word(prev, doc)
    }

    /// True when tokens `first..=last` give only a generic name of entity `e`, a state body (*the
    /// Foreign Ministry*, *the National Security Council*: see [`GENERIC_BODIES`]), and the story
    /// names another country more than the body's, without naming the body's own right before it
    /// (*Iraq's Foreign Ministry*): the name is that other country's body.
    fn minor_country_body(
        &self,
        e: &EntityRef<'_>,
        text: &str,
        tokens: &[Tok<'_>],
        first: usize,
        last: usize,
        doc: &DocState<'g>,
    ) -> bool {
        let toks = &tokens[first..=last];
        if e.kind() != Kind::Org
            || e.countries().next().is_none()
            || e.countries().any(|c| main_country(c, doc))
            || toks.iter().all(|t| t.all_caps || t.script != Script::Latin)
            || !toks
                .iter()
                .any(|t| GENERIC_BODIES.contains(&t.norm.trim_end_matches('\'')))
        {
            return false;
        }
        let own_before = self
            .country_before(text, tokens, first, doc)
            .is_some_and(|c| e.countries().any(|x| x == &*c));
        let surface = normalize(&text[tokens[first].span.start..tokens[last].span.end]);
        !own_before && !self.forms(e.idx(), doc).strong_norms.contains(&surface)
    }

    /// True when `prev`, the word before `t`, makes `t` the last word of a longer capitalised name:
    /// a capitalised Latin word joined to it that is no function word, title, adjective of
    /// nationality or possessive (*Assistance Mission*, not *Iraqi Mission* or *Syria's Afrin*).
    fn ends_unknown_name(
        &self,
        text: &str,
        prev: &Tok<'_>,
        t: &Tok<'_>,
        doc: &DocState<'g>,
    ) -> bool {
        prev.script == Script::Latin
            && t.script == Script::Latin
            && (prev.capitalized || prev.all_caps)
            && !prev.lower
            && !prev.possessive
            && !prev.article
            && joinable(text, prev, t)
            && !is_stopword(prev.norm)
            && !TITLES.contains(&prev.norm)
            && !self.is_demonym_memo(prev.norm, doc)
            && self.latin_country_word(prev, doc).is_none()
    }

    /// True when an Arabic word names a country (as a nisba adjective) that entity `e` is not of:
    /// مجلس النواب اللبناني is not Libya's House of Representatives.
    fn names_other_country(&self, e: &EntityRef<'_>, t: &Tok<'_>, doc: &DocState<'g>) -> bool {
        t.script == Script::Arabic
            && e.countries().next().is_some()
            && self
                .arabic_demonym_country(t.norm, doc)
                .is_some_and(|c| !e.countries().any(|x| x == &*c))
    }

    /// True when `norm` is the surname of a prominent person of the gazetteer (prior ≥ 0.5).
    fn prominent_surname(&self, norm: &str, doc: &DocState<'g>) -> bool {
        let k = loose_key(norm);
        if k.is_empty() {
            return false;
        }
        self.gz
            .by_part_key(&k)
            .iter()
            .take(MAX_VARIANT_CANDIDATES)
            .any(|&idx| {
                let e = self.ent(idx, doc);
                e.kind() == Kind::Per
                    && e.prior() >= 0.5
                    && is_last_part(norm, &self.forms(idx, doc))
            })
    }

    /// True when `word` (normalised) is, by loose key, a name part of a person linked earlier.
    fn surname_seen(&self, word: &str, doc: &DocState<'g>) -> bool {
        doc.parts
            .get(&loose_key(word))
            .is_some_and(|(_, idx)| self.ent(*idx, doc).kind() == Kind::Per)
    }

    /// The variant pass at token `i`: capitalised or Arabic-script sequences, longest first.
    fn variant_at(
        &self,
        text: &str,
        tokens: &[Tok<'_>],
        i: usize,
        sent_start: &[bool],
        title_before: &[bool],
        doc: &mut DocState<'g>,
    ) -> Option<(Mention, usize)> {
        let t0 = &tokens[i];
        let arabic = t0.script == Script::Arabic;
        if t0.lower && t0.script == Script::Latin && !t0.capitalized {
            return self.lower_case_coref_at(text, tokens, i, doc);
        }
        if !arabic && !(t0.script == Script::Latin && (t0.capitalized || t0.article)) {
            return None;
        }
        // Extent of the sequence.
        let mut ends = Vec::new();
        let mut content = 0;
        let mut j = i;
        while j < tokens.len() {
            let t = &tokens[j];
            if j > i && (tokens[j - 1].possessive || !joinable(text, &tokens[j - 1], t)) {
                break;
            }
            // A lower-case nasab particle between capitalised words is part of the name (*Faysal bin
            // Farhan*, *Mohammed ben Salmane*); like an article it neither counts nor ends one.
            let particle = !arabic
                && j > i
                && t.script == Script::Latin
                && is_nasab(t.norm)
                && tokens.get(j + 1).is_some_and(|n| {
                    n.script == Script::Latin && n.capitalized && joinable(text, t, n)
                });
            let ok = if arabic {
                t.script == Script::Arabic
            } else {
                t.script == Script::Latin && (t.capitalized || t.article || particle)
            };
            if !ok || (j > i && is_title(text, tokens, j, false)) {
                break;
            }
            if !t.article && !particle {
                if is_stopword(t.norm) {
                    break;
                }
                content += 1;
                ends.push(j);
            }
            // Articles do not count as content, so a run of them ("al-al-al-…") is bounded by the
            // total token count too, or every start would scan to its end (quadratic; found by
            // tests/hostile.rs).
            if content >= MAX_VARIANT_TOKENS || t.possessive || j + 1 - i >= MAX_NAME_TOKENS {
                break;
            }
            j += 1;
        }
        let mut unlinked = None;
        for &end in ends.iter().rev() {
            let span = t0.span.start..tokens[end].span.end;
            if self.cuts_run(i, end, doc) || mid_word(text, &span) {
                continue;
            }
            let surface = &text[span.clone()];
            let toks = &tokens[i..=end];
            let content: Vec<&Tok<'_>> = toks.iter().filter(|t| !t.article).collect();
            let single = content.len() == 1;
            let last = content[content.len() - 1];
            let joined: String = toks.iter().map(|t| t.norm).collect::<Vec<_>>().join(" ");
            if single && !arabic {
                // A demonym (*Sudani*, *Iraqi*) is no name, unless it is the surname of a person the
                // document named in full (*Mohammed Shia al-Sudani* … *Sudani said*).
                if last.norm.chars().count() < 4
                    || (self.is_demonym_memo(last.norm, doc) && !self.surname_seen(last.norm, doc))
                {
                    continue;
                }
                // *Saudi* (of *Saudi Arabia*) is the adjective, not a name to corefer or vary.
                let after_locative = locative_before(tokens, i);
                if !after_locative && self.word_facts(last.norm, doc).place_adjective {
                    continue;
                }
                if sent_start[i] && !t0.article && !looks_arabic_origin(&content) {
                    // A lone capitalised word opening a sentence is too ambiguous.
                    if self.coref(last.norm, doc).is_none() {
                        continue;
                    }
                }
            }
            if single
                && arabic
                && (is_stopword(last.norm)
                    || last.norm.chars().count() < 4
                    || last.stems.iter().any(|s| is_stopword(&s.norm)))
            {
                continue;
            }
            let prominent_exact = self.names_prominent_place(last.norm, doc);
            if single && prominent_exact && self.coref(last.norm, doc).is_none() {
                // The word is a known name the exact pass turned down: no variant rescues it.
                continue;
            }
            // 1. Coreference with entities linked earlier: *Bin Zayed* after *Mohamed bin Zayed*
            // (the father's name alone is the father), then a surname.
            if content.len() == 2 && is_nasab(content[0].norm) {
                if let Some(idx) = self.nasab_coref(content[1].norm, doc) {
                    if let Some(m) = self.coref_mention(span.clone(), surface, &joined, idx, doc) {
                        return Some((m, end + 1));
                    }
                }
            }
            if single || (content.len() == 1 && t0.article) {
                let coref = self.coref(last.norm, doc).filter(|&idx| {
                    // An organisation named after its leader (*Khazali Network*) does not take the
                    // leader's surname from a prominent person who has it.
                    self.ent(idx, doc).kind() != Kind::Org
                        || !self.prominent_surname(last.norm, doc)
                });
                if let Some(idx) = coref {
                    if let Some(m) = self.coref_mention(span.clone(), surface, &joined, idx, doc) {
                        return Some((m, end + 1));
                    }
                }
            }
            // 2. Loose key, part key and fuzzy lookups.
            let found = self.variant_lookup(&joined, single, last.norm, doc);
            let how = found.how;
            let arabic_looking = arabic || looks_arabic_origin(&content);
            if how == HOW[2] && !arabic_looking {
                // A near spelling of an Arabic-origin name is what the fuzzy lookup is for; English
                // words come close to some name or other (*Youth Movement* ~ *Houthi movement*).
                continue;
            }
            let cands: Vec<(u32, f32, Vec<String>)> = found
                .hits
                .iter()
                .filter_map(|&(idx, kind, prior)| {
                    if !self.kind_allowed(kind) {
                        return None;
                    }
                    // Variants only reach prominent entities (or ones already seen); small ones must
                    // match exactly.
                    let seen = doc.linked.contains(&idx);
                    if !seen && prior < 0.3 {
                        return None;
                    }
                    if kind == Kind::Loc && self.foreign_middling_place(&self.ent(idx, doc), doc) {
                        // *near al-Wadi district* in a story about Yemen: see `exact_allowed`.
                        return None;
                    }
                    // Names and similarity are worked out only as far as the rules below ask:
                    // most hits of a one-word Latin surface fail on kind or cue alone.
                    let forms_cell = std::cell::OnceCell::new();
                    let forms = || forms_cell.get_or_init(|| self.forms(idx, doc)).clone();
                    let sim_cell = std::cell::OnceCell::new();
                    let sim = || {
                        *sim_cell
                            .get_or_init(|| self.variant_similarity(&joined, idx, &forms(), doc))
                    };
                    if single && !arabic {
                        // One Latin word: a surname of a person (exactly, or a close Arabic-origin
                        // spelling) or a close Arabic-origin spelling of an organisation's name part.
                        let close = || arabic_looking && sim() >= 0.9;
                        let ok = match kind {
                            // A place by a close spelling when the text says it is a place
                            // ("Salahuddin province").
                            Kind::Loc => place_designated(text, tokens, i, end) && sim() >= 0.9,
                            // A person by a close spelling of the surname, never by a given name
                            // alone ("Tamim" is not Tamim bin Hamad Al Thani).
                            // Not after a locative (*in Sulaimani* is the city, not *Soleimani*).
                            Kind::Per if !seen && !last.possessive && after_latin_in(tokens, i) => {
                                false
                            }
                            // *Renad Mansour* (an analyst) is not Mansour bin Zayed: a surname right
                            // after another capitalised name word belongs to that person's name.
                            Kind::Per
                                if !seen
                                    && i > 0
                                    && !title_before[i]
                                    && !tokens[i - 1].all_caps
                                    && self.ends_unknown_name(
                                        text,
                                        &tokens[i - 1],
                                        &tokens[i],
                                        doc,
                                    ) =>
                            {
                                false
                            }
                            // *my father Abbas*, *her brother Hussein*: a relative's name is a
                            // private person's.
                            Kind::Per
                                if !seen && i > 0 && KIN_WORDS.contains(&tokens[i - 1].norm) =>
                            {
                                false
                            }
                            // *By Sarah Ahmed*: nor right before another capitalised name word
                            // (Sarah is no spelling of *Sharaa* there).
                            Kind::Per
                                if !seen
                                    && capital_next(text, tokens, end).is_some_and(|n| {
                                        !n.all_caps
                                            && !n.article
                                            && !is_stopword(n.norm)
                                            // On a title-case line every word is capitalised:
                                            // there the next word must be a name.
                                            && (!doc.headline.get(end).copied().unwrap_or(false)
                                                || self.is_lexicon_name_memo(n.norm, doc))
                                    }) =>
                            {
                                false
                            }
                            Kind::Per => {
                                is_last_part(last.norm, &forms())
                                    || (close() && last_part_similarity(last.norm, &forms()) >= 0.9)
                                    // *the late King Hussein*: the name with its title.
                                    || (title_before[i]
                                        && self.titled_name(text, tokens, i, end, idx, doc))
                            }
                            // Nor a group after a locative (*in Shabwa* is no al-Shabaab).
                            Kind::Org => close() && (seen || !after_latin_in(tokens, i)),
                            _ => false,
                        } && !derived_word(last.norm, &forms());
                        if !ok {
                            return None;
                        }
                    } else if sim() < 0.88 || (single && sim() < 0.92) {
                        return None;
                    } else if single && arabic && kind == Kind::Loc && !seen && sim() < 0.95 {
                        // Arabic spellings of a place hardly vary: السلمان (al-Salman) is not
                        // السليمانية (Sulaymaniyah), 0.92 apart.
                        return None;
                    } else if !single && arabic && !seen && short_word_differs(&content, &forms()) {
                        // قضاء صور is not قضاء الدور, رأس عيسى not رأس العين: the shared generic
                        // word carries the similarity while the name itself differs.
                        return None;
                    } else if !single
                        && arabic
                        && kind != Kind::Per
                        && AR_OFFICES_OF_PLACES.contains(&content[0].norm)
                    {
                        // محافظ نينوى is the governor of Nineveh, not محافظة نينوى (the province):
                        // the place alone is the name.
                        return None;
                    } else if !single
                        && arabic
                        && content[1..].iter().any(|t| {
                            t.norm.starts_with('و')
                                && t.stems.iter().any(|s| s.proclitics.starts_with('و'))
                        })
                    {
                        // الاتحادية وأربيل "the federal (government) and Erbil": a word joined by
                        // the conjunction starts another name.
                        return None;
                    } else if !single
                        && arabic
                        && kind != Kind::Per
                        && content.iter().all(|t| is_arabic_generic(t.norm))
                    {
                        // شمال شرق "north-east" is no spelling of شمال الشرقية (North Al Sharqiyah):
                        // a phrase of common nouns names a place or a body only as written (the
                        // exact pass).
                        return None;
                    } else if !single && contradicts_names(&content, &forms()) {
                        // Word by word, the lexicon knows a surface word and the name's word as
                        // different names (Karim al-Kaabi is not Akram al-Kaabi).
                        return None;
                    } else if single
                        && arabic
                        && kind == Kind::Per
                        && !seen
                        && ((!title_before[i] && !last.norm.starts_with("ال"))
                            || after_arabic_in(tokens, i)
                            || !last_part_key(last.norm, &forms()))
                    {
                        // One Arabic word without the article (no capitals to go by) is a person's
                        // name only after a title or once the person is named: رئيسية "main" is not
                        // *Raisi*.
                        return None;
                    } else if single
                        && arabic
                        && kind != Kind::Per
                        && (names_only_a_modifier(last.norm, &forms())
                            || adjective_of_names(last.norm, &forms()))
                    {
                        // العراقي "Iraqi" is the adjective of العراق, not the country.
                        // للانتخابات "for the elections" is a modifier in the commission's name
                        // (المفوضية العليا المستقلة للانتخابات), not the name itself.
                        return None;
                    } else if single
                        && arabic
                        && kind == Kind::Org
                        && !seen
                        && (!article_agrees(last.norm, &forms())
                            || (is_arabic_common_noun(last.norm)
                                && !(i > 0 && is_arabic_designator(tokens[i - 1].norm))))
                    {
                        // One Arabic word reaches an organisation through its romanisation only as
                        // definite as the name is (قادة "leaders" is not *al-Qaeda*).
                        return None;
                    } else if single
                        && arabic
                        && kind == Kind::Loc
                        && !seen
                        && !arabic_place_cue(tokens, i, last.norm, &forms())
                        && !place_designated(text, tokens, i, end)
                    {
                        // One Arabic word reaches a place here only through the romanisation of
                        // its letters (had the place an Arabic name, the exact pass would have
                        // found it), and short Arabic words romanise close to some place name or
                        // other: عادوا "they returned" ~ Adwa, البحر "the sea" ~ Bahri.
                        return None;
                    }
                    if kind != Kind::Per && {
                        let e = self.ent(idx, doc);
                        content.iter().any(|t| self.names_other_country(&e, t, doc))
                            || tokens.get(end + 1).is_some_and(|n| {
                                joinable(text, &tokens[end], n)
                                    && self.names_other_country(&e, n, doc)
                            })
                    } {
                        return None;
                    }
                    let sim = sim();
                    let mut why = vec![format!("{how} match \"{surface}\", similarity {sim:.2}")];
                    // Decoded only for a candidate that passes (the hits carry kind and prior).
                    let e = self.ent(idx, doc);
                    let mut s = self.context_score(&e, sim - 0.2, title_before[i], doc, &mut why);
                    if title_before[i] && self.titled_name(text, tokens, i, end, idx, doc) {
                        s = (s + 0.05).min(1.0);
                        why.push("named with this title".into());
                    }
                    Some((idx, s, why))
                })
                .collect();
            if let Some(m) = self.choose(span.clone(), surface, cands, Path::Variant, doc) {
                return Some((m, end + 1));
            }
            // Unlinked names: capitalised Latin sequences that look Arabic-origin, and Arabic-script
            // sequences right after a title (no capitals to go by), with no function word inside.
            let latin_name = !arabic && looks_arabic_origin(&content);
            let arabic_name = arabic
                && title_before[i]
                && content
                    .iter()
                    .all(|t| !is_stopword(t.norm) && t.stems.iter().all(|s| !is_stopword(&s.norm)));
            if self.cfg.include_unlinked
                && unlinked.is_none()
                && !single
                && (latin_name || arabic_name)
            {
                // Suggested canonical spelling: the `simple` romanisation of Arabic script.
                let name = if arabic {
                    crate::translit::transliterate(surface, crate::translit::Scheme::Simple).text
                } else {
                    surface.to_string()
                };
                unlinked = Some((
                    Mention {
                        span,
                        text: surface.to_string(),
                        id: String::new(),
                        name,
                        kind: Kind::Other,
                        score: 0.0,
                        explanation: vec!["Arabic-origin-looking name not in the gazetteer".into()],
                        candidates: Vec::new(),
                    },
                    end + 1,
                ));
            }
        }
        unlinked
    }

    /// The variant pass at an Arabic-script word with proclitics, for each of its stems that keeps
    /// its article (`with_article`: وللكاظمي → الكاظمي, بالحشد → الحشد) or, otherwise, had none: the
    /// pass runs on a copy of the tokens around it whose word `i` is the stem, so the span starts after
    /// the proclitics.
    fn variant_at_stems(
        &self,
        text: &str,
        tokens: &[Tok<'_>],
        i: usize,
        (sent_start, title_before): (&[bool], &[bool]),
        with_article: bool,
        doc: &mut DocState<'g>,
    ) -> Option<(Mention, usize)> {
        let t = &tokens[i];
        if t.script != Script::Arabic || t.stems.is_empty() {
            return None;
        }
        let lo = i.saturating_sub(1);
        let hi = tokens.len().min(i + MAX_NAME_TOKENS + 1);
        for stem in t
            .stems
            .iter()
            .filter(|s| s.norm.starts_with("ال") == with_article)
        {
            // (Stems under three letters were dropped with the tokens: see `linkable_stem`.)
            if stem_cut_article(stem) || is_stopword(&stem.norm) {
                continue;
            }
            // No name has the stem for a word (nor the document): nothing for the pass to find.
            let k = loose_key(&stem.norm);
            if k.is_empty() || (self.gz.by_part_key(&k).is_empty() && !doc.parts.contains_key(&k)) {
                continue;
            }
            // The copy leaves the words' stems out (the pass asks them only of word `i`).
            let mut window: Vec<Tok<'_>> = tokens[lo..hi]
                .iter()
                .map(Tok::clone_without_stems)
                .collect();
            let w = &mut window[i - lo];
            w.norm = &stem.norm;
            w.span.start = stem.span.start;
            // The personal-name runs are by token index: shifted to the window for the call.
            let runs = std::mem::take(&mut doc.runs);
            doc.runs = runs[lo..hi]
                .iter()
                .map(|r| r.map(|(a, b)| (a.saturating_sub(lo), b.saturating_sub(lo))))
                .collect();
            let found = self.variant_at(
                text,
                &window,
                i - lo,
                &sent_start[lo..hi],
                &title_before[lo..hi],
                doc,
            );
            doc.runs = runs;
            if let Some((m, next)) = found.filter(|(m, _)| !m.id.is_empty()) {
                return Some((m, next + lo));
            }
        }
        None
    }

    /// The capitalised personal names of two or more words in a text, as token ranges per token (see
    /// [`DocState::runs`]): joinable capitalised Latin words (articles and nasab particles may come
    /// between them) opening with a word the lexicon knows as a name that is not the name of a
    /// prominent place, and going on with a name-like word (another known name, or a word behind an
    /// article or particle). *Hamid al-Jazaeri*, *Qasim Muslih*; not *Sadr City*, *Hamid Says*.
    fn person_runs(
        &self,
        text: &str,
        tokens: &[Tok<'_>],
        is_title: &[bool],
        doc: &DocState<'g>,
    ) -> Vec<Option<(usize, usize)>> {
        const PARTICLES: &[&str] = &["bin", "ibn", "bint", "ben", "ould", "abu", "abou", "umm"];
        let connector = |t: &Tok<'_>| t.article || PARTICLES.contains(&t.norm);
        let headline = &doc.headline;
        // Arabic script has no capitals: its words count when the lexicon knows them as names.
        let arabic_name = |t: &Tok<'_>| {
            t.script == Script::Arabic
                && !is_stopword(t.norm)
                // وفي "and in" before a place, though *Wafi* is a name.
                && !is_locative(t.norm)
                && crate::translit::lexicon::attested(t.norm).is_some()
        };
        let word = |t: &Tok<'_>| {
            (t.script == Script::Latin
                && t.capitalized
                && !t.all_caps
                && !connector(t)
                && !is_stopword(t.norm))
                || arabic_name(t)
        };
        let mut runs = vec![None; tokens.len()];
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            // In a headline every word is capitalised: only a name joined by an article or particle
            // (*Hassan al-Kaabi*) shows a run there.
            let in_headline = headline[i];
            if is_title[i]
                || (in_headline && !tokens.get(i + 1).is_some_and(&connector))
                || !word(t)
                || !(arabic_name(t) || self.is_lexicon_name_memo(t.norm, doc))
                || (self.names_place(t.norm, doc)
                    && !tokens.get(i + 1).is_some_and(|n| NASAB.contains(&n.norm)))
            {
                i += 1;
                continue;
            }
            let (mut j, mut words, mut second, mut after_connector) = (i, 1, None, false);
            while j + 1 < tokens.len()
                && words < MAX_VARIANT_TOKENS + 2
                && !tokens[j].possessive
                && joinable(text, &tokens[j], &tokens[j + 1])
                && !is_title[j + 1]
            {
                let n = &tokens[j + 1];
                if connector(n) {
                    after_connector = true;
                } else if word(n) && (n.script == Script::Arabic) == (t.script == Script::Arabic) {
                    words += 1;
                    let name_like = if n.script == Script::Arabic {
                        !self.names_entity(n.norm, doc)
                    } else {
                        after_connector || (!in_headline && self.unknown_or_name(n.norm, doc))
                    };
                    second.get_or_insert(name_like);
                    after_connector = false;
                } else {
                    break;
                }
                j += 1;
            }
            while j > i && connector(&tokens[j]) {
                j -= 1;
            }
            // The run's words may open the name of an organisation or a place instead (الحشد
            // الشعبي: both words are also surnames).
            let names_other = || {
                (i + 1..=j).any(|k| {
                    let joined: Vec<&str> = tokens[i..=k].iter().map(|t| t.norm).collect();
                    self.gz
                        .lookup(&joined.join(" "))
                        .iter()
                        .any(|&x| matches!(self.ent(x, doc).kind(), Kind::Org | Kind::Loc))
                })
            };
            if second == Some(true) && !names_other() {
                runs[i..=j].fill(Some((i, j)));
                i = j + 1;
            } else {
                i += 1;
            }
        }
        runs
    }

    /// True when a word is a name the lexicon knows or names no entity of the gazetteer (other than
    /// name parts): the second word of an unknown person's name (*Qasim Muslih*), not of a known
    /// entity (*Ali* then *Kadhimi*).
    fn unknown_or_name(&self, norm: &str, doc: &DocState<'g>) -> bool {
        self.is_lexicon_name_memo(norm, doc) || !self.names_entity(norm, doc)
    }

    /// True when a word is the canonical name of a place with prior ≥ 0.5 (*Basra*, not *Salem* which
    /// is only an old name of Jerusalem).
    fn names_place(&self, norm: &str, doc: &DocState<'g>) -> bool {
        self.word_facts(norm, doc).names_place
    }

    /// True when a word exactly names an entity other than a name part (العراق, الأنبار).
    fn names_entity(&self, norm: &str, doc: &DocState<'g>) -> bool {
        self.word_facts(norm, doc).names_entity
    }

    /// [`Linker::names_place`] and [`Linker::names_entity`] of a word, memoised for the document (the
    /// personal-name runs ask them of every capitalised name word).
    fn word_facts(&self, norm: &str, doc: &DocState<'g>) -> WordFacts {
        if let Some(&f) = doc.memo.word_facts.borrow().get(norm) {
            return f;
        }
        let ids = self.gz.lookup(norm);
        let f = WordFacts {
            names_place: ids.iter().any(|&x| {
                let e = self.ent(x, doc);
                e.kind() == Kind::Loc
                    && e.prior() >= 0.5
                    && (normalize(e.name()) == norm
                        // An Arabic-script word names a prominent place by one of its aliases
                        // (ایران, العراق): no personal name starts there.
                        || (e.prior() >= 0.7 && norm.chars().any(crate::normalize::is_arabic)))
            }),
            names_entity: ids.iter().any(|&x| self.ent(x, doc).kind() != Kind::Name),
            place_adjective: ids.iter().any(|&x| {
                let e = self.ent(x, doc);
                e.kind() == Kind::Loc && is_adjective_of(norm, e.name())
            }),
        };
        doc.memo.word_facts.borrow_mut().insert(norm.to_string(), f);
        f
    }

    /// True when tokens `first..=last` reach into a personal name (see [`Linker::person_runs`])
    /// without covering all of it.
    fn cuts_run(&self, first: usize, last: usize, doc: &DocState<'g>) -> bool {
        [first, last]
            .iter()
            .any(|&k| matches!(doc.runs.get(k), Some(Some((a, b))) if first > *a || last < *b))
    }

    /// True when `key` (a one-word name key, with or without the article ال) is an Arabic common noun:
    /// a word that heads at least [`GENERIC_HEAD_NAMES`] multi-word names of places or organisations in the
    /// gazetteer, as a construct-state head does (مدينة الصدر, مدينة الكويت… → المدينة "the city";
    /// المنطقة, المحافظة, الجزيرة alike), while proper names (العراق, البصرة) head few or none.
    /// Person names are not counted: given names head many of them (رياض …).
    fn generic_head(&self, key: &str) -> bool {
        use fst::{IntoStreamer, Streamer};
        let bare = key.strip_prefix("ال").unwrap_or(key);
        if key.contains(' ') || bare.chars().count() < 2 {
            return false;
        }
        let (lo, hi) = (format!("{bare} "), format!("{bare}!"));
        let mut stream = self.gz.names_fst().range().ge(&lo).lt(&hi).into_stream();
        let mut heads = 0;
        while let Some((_, v)) = stream.next() {
            let ids = self.gz.postings_of(v);
            if ids.iter().any(|&i| self.gz.entity(i).kind() != Kind::Per) {
                heads += 1;
                if heads >= GENERIC_HEAD_NAMES {
                    return true;
                }
            }
        }
        false
    }

    /// True when `surface` names `e` only as one word of its longer canonical name (articles aside):
    /// `Sadr` for *Sadr City*.
    fn part_of_longer_name(&self, e: &EntityRef<'_>, surface: &str, doc: &DocState<'g>) -> bool {
        let key = self.surface_key(surface, doc);
        let name = strip_articles(&self.surface_key(e.name(), doc));
        name.contains(' ') && *name != *key && name.split(' ').any(|w| w == &*key)
    }

    /// The similarity of a surface to the entity it corefers with, memoised for the document.
    fn coref_similarity(&self, joined: &str, idx: u32, doc: &DocState<'g>) -> f32 {
        if let Some(&(i, sim)) = doc.coref_sims.borrow().get(joined) {
            if i == idx {
                return sim;
            }
        }
        let sim = score_variant_forms(joined, &self.forms(idx, doc));
        doc.coref_sims
            .borrow_mut()
            .insert(joined.to_string(), (idx, sim));
        sim
    }

    /// [`Linker::is_demonym`], memoised for the document.
    fn is_demonym_memo(&self, norm: &str, doc: &DocState<'g>) -> bool {
        if let Some(&d) = doc.memo.demonyms.borrow().get(norm) {
            return d;
        }
        let d = self.is_demonym(norm);
        doc.memo.demonyms.borrow_mut().insert(norm.to_string(), d);
        d
    }

    /// [`score_variant_forms`] of a joined surface against entity `idx` (whose forms are `forms`),
    /// memoised.
    fn variant_similarity(
        &self,
        joined: &str,
        idx: u32,
        forms: &NameForms,
        doc: &DocState<'g>,
    ) -> f32 {
        if let Some(&sim) = doc
            .memo
            .variant_sims
            .borrow()
            .get(joined)
            .and_then(|by_entity| by_entity.get(&idx))
        {
            return sim;
        }
        let sim = score_variant_forms(joined, forms);
        doc.memo
            .variant_sims
            .borrow_mut()
            .entry(joined.to_string())
            .or_default()
            .insert(idx, sim);
        sim
    }

    /// [`crate::resolve::is_lexicon_name`], memoised for the document (it keys the word afresh).
    fn is_lexicon_name_memo(&self, norm: &str, doc: &DocState<'g>) -> bool {
        if let Some(&n) = doc.memo.lexicon_names.borrow().get(norm) {
            return n;
        }
        let n = crate::resolve::is_lexicon_name(norm);
        doc.memo
            .lexicon_names
            .borrow_mut()
            .insert(norm.to_string(), n);
        n
    }

    /// True when `norm` exactly names a place with prior ≥ 0.5, memoised for the document.
    fn names_prominent_place(&self, norm: &str, doc: &DocState<'g>) -> bool {
        if let Some(&p) = doc.memo.prominent.borrow().get(norm) {
            return p;
        }
        let p = self.gz.lookup(norm).iter().any(|&x| {
            let e = self.ent(x, doc);
            e.kind() == Kind::Loc && e.prior() >= 0.5
        });
        doc.memo.prominent.borrow_mut().insert(norm.to_string(), p);
        p
    }

    /// The variant pass's lookups for a joined normalised surface (loose key, then name part for one
    /// word, then fuzzy key), memoised for the document.
    fn variant_lookup(
        &self,
        joined: &str,
        single: bool,
        last_norm: &str,
        doc: &DocState<'g>,
    ) -> Rc<VariantHits> {
        if let Some(r) = doc.variants.borrow().get(joined) {
            return r.clone();
        }
        let (hits, how) = self.variant_hits_shared(joined, single, last_norm, doc);
        let r = Rc::new(VariantHits { hits, how });
        doc.variants
            .borrow_mut()
            .insert(joined.to_string(), r.clone());
        r
    }

    /// The uncached lookups of [`Linker::variant_lookup`], through the linker's cross-document cache.
    fn variant_hits_shared(
        &self,
        joined: &str,
        single: bool,
        last_norm: &str,
        doc: &DocState<'g>,
    ) -> (Vec<(u32, Kind, f32)>, &'static str) {
        let key = variant_cache_key(joined, single, last_norm);
        if self.cfg.cache_capacity > 0 {
            let cache = self
                .caches
                .variants
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if let Some(hit) = cache.get(&key) {
                return (hit.hits.clone(), hit.how);
            }
        }
        let mut ids = self.gz.by_loose_key(&loose_key(joined));
        let mut how = HOW[0];
        if ids.is_empty() && single {
            let p = self.gz.by_part_key(&loose_key(last_norm));
            if p.len() <= MAX_VARIANT_CANDIDATES {
                ids = p;
                how = HOW[1];
            }
        }
        if ids.is_empty() && self.cfg.fuzzy && joined.chars().count() >= 6 {
            let f = self.gz.candidates(joined, 1);
            if f.len() <= MAX_VARIANT_CANDIDATES {
                ids = f;
                how = HOW[2];
            }
        }
        let hits: Vec<(u32, Kind, f32)> = ids
            .iter()
            .map(|&x| {
                let e = self.ent(x, doc);
                (x, e.kind(), e.prior())
            })
            .collect();
        if self.cfg.cache_capacity > 0 {
            let mut cache = self
                .caches
                .variants
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if cache.len() >= self.cfg.cache_capacity {
                cache.clear();
            }
            let stored = CachedHits {
                hits: hits.clone(),
                how,
            };
            cache.insert(key, Arc::new(stored));
        }
        (hits, how)
    }

    /// True for a middling GeoNames place (prior below 0.5) of a country the document has not named,
    /// not linked in it yet, in a document whose countries are known: such a place is linked by its
    /// own name only, not by one of its many alternate names or a variant spelling.
    fn foreign_middling_place(&self, e: &EntityRef<'_>, doc: &DocState<'g>) -> bool {
        e.kind() == Kind::Loc
            && e.prior() < 0.5
            && e.id().starts_with("geonames:")
            && !doc.countries.is_empty()
            && !doc.linked.contains(&e.idx())
            && !e.countries().any(|c| doc.countries.contains_key(c))
    }

    /// True when `norm` is a word naming a prominent place (*iraq*, سوريا), or an Arabic adjective of
    /// one ([`arabic_adjective_bases`]).
    fn is_place_word(&self, norm: &str) -> bool {
        std::iter::once(norm.to_string())
            .chain(arabic_adjective_bases(norm))
            .any(|b| {
                self.gz.lookup(&b).iter().any(|&i| {
                    let e = self.gz.entity(i);
                    e.kind() == Kind::Loc && e.prior() >= 0.5
                })
            })
    }

    /// True when `norm` is a place name plus a demonym suffix (`iraqi`, `iranian`, `americans`).
    fn is_demonym(&self, norm: &str) -> bool {
        demonym_country(norm).is_some()
            || DEMONYM_SUFFIXES.iter().any(|suf| {
                norm.strip_suffix(suf)
                    .filter(|base| base.chars().count() >= 3)
                    .is_some_and(|base| {
                        self.gz.lookup(base).iter().any(|&i| {
                            let e = self.gz.entity(i);
                            e.kind() == Kind::Loc && e.prior() >= 0.5
                        })
                    })
            })
    }

    /// An entity linked earlier whose name part matches `norm` exactly by loose key or closely
    /// (memoised: once more entities are linked, only their parts are compared).
    fn coref(&self, norm: &str, doc: &DocState<'g>) -> Option<u32> {
        if doc.linked.is_empty() {
            return None;
        }
        let version = doc.linked.len();
        let mut scans = doc.coref.borrow_mut();
        if let Some(scan) = scans.get_mut(norm) {
            if scan.version != version {
                self.coref_scan(norm, doc, scan);
            }
            return scan.found;
        }
        let mut scan = CorefScan::default();
        self.coref_scan(norm, doc, &mut scan);
        let found = scan.found;
        scans.insert(norm.to_string(), scan);
        found
    }

    /// Brings `scan` up to date with the entities linked so far.
    fn coref_scan(&self, norm: &str, doc: &DocState<'g>, scan: &mut CorefScan) {
        scan.version = doc.linked.len();
        let k = loose_key(norm);
        if let Some((part, idx)) = doc.parts.get(&k) {
            let arabic = arabic_script;
            // The entity's part in the word's own script, where it has one (سلامة for السلم, not
            // *Salameh*): spellings are compared within a script first.
            let part = if arabic(part) == arabic(norm) {
                part.as_str()
            } else {
                doc.part_norms
                    .iter()
                    .rev()
                    .find(|(p, i)| i == idx && arabic(p) == arabic(norm) && loose_key(p) == k)
                    .map_or(part.as_str(), |(p, _)| p.as_str())
            };
            // The loose key merges vowels and letter classes: the spellings must also be close
            // (*Hikma* is not *Hakim*, though both key `hkm`).
            let close = if k.chars().count() < 2 {
                part == norm || jaro_winkler(part, norm) >= 0.9
            } else {
                // Latin spellings of one name vary a lot; across scripts the loose key says less
                // (*Abdi* and بعودة share `bt`), and Arabic spellings of one name hardly vary
                // (الثنائية "bilateral" is not ثاني): there the spellings must agree as a whole.
                let floor = match (arabic(part), arabic(norm)) {
                    (false, false) => 0.5,
                    (true, true) => 0.8,
                    // الثنائية "bilateral" is 0.87 from *Thani*; *Othman* / عثمان 0.91.
                    _ => 0.9,
                };
                // Nor do they lose or gain letters beyond one: سلم of السلم "the peace" is not
                // سلامة (Salameh).
                let bare = |w: &str| w.strip_prefix("ال").unwrap_or(w).chars().count();
                let lengths_differ =
                    arabic(part) && arabic(norm) && bare(part).abs_diff(bare(norm)) > 1;
                part == norm
                    || (!lengths_differ && crate::resolve::compare_score(part, norm) >= floor)
            };
            if close && !crate::resolve::lexicon_distinct(part, norm) {
                scan.found = Some(*idx);
                return;
            }
        }
        let n_chars = norm.chars().count();
        if n_chars < 5 {
            scan.found = None;
            return;
        }
        // Close spellings: the lexicon check keys both words afresh, and few parts are close.
        let letters = ascii_letter_counts(norm);
        for (p, idx) in &doc.part_norms[scan.scanned..] {
            // Jaro-Winkler ≥ 0.9 needs Jaro ≥ 0.83, which needs the shorter word at least half as
            // long as the longer, and enough letters in common: skip the others unscored.
            let a = p.chars().count();
            if a.min(n_chars) * 2 < a.max(n_chars)
                || letters
                    .as_ref()
                    .is_some_and(|counts| !may_be_jaro_close(counts, n_chars, p))
            {
                continue;
            }
            // Two Arabic-script words of different loose keys differ in a consonant: Arabic
            // spellings of one name hardly vary, and a shared article and root pass for close
            // (الحوار "the dialogue" is not الحر "the free", مستقلون "independents" not المستقلة).
            if arabic_script(p) && arabic_script(norm) {
                continue;
            }
            let s = jaro_winkler(p, norm);
            if s >= 0.9
                && scan.best.is_none_or(|(b, _)| s >= b)
                && !crate::resolve::lexicon_distinct(p, norm)
            {
                scan.best = Some((s, *idx));
            }
        }
        scan.scanned = doc.part_norms.len();
        scan.found = scan.best.map(|(_, idx)| idx);
    }
}

/// The given names a person may be called by after a title (*King Abdullah*): the first word of each
/// of the person's strong names (normalised) of two words or more, titles left out, not a particle
/// (*Abu*, *bin*) or an article, nor a one- or two-letter word.
fn given_names(strong_norms: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for norm in strong_norms {
        let words: Vec<&str> = norm
            .split(name_sep)
            .filter(|w| !w.is_empty())
            .skip_while(|w| crate::names::TITLES.contains(w))
            .collect();
        let Some(&first) = words.first() else {
            continue;
        };
        if words.len() < 2
            || first.chars().count() < 3
            || is_nasab(first)
            || LATIN_ARTICLES.contains(&first)
            || crate::names::kunya_particle(first).is_some()
        {
            continue;
        }
        if !out.iter().any(|g| g == first) {
            out.push(first.to_string());
        }
    }
    out
}

/// A separator of the words of a normalised name (a space or a hyphen).
fn name_sep(c: char) -> bool {
    c.is_whitespace() || c == '-'
}

/// True when a word has an Arabic-script letter.
fn arabic_script(w: &str) -> bool {
    w.chars().any(crate::normalize::is_arabic)
}

/// How often each byte occurs in an ASCII word shorter than 256 bytes; None for any other word.
fn ascii_letter_counts(word: &str) -> Option<[u8; 128]> {
    (word.is_ascii() && word.len() < 256).then(|| {
        let mut counts = [0u8; 128];
        for b in word.bytes() {
            counts[usize::from(b)] += 1;
        }
        counts
    })
}

/// False only when `p` is surely not within Jaro-Winkler 0.9 of the ASCII word of `n` letters counted
/// in `counts`. Jaro-Winkler adds at most 0.4 × (1 − Jaro), so 0.9 needs Jaro ≥ 5/6; Jaro pairs equal
/// letters one to one, so with `m` the letters the words share (as multisets) it is at most
/// (m/|p| + m/n + 1) / 3. A word without any ASCII letter (an Arabic name part) shares none with the
/// ASCII word: Jaro 0. Another word other than ASCII is never ruled out.
fn may_be_jaro_close(counts: &[u8; 128], n: usize, p: &str) -> bool {
    if p.is_empty() {
        return true;
    }
    if !p.is_ascii() {
        return p.bytes().any(|b| b.is_ascii());
    }
    let mut left = *counts;
    let mut shared = 0usize;
    for b in p.bytes() {
        let c = &mut left[usize::from(b)];
        if *c > 0 {
            *c -= 1;
            shared += 1;
        }
    }
    let m = shared as f64;
    // 0.83 < 5/6 leaves room for rounding: this only skips work, never changes an answer.
    (m / p.len() as f64 + m / n as f64 + 1.0) / 3.0 >= 0.83
}

/// [`strsim::jaro_winkler`] without its allocation and repeated character decoding for words of up to
/// 64 characters (the linker compares words and short names many times per text): the same steps and
/// the same arithmetic in the same order, so the same `f64` (a test compares them), on bytes for ASCII
/// and on a stack copy of the characters otherwise; strsim itself for longer strings.
fn jaro_winkler(a: &str, b: &str) -> f64 {
    if a.is_ascii() && b.is_ascii() && a.len() <= 64 && b.len() <= 64 {
        return jaro_winkler_of(a.as_bytes(), b.as_bytes());
    }
    let (mut x, mut y) = (['\0'; 64], ['\0'; 64]);
    match (chars_into(a, &mut x), chars_into(b, &mut y)) {
        (Some(n), Some(m)) => jaro_winkler_of(&x[..n], &y[..m]),
        _ => strsim::jaro_winkler(a, b),
    }
}

/// Copies the characters of `s` into `buf`: their number, or None when there are more than 64.
fn chars_into(s: &str, buf: &mut [char; 64]) -> Option<usize> {
    let mut n = 0;
    for c in s.chars() {
        *buf.get_mut(n)? = c;
        n += 1;
    }
    Some(n)
}

/// Jaro-Winkler similarity of two sequences of at most 64 elements, as
/// [`strsim::generic_jaro_winkler`] computes it, with bit sets for its flag vectors.
fn jaro_winkler_of<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    let sim = jaro_of(a, b);
    if sim > 0.7 {
        let prefix = a.iter().take(4).zip(b).take_while(|(p, q)| p == q).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// Jaro similarity of two sequences of at most 64 elements, as [`strsim::generic_jaro`] computes it.
fn jaro_of<T: PartialEq>(a: &[T], b: &[T]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    debug_assert!(a_len <= 64 && b_len <= 64);
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let range = (a_len.max(b_len) / 2).saturating_sub(1);
    let (mut a_flags, mut b_flags) = (0u64, 0u64);
    let mut matches = 0usize;
    for (i, c) in a.iter().enumerate() {
        let hi = b_len.min(i + range + 1);
        // The first unmatched equal element within the window.
        if let Some(j) =
            (i.saturating_sub(range)..hi).find(|&j| b[j] == *c && b_flags & (1 << j) == 0)
        {
            a_flags |= 1 << i;
            b_flags |= 1 << j;
            matches += 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0;
    for (i, c) in a.iter().enumerate() {
        if a_flags & (1 << i) != 0 {
            while b_flags & (1 << j) == 0 {
                j += 1;
            }
            if *c != b[j] {
                transpositions += 1;
            }
            j += 1;
        }
    }
    transpositions /= 2;
    ((matches as f64 / a_len as f64)
        + (matches as f64 / b_len as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

/// Similarity in 0..=1 between a normalised surface and an entity: the best Jaro-Winkler score against
/// the entity's names, their article-less forms and, for a one-word surface, their parts.
pub fn score_variant(surface_norm: &str, e: &EntityRef<'_>) -> f32 {
    score_variant_forms(surface_norm, &NameForms::new(e))
}

fn score_variant_forms(surface_norm: &str, forms: &NameForms) -> f32 {
    let surface = strip_articles(surface_norm);
    let one_word = !surface.contains(' ');
    let sw: Vec<&str> = surface.split(' ').collect();
    let mut best = 0.0f64;
    for n in &forms.strong_stripped {
        let nw_len = n.split(' ').count();
        if sw.len() > 1 && sw.len() == nw_len {
            // Word by word: every word must be close, not just the string as a whole.
            let (mut sum, mut min) = (0.0f64, 1.0f64);
            for (a, b) in sw.iter().zip(n.split(' ')) {
                let sim = jaro_winkler(a, b);
                sum += sim;
                min = min.min(sim);
            }
            let mean = sum / sw.len() as f64;
            best = best.max(if min < 0.75 { mean * 0.8 } else { mean });
        } else if sw.len() == nw_len {
            best = best.max(jaro_winkler(&surface, n));
        } else {
            best = best.max(jaro_winkler(&surface, n) * 0.9);
            if one_word {
                // A compound written as one word (Salahuddin, Abdulrahman) against its words.
                let squashed: String = n.split(' ').collect();
                best = best.max(jaro_winkler(&surface, &squashed) * 0.98);
            }
        }
        if one_word {
            for p in n.split(' ').filter(|p| p.chars().count() >= 3) {
                // A part match is a little weaker than a whole-name match.
                best = best.max(jaro_winkler(&surface, p) * 0.97);
            }
        }
    }
    best as f32
}

/// True when `norm` is the last word of one of the person's (non-weak) names.
fn is_last_part(norm: &str, forms: &NameForms) -> bool {
    let k = loose_key(norm);
    forms.strong_norms.iter().any(|n| {
        surname(n).is_some_and(|p| {
            p == norm
                || (!k.is_empty()
                    && loose_key(p) == k
                    && jaro_winkler(p, norm) >= 0.85
                    && !crate::resolve::lexicon_distinct(p, norm))
        })
    })
}

/// The last word of a normalised name, unless the name is a title and a given name (*King Hussein*,
/// *Crown Prince Hussein*, *Sultan Haitham*), which has no surname.
fn surname(name: &str) -> Option<&str> {
    let mut words = name.rsplit(name_sep).filter(|w| !w.is_empty());
    let last = words.next()?;
    let titled = words
        .next()
        .is_some_and(|w| crate::names::TITLES.contains(&w))
        && words.next().is_none_or(|w| w == "crown");
    (!titled).then_some(last)
}

/// The number of name words among tokens, articles and nasab particles left out.
/// *Abdul Aziz* (`Abd al-X`) is one name, not two.
fn name_words(toks: &[Tok<'_>]) -> usize {
    let words: Vec<&Tok<'_>> = toks
        .iter()
        .filter(|t| !t.article && !NASAB.contains(&t.norm))
        .collect();
    let abd = words
        .iter()
        .take(words.len().saturating_sub(1))
        .filter(|t| crate::key::is_abd(t.norm))
        .count();
    words.len() - abd
}

/// The best Jaro-Winkler similarity of a one-word surface to the last word of the entity's names.
fn last_part_similarity(norm: &str, forms: &NameForms) -> f64 {
    forms
        .strong_stripped
        .iter()
        .filter_map(|n| surname(n))
        .filter(|p| !crate::resolve::lexicon_distinct(p, norm))
        .map(|p| jaro_winkler(p, norm))
        .fold(0.0, f64::max)
}

/// True when a one-word surface has the loose key of the last word of one of the entity's names, in
/// either script: a surname (الكاظمي of *Mustafa al-Kadhimi*). A definite surface needs a definite last
/// word (الكاظمي, *al-Kadhimi*): الحمد "the praise" is not *King Hamad*.
fn last_part_key(norm: &str, forms: &NameForms) -> bool {
    let k = loose_key(norm);
    let definite = norm.starts_with("ال");
    !k.is_empty()
        && forms.strong_norms.iter().any(|n| {
            let words: Vec<&str> = n.split(name_sep).filter(|w| !w.is_empty()).collect();
            let Some((last, before)) = words.split_last() else {
                return false;
            };
            let form_definite =
                last.starts_with("ال") || before.last().is_some_and(|a| LATIN_ARTICLES.contains(a));
            loose_key(last) == k && (!definite || form_definite)
        })
}

/// True when a one-word surface is a word derived from one of the entity's name words rather than a
/// spelling of it: the word plus a suffix of two or more letters (*Kadhimiya*, the district, from
/// *Kadhimi*; *Husseiniya* from *Hussein*).
fn derived_word(norm: &str, forms: &NameForms) -> bool {
    // A compound name written as one word (Salahuddin for Salah ad-Din) is the name itself.
    let compound = forms
        .strong_stripped
        .iter()
        .any(|n| n.contains(' ') && jaro_winkler(norm, &n.split(' ').collect::<String>()) >= 0.9);
    !compound
        && forms.strong_stripped.iter().any(|n| {
            n.split(' ').any(|p| {
                let stem = p.trim_end_matches(['i', 'y']);
                stem.chars().count() >= 3 && norm.len() >= p.len() + 2 && norm.starts_with(stem)
            })
        })
}

/// True when the entity has names with as many words as the surface and each of them has, in some
/// place, a word the lexicon knows as a different name from the surface word there.
fn contradicts_names(content: &[&Tok<'_>], forms: &NameForms) -> bool {
    let words: Vec<&str> = content.iter().map(|t| t.norm).collect();
    let mut same_len = forms
        .strong_stripped
        .iter()
        .filter(|n| n.is_ascii())
        .map(|n| n.split(' ').collect::<Vec<_>>())
        .filter(|nw| nw.len() == words.len())
        .peekable();
    if same_len.peek().is_none() {
        return false;
    }
    same_len.all(|nw| {
        nw.iter()
            .zip(&words)
            .any(|(a, b)| a != b && crate::resolve::lexicon_distinct(a, b))
    })
}

/// True when, against each of the entity's Arabic-script names of as many words as the surface, some
/// word differs in its loose key, where one letter makes another word, and that word is short (three
/// letters or fewer once the article is dropped) or another word is the very same: a fuzzy match of
/// several words must not rest on their generic words.
fn short_word_differs(content: &[&Tok<'_>], forms: &NameForms) -> bool {
    let bare = |w: &str| w.strip_prefix("ال").unwrap_or(w).to_string();
    let words: Vec<String> = content.iter().map(|t| bare(t.norm)).collect();
    let mut same_len = forms
        .strong_norms
        .iter()
        .filter(|n| n.chars().any(crate::translit::is_arabic_letter))
        .map(|n| n.split(' ').map(bare).collect::<Vec<_>>())
        .filter(|nw| nw.len() == words.len())
        .peekable();
    if same_len.peek().is_none() {
        return false;
    }
    same_len.all(|nw| {
        // A word of any length differs when another word is the very same (باب الحوار "the door of
        // dialogue" is not باب الزوار, Bab Ezzouar): the shared word carries the similarity.
        let shares_a_word = nw.iter().zip(&words).any(|(a, b)| a == b);
        nw.iter().zip(&words).any(|(a, b)| {
            a != b
                && (shares_a_word || a.chars().count().min(b.chars().count()) <= 3)
                && loose_key(a) != loose_key(b)
        })
    })
}

/// The entity's canonical name and non-weak aliases.
fn strong_names<'a>(e: &EntityRef<'a>) -> impl Iterator<Item = &'a str> + 'a {
    std::iter::once(e.name()).chain(e.aliases().filter(|a| !a.1).map(|a| a.0))
}

/// Drops Latin/Arabic articles and joins the remaining words with single spaces.
fn strip_articles(norm: &str) -> String {
    norm.split(name_sep)
        .filter(|w| !w.is_empty() && !LATIN_ARTICLES.contains(w))
        .map(|w| {
            w.strip_prefix("ال")
                .filter(|r| r.chars().count() >= 2)
                .unwrap_or(w)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How the variant pass found its candidates, as the explanations say it.
const HOW: [&str; 3] = ["loose key", "name part", "fuzzy key"];

/// The cross-document cache key of a variant lookup: everything the lookup depends on.
fn variant_cache_key(joined: &str, single: bool, last_norm: &str) -> String {
    format!("{}\u{1}{joined}\u{1}{last_norm}", u8::from(single))
}

/// A variant lookup kept in the linker's cross-document cache.
#[derive(Debug)]
struct CachedHits {
    /// `(entity, kind, prior)` for every hit.
    hits: Vec<(u32, Kind, f32)>,
    /// How they were found (one of [`HOW`]).
    how: &'static str,
}

/// True when [`Linker::exact_allowed`] turns down an exact match of `toks` whatever the entity: one
/// Latin content word (articles aside) that is lower-case or a function word. Checked before the
/// entities are even decoded, as most words of running text are such names (of small places).
fn never_links_alone(toks: &[Tok<'_>], lower_case_text: bool) -> bool {
    if toks.iter().any(|t| t.script == Script::Arabic) {
        return false;
    }
    let mut content = toks.iter().filter(|t| !t.article);
    let t = match (content.next(), content.next()) {
        (Some(t), None) => t,
        (None, _) => &toks[0],
        (Some(_), Some(_)) => return false,
    };
    // (An all-caps word may be an acronym, *US*: the precision rules decide.)
    t.script == Script::Latin
        && ((!t.capitalized && !lower_case_text) || (is_stopword(t.norm) && !t.all_caps))
}

/// True when one Arabic word at token `i` (normalised `norm`) has what a place reached only through
/// its romanisation needs: it is not one of the common nouns of place and organisation names
/// (`data/rules/common_words.tsv`), a locative preposition precedes it (في، من، إلى), and, for a definite word
/// (ال + noun, the shape of common nouns: البحر, المدينة), a place whose own one-word name carries the
/// article.
/// A verb has neither (عادوا "they returned").
fn arabic_place_cue(tokens: &[Tok<'_>], i: usize, norm: &str, forms: &NameForms) -> bool {
    if is_arabic_generic(norm) || tokens[i].stems.iter().any(|s| is_arabic_generic(&s.norm)) {
        // A common noun of place and organisation names (هيئة "commission", بحر "sea") or of news
        // prose (الخارج "abroad": سافر إلى الخارج is no trip to Kharga).
        return false;
    }
    locative_before(tokens, i) && article_agrees(norm, forms)
}

/// True when one Arabic word (normalised `norm`) is definite as one of the entity's one-word names is:
/// with the article (الزبير, *al-Zubair*) or without it. An Arabic name keeps its article in running text,
/// so a word without it is no spelling of a name with it (محاولة "attempt" is not *al-Mahawil*, قادة
/// "leaders" not *al-Qaeda*), and a definite common noun (البحر "the sea") no spelling of a bare name.
fn article_agrees(norm: &str, forms: &NameForms) -> bool {
    let definite = norm
        .strip_prefix("ال")
        .is_some_and(|rest| rest.chars().count() >= 2);
    // The entity's Arabic names say best how Arabic writes it (English drops the article: *Mahawil*).
    let arabic = |n: &&String| n.chars().any(crate::normalize::is_arabic);
    let has_arabic = forms.strong_norms.iter().any(|n| arabic(&n));
    forms
        .strong_norms
        .iter()
        .filter(|n| !has_arabic || arabic(n))
        .any(|n| {
            let mut words = n.split(name_sep).filter(|w| !w.is_empty());
            let with_article = match (words.next(), words.next(), words.next()) {
                (Some(a), Some(_), None) if LATIN_ARTICLES.contains(&a) => true,
                (Some(w), None, None) => w.starts_with("ال"),
                // Not a one-word name.
                _ => return false,
            };
            with_article == definite
        })
}

/// A name the exact pass found: (first token, last token inclusive, span start byte, entities, whether
/// the first token's stem lost the article).
type ExactHit = (usize, usize, usize, Arc<[u32]>, bool);

/// True when removing a stem's proclitics took the article away (البيان → بيان, وبالعراق → عراق), not
/// when it kept or restored it (بالعراق → العراق, للكاظمي → الكاظمي).
fn stem_cut_article(stem: &Stem) -> bool {
    stem.proclitics.ends_with("ال") && !stem.norm.starts_with("ال")
}

/// Appends a mention, or joins it to the one before when both name the same person and only a space
/// separates them: a name the passes found in two pieces (*Abu Fadak* by its exact alias, then
/// *al-Mohammedawi* by coreference) is one mention.
fn push_mention(out: &mut Vec<Mention>, mut m: Mention, text: &str) {
    // *ʿAṣāʾib Ahl al-Ḥaqq*, *Karbalāʾ*: an ʿayn or hamza opening or closing the mention's words (a
    // letter in scholarly transliteration, never a quotation mark) belongs to the mention.
    let mark = |c: Option<char>, beyond: Option<char>| {
        c.filter(|c| AYN_HAMZA.contains(c) && !beyond.is_some_and(char::is_alphanumeric))
            .map_or(0, char::len_utf8)
    };
    let mut before = text[..m.span.start].chars().rev();
    let mut after = text[m.span.end..].chars();
    let (b, a) = (
        mark(before.next(), before.next()),
        mark(after.next(), after.next()),
    );
    if a + b > 0 {
        m.span = m.span.start - b..m.span.end + a;
        m.text = text[m.span.clone()].to_string();
    }
    if let Some(prev) = out.last_mut() {
        let gap = &text[prev.span.end.min(m.span.start)..m.span.start];
        let space = |c: char| c == ' ' || c == '\u{a0}';
        // Spaces, or the article between two names of one person (*Hamad bin Isa* + *al* + *Khalifah*).
        let article = || {
            let rest = gap.trim_start_matches(space);
            rest.get(..2)
                .is_some_and(|a| matches!(a, "al" | "Al" | "AL" | "el" | "El" | "EL"))
                && rest.len() > 2
                && rest[2..].starts_with([' ', '\u{a0}', '-'])
                && rest[3..].chars().all(space)
        };
        if prev.kind == Kind::Per
            && !prev.id.is_empty()
            && prev.id == m.id
            && !gap.is_empty()
            && (gap.chars().all(space) || article())
        {
            prev.span.end = m.span.end;
            prev.text = text[prev.span.clone()].to_string();
            prev.score = prev.score.max(m.score);
            prev.explanation.push(format!(
                "joined with the next words \"{}\", the same person",
                m.text
            ));
            return;
        }
    }
    out.push(m);
}

/// True when a capitalised Latin sequence looks like an Arabic-origin name (articles, typical
/// letter clusters); used for unlinked mentions.
fn looks_arabic_origin(content: &[&Tok<'_>]) -> bool {
    if content.iter().any(|t| t.script == Script::Arabic) {
        return true;
    }
    content.iter().any(|t| arabic_looking_word(t.norm))
}

/// True for a normalised word with letter clusters typical of romanised Arabic.
fn arabic_looking_word(norm: &str) -> bool {
    const MARKERS: &[&str] = &[
        "kh", "dh", "gh", "sh", "q", "'", "abd", "muh", "moh", "ahmad", "ahmed", "ali", "hassan",
        "hussein", "ibn", "bin", "abu", "allah", "ullah",
    ];
    // One pass over the bytes instead of a substring search per marker (this runs on every
    // capitalised word): a marker occurs where it starts with the byte at hand.
    let b = norm.as_bytes();
    (!norm.is_ascii() && norm.chars().any(|c| c.is_alphabetic() && !c.is_ascii()))
        || (0..b.len()).any(|i| {
            // English *-igh* and *-ough* (*High*, *Hughes*, *Tough*) are no romanised غ.
            let english_gh = b[i] == b'g' && (b[..i].ends_with(b"i") || b[..i].ends_with(b"ou"));
            MARKERS.iter().any(|m| {
                m.as_bytes()[0] == b[i]
                    && b[i..].starts_with(m.as_bytes())
                    && !(english_gh && *m == "gh")
            })
        })
}

/// The place names an Arabic nisba adjective (its article removed) may be formed from, stems of at
/// least `min_stem` letters: the stem before the ending يه/ية/ي, with the article, or with ا, يا or ي
/// (سوري of سوريا, عراقي of العراق, امريكي of امريكا, ليبي of ليبيا), in that order.
fn adjective_stem_places(bare: &str, min_stem: usize) -> Vec<String> {
    let mut out = Vec::new();
    for suffix in ["يه", "ية", "ي"] {
        if let Some(stem) = bare
            .strip_suffix(suffix)
            .filter(|stem| stem.chars().count() >= min_stem)
        {
            out.extend([
                stem.to_string(),
                format!("ال{stem}"),
                format!("{stem}ا"),
                format!("{stem}يا"),
                format!("{stem}ي"),
            ]);
        }
    }
    out
}

/// [`adjective_stem_places`] of an Arabic word, with or without its article (stems of three letters
/// or more); empty for any other word.
fn arabic_adjective_bases(norm: &str) -> Vec<String> {
    if !norm.chars().all(crate::normalize::is_arabic) {
        return Vec::new();
    }
    adjective_stem_places(norm.strip_prefix("ال").unwrap_or(norm), 3)
}

/// True when `norm` is an Arabic adjective of one of the entity's names (العراقي of العراق).
fn adjective_of_names(norm: &str, forms: &NameForms) -> bool {
    let bases = arabic_adjective_bases(norm);
    !bases.is_empty() && forms.strong_norms.iter().any(|n| bases.contains(n))
}

/// Arabic offices held over a place or a body, written before its name (محافظ نينوى "the governor of
/// Nineveh", ملك البحرين "the king of Bahrain", قائممقام قضاء…), normalised: often a letter or two
/// short of the place's own word (محافظة, مملكة).
const AR_OFFICES_OF_PLACES: &[&str] = &[
    "محافظ",
    "قائممقام",
    "قائمقام",
    "ملك",
    "امير",
    "حاكم",
    "سفير",
    "قنصل",
];

/// True for a lower-case ASCII word of three consonants (*pmf*, *kdp*, *hts*): an acronym written
/// in lower case, as social-media posts do, since English has hardly a word without a vowel.
fn consonant_acronym(norm: &str) -> bool {
    norm.len() == 3
        && norm
            .bytes()
            .all(|b| b.is_ascii_lowercase() && !matches!(b, b'a' | b'e' | b'i' | b'o' | b'u'))
        && !matches!(
            norm,
            "hmm" | "brr" | "shh" | "pst" | "nth" | "tsk" | "cwm" | "ppl" | "thx"
        )
}

/// Words for a mountain, valley, river, plain, lake or gulf, normalised (Arabic and English-press).
const FEATURE_WORDS: &[&str] = &[
    "جبل",
    "وادي",
    "نهر",
    "سهل",
    "بحيره",
    "خليج",
    "jabal",
    "jebel",
    "jabel",
    "djebel",
    "wadi",
    "oued",
    "mount",
    "mt",
    "lake",
    "river",
];

/// True when the word right before token `first` names a natural feature ([`FEATURE_WORDS`]).
fn feature_before(text: &str, tokens: &[Tok<'_>], first: usize) -> bool {
    // Over a detached article (*Jabal al-Zawiya*).
    let first = if first > 0 && tokens[first - 1].article {
        first - 1
    } else {
        first
    };
    first > 0 && {
        let prev = &tokens[first - 1];
        FEATURE_WORDS.contains(&prev.norm)
            && (prev.script == Script::Arabic || prev.capitalized)
            && joinable(text, prev, &tokens[first])
    }
}

/// True for the *RT* (or *MT*) before a handle that marks a repost (*RT @IraqNews: …*), which is no
/// broadcaster.
fn retweet_marker(text: &str, t: &Tok<'_>) -> bool {
    matches!(&text[t.span.clone()], "RT" | "MT")
        && text[t.span.end..]
            .trim_start_matches([' ', ':'])
            .starts_with('@')
}

/// The end of a token's span, taking in the final dot of an abbreviation (`U.S.`).
fn abbrev_end(text: &str, t: &Tok<'_>) -> usize {
    let end = t.span.end;
    if t.norm.contains('.') && text[end..].starts_with('.') {
        end + 1
    } else {
        end
    }
}

/// The surface without dots and spaces, for comparing acronyms (`U.S.` vs `U.S`).
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '.' && !c.is_whitespace())
        .collect()
}

/// True when only spaces, hyphens or a line break (not a blank line) separate two tokens.
/// True when Latin token `i` follows *in*, *at*, *near* or *into*: a place's position, not a person's
/// or a group's (a narrower test than [`locative_before`], whose *from*/*to* may introduce either).
fn after_latin_in(tokens: &[Tok<'_>], i: usize) -> bool {
    i > 0 && matches!(tokens[i - 1].norm, "in" | "at" | "near" | "into")
}

/// True when Arabic token `i` follows في "in" (or وفي "and in"): a place's position, never a person's.
fn after_arabic_in(tokens: &[Tok<'_>], i: usize) -> bool {
    tokens[i].script == Script::Arabic
        && i > 0
        && matches!(tokens[i - 1].norm, "في" | "فی" | "وفي" | "وفی")
}

/// Whether a clitic stem may be looked up at all: one of three letters or more, and not after the
/// preposition ك "like" unless the article follows it (باب "gate" is not ب + Ibb, كنعان not ك + Nan).
fn linkable_stem(s: &Stem) -> bool {
    s.norm.chars().count() >= 3 && (!s.proclitics.ends_with('ك') || s.norm.starts_with("ال"))
}

/// True for a nasab particle, Latin or Arabic (*bin*, *ibn*, *ould*, بن, ابن, بنت).
fn is_nasab(norm: &str) -> bool {
    NASAB.contains(&norm) || matches!(norm, "بن" | "ابن" | "بنت")
}

/// The word after token `last` when it is a capitalised Latin word (all-caps included) joined to it,
/// with no possessive between: a longer capitalised name may go on there (*the Green March*,
/// *Ahmad Shah Massoud*, *Sarah Ahmed*). Callers narrow it further.
fn capital_next<'t, 'a>(text: &str, tokens: &'t [Tok<'a>], last: usize) -> Option<&'t Tok<'a>> {
    let n = tokens.get(last + 1)?;
    (!tokens[last].possessive
        && n.script == Script::Latin
        && n.capitalized
        && !n.lower
        && joinable(text, &tokens[last], n))
    .then_some(n)
}

/// True when `next`, the word after a place's name `t`, is a capitalised [`NAME_HEADS`] word joined
/// to it: the place is then a word of a longer name (*Washington Institute*).
fn heads_longer_name(text: &str, t: &Tok<'_>, next: &Tok<'_>) -> bool {
    next.script == Script::Latin
        && (next.capitalized || next.all_caps)
        && !next.lower
        && !t.possessive
        && NAME_HEADS.contains(&next.norm)
        && joinable(text, t, next)
}

/// Head nouns of armed groups' and agencies' names (*Special Deterrence Force*, *Stabilisation Support
/// Apparatus*), for [`heads_group_name`].
const GROUP_HEADS: &[&str] = &[
    "apparatus",
    "army",
    "authority",
    "brigade",
    "brigades",
    "command",
    "force",
    "forces",
    "front",
    "movement",
    "organisation",
    "organization",
    "party",
    "service",
    "unit",
    "units",
];

/// True when the place name ending at token `last` opens a run of two to four more capitalised words
/// that ends in a name head (*Radaa Special Deterrence Force*, *Basra Oil Company*): the place is a
/// word of an organisation's name.
fn heads_group_name(text: &str, tokens: &[Tok<'_>], last: usize) -> bool {
    if tokens[last].possessive || tokens[last].script != Script::Latin {
        return false;
    }
    let mut k = last;
    while k < last + 4 {
        let Some(n) = tokens.get(k + 1) else {
            break;
        };
        let name_word = n.script == Script::Latin
            && n.capitalized
            && !n.lower
            && !n.article
            && joinable(text, &tokens[k], n)
            && !is_stopword(n.norm);
        if !name_word {
            break;
        }
        k += 1;
        if tokens[k].possessive {
            break;
        }
    }
    k >= last + 2 && (GROUP_HEADS.contains(&tokens[k].norm) || NAME_HEADS.contains(&tokens[k].norm))
}

/// True when `span` starts or ends at a zero-width non-joiner: inside one Persian word (گفت‌وگو
/// "conversation" holds no وگو, Vigo), which the tokeniser splits there.
fn mid_word(text: &str, span: &Range<usize>) -> bool {
    text[..span.start].ends_with('\u{200c}') || text[span.end..].starts_with('\u{200c}')
}

/// The ʿayn and hamza letters of scholarly transliteration (U+02BF, U+02BE).
const AYN_HAMZA: [char; 2] = ['\u{02BF}', '\u{02BE}'];

fn joinable(text: &str, a: &Tok<'_>, b: &Tok<'_>) -> bool {
    if a.possessive {
        // Only the names index may continue through a possessive (checked by the walker).
        let gap = &text[a.span.end.min(b.span.start)..b.span.start];
        return gap.trim_start_matches(['\'', '’', 's']).trim().is_empty();
    }
    let gap = &text[a.span.end.min(b.span.start)..b.span.start];
    if gap == " " {
        // The common case, answered as below.
        return true;
    }
    if a.norm.ends_with('s') && matches!(gap, "' " | "’ ") {
        // A plural possessive inside a name (*Kurdistan Workers' Party*).
        return true;
    }
    if matches!(gap, "' " | "’ ") && b.article && a.norm.ends_with(['a', 'e', 'i', 'o', 'u']) {
        // A final ʿayn or hamza written as an apostrophe before the next name's article (*Mohammed
        // Shia' al-Sudani*, شياع).
        return true;
    }
    let newlines = gap.matches('\n').count();
    // *al-ʿĀmirī*, *al-'Amiri*: the ʿayn or hamza opening the next word is part of that word.
    let gap = gap
        .strip_suffix(AYN_HAMZA)
        .or_else(|| gap.strip_suffix(['\'', '’']).filter(|g| g.ends_with('-')))
        .unwrap_or(gap);
    // "U.S. Embassy": the abbreviation's final dot falls between the tokens.
    let gap = if a.norm.contains('.') || (a.all_caps && a.norm.len() <= 3) {
        gap.strip_prefix('.').unwrap_or(gap)
    } else {
        gap
    };
    newlines <= 1
        && gap.chars().all(|c| {
            c.is_whitespace()
                || matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{200c}')
        })
}

/// For each token: is it on a title-case line (a headline: most of its longer words capitalised)?
fn headline_tokens(text: &str, tokens: &[Tok<'_>]) -> Vec<bool> {
    let mut out = vec![false; tokens.len()];
    let mut start = 0;
    for i in 0..=tokens.len() {
        let line_ends = i == tokens.len()
            || (i > 0
                && text[tokens[i - 1].span.end.min(tokens[i].span.start)..tokens[i].span.start]
                    .contains('\n'));
        if !line_ends {
            continue;
        }
        let words = tokens[start..i]
            .iter()
            .filter(|t| t.script == Script::Latin && t.norm.chars().nth(3).is_some());
        let (mut n, mut caps) = (0, 0);
        for t in words {
            n += 1;
            caps += usize::from(t.capitalized);
        }
        if n >= 3 && caps * 10 >= n * 7 {
            out[start..i].fill(true);
        }
        start = i;
    }
    out
}

/// For each token: does it open a sentence?
/// Least prior of an entity a lower-case word may link to in a lower-case text.
const LOWER_CASE_PRIOR: f32 = 0.5;

/// Marks the tokens of a lower-case text, or of a lower-case line of a text (a post written without
/// capitals among cased ones).
fn lower_case_lines(text: &str, tokens: &mut [Tok<'_>]) {
    let whole = lower_case_text(text, tokens);
    let mut start = 0;
    while start < tokens.len() {
        let mut end = start + 1;
        while end < tokens.len()
            && !text
                .get(tokens[end - 1].span.end.min(tokens[end].span.start)..tokens[end].span.start)
                .is_some_and(|gap| gap.contains('\n'))
        {
            end += 1;
        }
        let lower =
            whole || (end - start < tokens.len() && lower_case_text(text, &tokens[start..end]));
        for t in &mut tokens[start..end] {
            t.lower = lower;
        }
        start = end;
    }
}

/// True when a text's Latin words carry no capitals: at least three words of two letters or more, and
/// none (or, from fifty words on, at most one in fifty) capitalised. Ordinary prose capitalises every
/// sentence's first word, so it never qualifies.
fn lower_case_text(text: &str, tokens: &[Tok<'_>]) -> bool {
    // Hashtags and handles (#Iraq, @Reuters) keep their capitals in lower-case posts, and so do
    // acronyms (*US*, *PMF*, *PM*): they say nothing either way.
    let tagged = |t: &Tok<'_>| text[..t.span.start].ends_with(['#', '@']);
    let (mut n, mut caps) = (0usize, 0usize);
    for t in tokens {
        let letters = t.norm.chars().filter(|c| c.is_alphabetic()).count();
        if t.script == Script::Latin && letters >= 2 && !tagged(t) && !(t.all_caps && letters <= 4)
        {
            n += 1;
            caps += usize::from(t.capitalized);
            // More capitals than the rule allows for all the tokens: cased prose, known early.
            if caps * 50 > tokens.len().max(50) {
                return false;
            }
        }
    }
    n >= 3 && (caps == 0 || (n >= 50 && caps * 50 <= n))
}

fn sentence_starts(text: &str, tokens: &[Tok<'_>]) -> Vec<bool> {
    let mut out = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        if i == 0 {
            out.push(true);
            continue;
        }
        let prev = &tokens[i - 1];
        let gap = &text[prev.span.end.min(t.span.start)..t.span.start];
        let ends = gap != " "
            && gap.contains(['.', '!', '?', ':', '\n', '"', '“', '”', '(', '[', '|'])
            && !(gap.trim() == "." && prev.norm.chars().count() <= 2);
        out.push(ends);
    }
    out
}

/// Length in tokens of a title starting at token `i`, if any.
fn title_len(text: &str, tokens: &[Tok<'_>], i: usize) -> usize {
    static FIRST_WORDS: OnceLock<WordSet> = OnceLock::new();
    let first_words = FIRST_WORDS.get_or_init(|| {
        titles_set()
            .iter()
            .filter_map(|t| t.split_once(' ').map(|(a, _)| a.to_string()))
            .collect()
    });
    // An Arabic title may carry the conjunction (والأمير "and Prince").
    let conj_stems = tokens[i]
        .stems
        .iter()
        .filter(|s| matches!(s.proclitics.as_str(), "و" | "ف"))
        .map(|s| s.norm.as_str());
    for one in std::iter::once(tokens[i].norm).chain(conj_stems) {
        if first_words.contains(one)
            && i + 1 < tokens.len()
            && joinable(text, &tokens[i], &tokens[i + 1])
        {
            let two = format!("{} {}", one, tokens[i + 1].norm);
            if titles_set().contains(&two) {
                return 2;
            }
        }
        if titles_set().contains(one) {
            return 1;
        }
    }
    0
}

/// True when token `i` opens a title (*President*, *Sheikh*, *Prime Minister*): capitalised, except in a
/// text written without capitals (`lower_case`), or in Arabic script.
fn is_title(text: &str, tokens: &[Tok<'_>], i: usize, lower_case: bool) -> bool {
    let t = &tokens[i];
    (t.capitalized || t.script == Script::Arabic || (lower_case && t.script == Script::Latin))
        && title_len(text, tokens, i) > 0
}

/// For each token: is it (part of) a capitalised title?
fn title_tokens(text: &str, tokens: &[Tok<'_>]) -> Vec<bool> {
    let mut out = vec![false; tokens.len()];
    let mut i = 0;
    while i < tokens.len() {
        if is_title(text, tokens, i, tokens[i].lower) {
            let n = title_len(text, tokens, i);
            for flag in out.iter_mut().skip(i).take(n) {
                *flag = true;
            }
            i += n;
        } else {
            i += 1;
        }
    }
    out
}

/// For each token: does a title directly precede it?
fn titles_before(text: &str, tokens: &[Tok<'_>], titles: &[bool]) -> Vec<bool> {
    let mut out = vec![false; tokens.len()];
    for i in 1..tokens.len() {
        let gap = &text[tokens[i - 1].span.end.min(tokens[i].span.start)..tokens[i].span.start];
        let gap_ok = gap == " " || gap.trim().is_empty() || gap.trim() == ".";
        out[i] = !titles[i] && titles[i - 1] && gap_ok;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{Alias, Entity, GazetteerBuilder};

    #[test]
    fn faith_words_are_sorted() {
        assert!(FAITH_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn jaro_winkler_is_strsims() {
        // Pseudo-random words over small alphabets (many shared letters, transpositions), every
        // length up to past the fast path's 64 characters, ASCII and not.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let alphabets: [&[char]; 4] = [
            &['a', 'b'],
            &['a', 'b', 'c', 'd', 'e'],
            &['k', 'a', 'é', 'ظ'],
            &['ك', 'ا', 'ظ', 'م'],
        ];
        let mut word = |max: u64, abc: &[char]| -> String {
            let len = next(max);
            (0..len)
                .map(|_| abc[next(abc.len() as u64) as usize])
                .collect()
        };
        for round in 0..20_000u64 {
            let abc = alphabets[(round % 4) as usize];
            let max = if round % 10 == 0 { 70 } else { 12 };
            let (a, b) = (word(max, abc), word(max, abc));
            assert_eq!(
                jaro_winkler(&a, &b).to_bits(),
                strsim::jaro_winkler(&a, &b).to_bits(),
                "{a:?} {b:?}"
            );
        }
        for (a, b) in [
            ("", ""),
            ("", "a"),
            ("kadhimi", "kazimi"),
            ("martha", "marhta"),
        ] {
            assert_eq!(
                jaro_winkler(a, b).to_bits(),
                strsim::jaro_winkler(a, b).to_bits()
            );
        }
        // The prefilter rules out a word without ASCII against an ASCII one (no shared letter).
        let counts = ascii_letter_counts("kadhimi").unwrap();
        assert!(!may_be_jaro_close(&counts, 7, "الكاظمي"));
        assert_eq!(jaro_winkler("kadhimi", "الكاظمي"), 0.0);
        assert!(may_be_jaro_close(&counts, 7, "kādhimi"));
    }

    fn gz() -> Gazetteer<Vec<u8>> {
        let mut b = GazetteerBuilder::new();
        let mut k = Entity::new("per:kadhimi", "Mustafa al-Kadhimi", Kind::Per);
        k.aliases.push(Alias::with_lang("مصطفى الكاظمي", "ar"));
        k.prior = 0.8;
        b.add(k).unwrap();
        let mut iq = Entity::new("country:IQ", "Iraq", Kind::Loc);
        iq.aliases.push(Alias::with_lang("العراق", "ar"));
        iq.prior = 1.0;
        b.add(iq).unwrap();
        let mut e = Entity::new("loc:erbil", "Erbil", Kind::Loc);
        e.prior = 0.7;
        b.add(e).unwrap();
        b.add(Entity::new(
            "loc:eia",
            "Erbil International Airport",
            Kind::Loc,
        ))
        .unwrap();
        let mut pmf = Entity::new("org:pmf", "Popular Mobilization Forces", Kind::Org);
        pmf.aliases.push(Alias::weak("PMF"));
        pmf.prior = 0.7;
        b.add(pmf).unwrap();
        b.build().unwrap()
    }

    #[test]
    fn leftmost_longest_and_stems() {
        let g = gz();
        let l = Linker::new(&g);
        let text = "Planes left Erbil International Airport for بالعراق today.";
        let m = l.link(text);
        assert_eq!(m.len(), 2, "{m:?}");
        assert_eq!(m[0].id, "loc:eia");
        assert_eq!(m[1].id, "country:IQ");
        assert_eq!(&text[m[1].span.clone()], "العراق");
    }

    #[test]
    fn weak_alias_needs_caps() {
        let g = gz();
        let l = Linker::new(&g);
        assert_eq!(l.link("The PMF said").len(), 1);
        assert!(l.link("at 5 pmf or Pmf").is_empty());
    }

    #[test]
    fn coreference() {
        let g = gz();
        let l = Linker::new(&g);
        let m = l.link("Mustafa al-Kadhimi spoke. Later Kadhimi and al-Khadimi left.");
        let ids: Vec<&str> = m.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["per:kadhimi", "per:kadhimi", "per:kadhimi"], "{m:?}");
    }

    #[test]
    fn helpers() {
        let text = "He left. Then U.S. Embassy staff met Gen. Ali in Iraq";
        let (norm, scanned) = scan(text, &NormalizeOptions::default());
        let toks = Tok::all(&norm, scanned);
        let starts = sentence_starts(text, &toks);
        assert!(starts[0] && !starts[1] && starts[2]);
        let us = toks.iter().position(|t| t.norm == "u.s").unwrap();
        assert!(joinable(text, &toks[us], &toks[us + 1]));
        assert_eq!(
            &text[toks[us].span.start..abbrev_end(text, &toks[us])],
            "U.S."
        );
        let ali = toks.iter().position(|t| t.norm == "ali").unwrap();
        assert!(titles_before(text, &toks, &title_tokens(text, &toks))[ali]);
        assert_eq!(strip_articles("al-kadhimi"), "kadhimi");
        assert!(arabic_looking_word("khazali") && !arabic_looking_word("images"));
    }

    #[test]
    fn warm_linker_answers_as_a_fresh_one() {
        let g = gz();
        let texts = [
            "Mustafa al-Kadhimi spoke. Later Kadhimi and al-Khadimi left.",
            "Planes left Erbil International Airport for بالعراق today.",
            "The PMF said Erbil and Iraq, then Kadhimi.",
            "Kadhimi",
        ];
        // Caches kept between documents (and a memo too small to keep) change nothing.
        let warm = Linker::new(&g);
        let tiny = LinkerBuilder::new().cache_capacity(2).build(&g);
        for _ in 0..2 {
            for t in texts {
                let fresh = LinkerBuilder::new().cache_capacity(0).build(&g).link(t);
                assert_eq!(warm.link(t), fresh, "{t}");
                assert_eq!(tiny.link(t), fresh, "{t}");
            }
        }
    }

    #[test]
    fn jaro_prefilter_never_drops_a_close_pair() {
        // Words over a small alphabet, and each with one letter changed, swapped or dropped.
        let mut seed = 12345u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let letters = b"abdhikmz";
        let mut words: Vec<String> = Vec::new();
        for _ in 0..600 {
            let len = 3 + next(8) as usize;
            let w: Vec<u8> = (0..len).map(|_| letters[next(8) as usize]).collect();
            let mut v = w.clone();
            let i = next(len as u64) as usize;
            match next(3) {
                0 => v[i] = letters[next(8) as usize],
                1 => v.swap(i, (i + 1) % len),
                _ => {
                    v.remove(i);
                }
            }
            words.push(String::from_utf8(w).unwrap());
            words.push(String::from_utf8(v).unwrap());
        }
        let mut close = 0;
        for a in &words {
            let counts = ascii_letter_counts(a).unwrap();
            for b in &words {
                if strsim::jaro_winkler(b, a) >= 0.9 {
                    close += 1;
                    assert!(may_be_jaro_close(&counts, a.len(), b), "{a} {b}");
                }
            }
        }
        assert!(close > words.len(), "{close}");
    }

    #[test]
    fn demonym_detection() {
        let g = gz();
        let l = Linker::new(&g);
        assert!(l.is_demonym("iraqi"));
        assert!(!l.is_demonym("kadhimi"));
    }
}
