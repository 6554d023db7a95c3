//! Table-driven tests over the shared fixtures in data/test/ (also read by pytest).

use nisba::{parse_name, ParsedName};

mod common;

/// Rows of a TSV fixture (`data/…` path): comment and blank lines skipped, escapes decoded.
fn rows(path: &str) -> Vec<Vec<String>> {
    let name = path
        .strip_prefix("data/test/")
        .expect("fixture under data/test/");
    common::read_tsv(name)
        .into_iter()
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
        .map(|r| r.cells)
        .collect()
}

/// The fixture form of a parsed name: `role(particle)+:norm` items joined by ` | ` (`+` marks the
/// article, `(particle)` a kunya/nasab particle).
fn render(p: &ParsedName) -> String {
    p.parts
        .iter()
        .map(|x| {
            let mut s = x.role.as_str().to_string();
            if let Some(pt) = &x.particle {
                s.push_str(&format!("({pt})"));
            }
            if x.article {
                s.push('+');
            }
            format!("{s}:{}", x.norm)
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn names_fixture() {
    let rows = rows("data/test/names.tsv");
    assert!(rows.len() >= 40, "names.tsv too small");
    let mut bad = Vec::new();
    for r in &rows {
        let got = render(&parse_name(&r[0]));
        if got != r[1] {
            bad.push(format!("{}\n   want {}\n   got  {}", r[0], r[1], got));
        }
        for part in parse_name(&r[0]).parts {
            assert_eq!(&r[0][part.span.clone()], part.text);
        }
    }
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

fn split_names(cell: &str) -> Vec<&str> {
    cell.split(" | ").map(str::trim).collect()
}

#[test]
fn keys_fixture() {
    use nisba::key::{loose_key, strict_key};
    let rows = rows("data/test/keys.tsv");
    let groups = rows.iter().filter(|r| r[0] == "loose").count();
    assert!(
        groups >= 41,
        "keys.tsv needs the 11 issue groups and 30 more"
    );
    let mut bad = Vec::new();
    for r in &rows {
        let names = split_names(&r[1]);
        let f: fn(&str) -> String = match r[0].as_str() {
            "loose" | "not-loose" => loose_key,
            "strict" | "not-strict" => strict_key,
            other => panic!("unknown kind {other}"),
        };
        let keys: Vec<String> = names.iter().map(|n| f(n)).collect();
        let same = keys.iter().all(|k| *k == keys[0]);
        let want_same = !r[0].starts_with("not-");
        if same != want_same {
            let shown: Vec<String> = names
                .iter()
                .zip(&keys)
                .map(|(n, k)| format!("{n}={k}"))
                .collect();
            bad.push(format!("{}: {}", r[0], shown.join(", ")));
        }
    }
    assert!(
        bad.is_empty(),
        "{} key rows fail:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn part_keys_drop_titles() {
    let keys = nisba::key::part_keys("Sheikh Qais al-Khazali");
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[1].1, nisba::key::loose_key("الخزعلي"));
}

#[test]
fn translit_fixture() {
    use nisba::{to_arabic, transliterate, Scheme};
    let rows = rows("data/test/translit.tsv");
    assert!(rows.len() >= 200, "translit.tsv needs at least 200 rows");
    let mut bad = Vec::new();
    for r in &rows {
        let got = if r[1] == "to-arabic" {
            let best = to_arabic(&r[0], 5)
                .first()
                .map(|s| s.text.clone())
                .unwrap_or_default();
            // The one-best path (no beam over the words) agrees with the beam's first.
            let one = to_arabic(&r[0], 1);
            assert_eq!(one.len(), usize::from(!best.is_empty()), "{}", r[0]);
            assert_eq!(
                one.first().map(|s| s.text.as_str()),
                Some(best.as_str()).filter(|b| !b.is_empty()),
                "{}",
                r[0]
            );
            best
        } else {
            let scheme: Scheme = r[1].parse().expect("scheme");
            transliterate(&r[0], scheme).text
        };
        if got != r[2] {
            bad.push(format!("{} [{}]: want {} got {}", r[0], r[1], r[2], got));
        }
    }
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn translit_sources_and_errors() {
    use nisba::{transliterate, Scheme, Source};
    assert_eq!(
        transliterate("محمد", Scheme::Simple).source,
        Source::Lexicon
    );
    assert_eq!(transliterate("", Scheme::Simple).text, "");
    assert!("foo".parse::<Scheme>().is_err());
    assert!(nisba::buckwalter_decode("مرحبا").is_err());
    assert!(nisba::to_arabic("", 5).is_empty());
    assert!(nisba::to_arabic("Kadhimi", 0).is_empty());
    // Bounded work on a 1 MB name.
    let big = "محمد ".repeat(200_000);
    let t = std::time::Instant::now();
    let _ = transliterate(&big, Scheme::AlaLc);
    let _ = nisba::to_arabic(&"Kadhimi ".repeat(125_000), 5);
    assert!(t.elapsed().as_secs() < 20);
}

mod buckwalter_roundtrip {
    use proptest::prelude::*;

    fn arabic_char() -> impl Strategy<Value = char> {
        prop_oneof![
            (0x0621u32..=0x063A).prop_map(|c| char::from_u32(c).unwrap()),
            (0x0640u32..=0x0652).prop_map(|c| char::from_u32(c).unwrap()),
            Just('\u{0670}'),
            Just('\u{0671}'),
            Just('پ'),
            Just('چ'),
            Just('ژ'),
            Just('گ'),
            Just('ڤ'),
            Just('ک'),
            Just('ی'),
            Just(' '),
        ]
    }

    proptest! {
        #[test]
        fn lossless(s in proptest::collection::vec(arabic_char(), 0..40)) {
            let text: String = s.into_iter().filter(|c| !('\u{063B}'..='\u{063F}').contains(c)).collect();
            let bw = nisba::transliterate(&text, nisba::Scheme::Buckwalter).text;
            prop_assert!(bw.is_ascii());
            prop_assert_eq!(nisba::buckwalter_decode(&bw).unwrap(), text);
        }
    }
}

#[test]
fn variants_fixture() {
    use nisba::{variants, Region, VariantOptions};
    let rows = rows("data/test/variants.tsv");
    assert!(rows.len() >= 30);
    let mut bad = Vec::new();
    for r in &rows {
        let region = (r[1] != "-").then(|| r[1].parse::<Region>().expect("region"));
        let opts = VariantOptions { limit: 50, region };
        let vs = variants(&r[0], &opts);
        let max_rank: usize = r[4].parse().expect("max_rank");
        let pos = vs.iter().position(|v| v.text.eq_ignore_ascii_case(&r[2]));
        let ok = match (max_rank, pos) {
            (0, p) => p.is_none(),
            (m, Some(p)) => p < m && (r[3] == "-" || vs[p].rules.iter().any(|x| *x == r[3])),
            (_, None) => false,
        };
        if !ok {
            let rules = pos.map(|p| vs[p].rules.join("; ")).unwrap_or_default();
            bad.push(format!(
                "{} [{}] {}: rank {:?} (max {}), rules {}",
                r[0], r[1], r[2], pos, max_rank, rules
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} variant rows fail:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn variants_ranked_and_bounded() {
    use nisba::{variants, VariantOptions};
    let vs = variants("الكاظمي", &VariantOptions::default());
    assert!(vs.len() <= 50);
    assert!(vs.windows(2).all(|w| w[0].score >= w[1].score));
    // Attested spellings rank above generated ones.
    let first_generated = vs
        .iter()
        .position(|v| !v.rules.contains(&"attested (lexicon)"));
    let last_attested = vs
        .iter()
        .rposition(|v| v.rules.contains(&"attested (lexicon)"));
    assert!(first_generated.unwrap() > last_attested.unwrap());
    let t = std::time::Instant::now();
    let big = "الكاظمي ".repeat(130_000);
    assert!(variants(&big, &VariantOptions::default()).len() <= 50);
    assert!(variants(&"Kadhimi ".repeat(125_000), &VariantOptions::default()).len() <= 50);
    // One huge "word" in each script.
    for word in ["كاظم".repeat(125_000), "Kadhimi".repeat(150_000)] {
        assert!(variants(&word, &VariantOptions::default()).len() <= 50);
        assert!(nisba::to_arabic(&word, 5).len() <= 5);
        let _ = nisba::parse_name(&word);
        let _ = nisba::loose_key(&word);
    }
    assert!(t.elapsed().as_secs() < 30);
    assert!("nowhere".parse::<nisba::Region>().is_err());
}
