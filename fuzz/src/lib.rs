//! The fuzz checks, shared by the libFuzzer targets (`fuzz_targets/*.rs`, run with `cargo fuzz`) and the
//! stable-toolchain driver (`src/bin/replay.rs`). Each check takes arbitrary bytes, must never panic,
//! and asserts the invariants the library documents (spans are char boundaries of the input, alignment
//! is in bounds, Buckwalter round-trips, scores are finite and in range).

use std::sync::OnceLock;

use nisba::gazetteer::{Alias, Entity, Gazetteer, GazetteerBuilder, Kind};
use nisba::{LinkerBuilder, NormalizeOptions, Scheme, VariantOptions};

/// The fuzz targets, by name (the names of `fuzz_targets/*.rs` and of `fuzz/corpus/<target>/`).
pub const TARGETS: [&str; 6] = [
    "text",
    "translit",
    "variants",
    "compare",
    "gazetteer",
    "link",
];

/// Runs the check named `target` on `data`. Unknown names panic (a driver bug, not an input bug).
pub fn run(target: &str, data: &[u8]) {
    match target {
        "text" => text(data),
        "translit" => translit(data),
        "variants" => variants(data),
        "compare" => compare(data),
        "gazetteer" => gazetteer(data),
        "link" => link(data),
        other => panic!("unknown fuzz target {other}"),
    }
}

/// Inputs are UTF-8 text: invalid bytes are replaced (what a caller reading untrusted files does).
fn text_of(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// normalize + tokenize: alignment and token spans are in bounds and on char boundaries; idempotence.
pub fn text(data: &[u8]) {
    let s = text_of(data);
    let n = nisba::normalize(&s);
    assert_eq!(nisba::normalize(&n), n, "normalize is idempotent");
    {
        let (normalized, tokens) = nisba::tokenize_with(&s, &NormalizeOptions::default());
        for t in &tokens {
            assert!(
                t.norm_span.start <= t.norm_span.end
                    && t.norm_span.end <= normalized.as_str().len()
            );
        }
        let mut last = 0;
        for t in &tokens {
            assert!(t.span.start <= t.span.end && t.span.end <= s.len());
            assert!(s.is_char_boundary(t.span.start) && s.is_char_boundary(t.span.end));
            assert!(t.span.start >= last, "tokens in order");
            last = t.span.start;
            for st in &t.stems {
                assert!(st.span.start <= st.span.end && st.span.end <= s.len());
                assert!(s.is_char_boundary(st.span.start) && s.is_char_boundary(st.span.end));
            }
        }
    }
    let _ = nisba::tokenize(&s);
    let _ = nisba::parse_name(&s);
    let _ = nisba::strict_key(&s);
    let _ = nisba::loose_key(&s);
    let _ = nisba::part_keys(&s);
}

/// Every scheme; Buckwalter both ways (decode of arbitrary text, and encode∘decode is the identity on
/// whatever decodes).
pub fn translit(data: &[u8]) {
    let s = text_of(data);
    for scheme in Scheme::ALL {
        let t = nisba::transliterate(&s, scheme);
        let _ = t.text.len();
    }
    if let Ok(arabic) = nisba::buckwalter_decode(&s) {
        let back = nisba::transliterate(&arabic, Scheme::Buckwalter).text;
        assert_eq!(
            nisba::buckwalter_decode(&back).ok().as_deref(),
            Some(arabic.as_str()),
            "Buckwalter decode∘encode∘decode"
        );
    }
    let limit = data.first().map_or(5, |b| usize::from(*b % 12));
    for sp in nisba::to_arabic(&s, limit) {
        assert!(sp.score.is_finite(), "{sp:?}");
    }
}

/// variants with every region and small/large limits; scores in (0, 1].
pub fn variants(data: &[u8]) {
    let (head, rest) = data.split_first().unwrap_or((&0, &[]));
    let s = text_of(rest);
    let pick = usize::from(*head) % (nisba::Region::ALL.len() + 1);
    let region = nisba::Region::ALL.get(pick).copied();
    let limit = usize::from(*head >> 3) * 4;
    let out = nisba::variants(&s, &VariantOptions { limit, region });
    assert!(out.len() <= limit.max(1) || limit == 0);
    for v in &out {
        assert!(
            v.score.is_finite() && v.score >= 0.0 && v.score <= 1.0,
            "{v:?}"
        );
    }
}

/// compare on two names split at the first NUL (or in the middle); score finite, in [0, 1].
pub fn compare(data: &[u8]) {
    let s = text_of(data);
    let (a, b) = match s.find('\0') {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => {
            let mut mid = s.len() / 2;
            while !s.is_char_boundary(mid) {
                mid += 1;
            }
            (&s[..mid], &s[mid..])
        }
    };
    let c = nisba::compare(a, b);
    assert!(
        c.score.is_finite() && (0.0..=1.0).contains(&c.score),
        "{c:?}"
    );
    let _ = nisba::resolve::features(a, b);
}

/// Gazetteer::from_bytes + verify + every reader on arbitrary bytes: errors, never panics.
pub fn gazetteer(data: &[u8]) {
    let Ok(gz) = Gazetteer::from_bytes(data) else {
        return;
    };
    let verified = gz.verify().is_ok();
    let _ = gz.check_indexes();
    let _ = gz.metadata().total_bytes();
    if !verified {
        // Unverified files are only promised not to crash on open/verify; readers over a file that
        // failed verification are exercised anyway, through the fallible accessor.
        for i in 0..gz.len().min(64) as u32 {
            let _ = gz.try_entity(i);
        }
        return;
    }
    for e in gz.iter().take(64) {
        let _ = (
            e.id(),
            e.name(),
            e.kind(),
            e.aliases().count(),
            e.to_entity(),
        );
    }
    for q in ["Erbil", "Kadhimi", "al-Kadhimi", "الكاظمي", "PMF", "x", ""] {
        let _ = gz.lookup(q);
        let _ = gz.candidates(q, 1);
        let _ = gz.candidates(q, 2);
        let _ = gz.get(q);
    }
}

/// A small gazetteer built once: the test fixture's entities plus a few with hostile names.
pub fn small_gazetteer() -> &'static Gazetteer<Vec<u8>> {
    static GZ: OnceLock<Gazetteer<Vec<u8>>> = OnceLock::new();
    GZ.get_or_init(|| {
        let mut b = GazetteerBuilder::new();
        b.build_time(1_700_000_000);
        for line in include_str!("../../data/test/gazetteer/entities.jsonl").lines() {
            if !line.trim().is_empty() {
                b.add(Entity::from_json(line).expect("fixture entity"))
                    .unwrap();
            }
        }
        let mut e = Entity::new("fuzz:per:1", "Qais al-Khazali", Kind::Per);
        e.aliases = vec![Alias::new("قيس الخزعلي"), Alias::new("Qays al-Khaz'ali")];
        b.add(e).unwrap();
        let mut e = Entity::new("fuzz:loc:1", "Abu Ghraib", Kind::Loc);
        e.aliases = vec![Alias::new("أبو غريب"), Alias::weak("AG")];
        b.add(e).unwrap();
        b.build().expect("small gazetteer builds")
    })
}

/// Linker::link on arbitrary text, against the small gazetteer (and, for odd first bytes, the embedded
/// default one): spans are char boundaries, in order, non-overlapping, and slice to the mention text.
pub fn link(data: &[u8]) {
    let s = text_of(data);
    let use_default = data.first().is_some_and(|b| b & 1 == 1);
    let mentions = if use_default {
        let gz = nisba::default::gazetteer();
        LinkerBuilder::new()
            .include_unlinked(true)
            .build(gz)
            .link(&s)
    } else {
        let gz = small_gazetteer();
        LinkerBuilder::new()
            .fuzzy(true)
            .include_unlinked(true)
            .build(gz)
            .link(&s)
    };
    let mut end = 0;
    for m in &mentions {
        assert!(m.span.start >= end, "mentions overlap or are out of order");
        assert!(s.is_char_boundary(m.span.start) && s.is_char_boundary(m.span.end));
        assert_eq!(&s[m.span.clone()], m.text);
        assert!(m.score.is_finite() && (0.0..=1.0).contains(&m.score));
        end = m.span.end;
    }
}

/// Builds every lazily initialised table (lexicon, rules, calibration, both gazetteers) before the
/// first input, so libFuzzer's per-input timeout measures the input, not the one-off set-up (which,
/// under AddressSanitizer on a busy machine, took longer than the 10 s default).
pub fn warm_up() {
    let _ = nisba::transliterate("مصطفى الكاظمي", Scheme::AlaLc);
    let _ = nisba::to_arabic("Kadhimi", 3);
    let _ = nisba::variants("الكاظمي", &VariantOptions::default());
    let _ = nisba::compare("Qais al-Khazali", "قيس الخزعلي");
    let _ = nisba::parse_name("Abu Mahdi al-Muhandis");
    let _ = small_gazetteer();
    let _ = LinkerBuilder::new()
        .build(nisba::default::gazetteer())
        .link("Erbil");
}
