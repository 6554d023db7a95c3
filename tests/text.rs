//! Stage 1 over the shared fixtures `data/test/normalize.tsv` and `data/test/tokenize.tsv`, plus
//! property tests on spans.

mod common;

use common::read_tsv;
use nisba::{normalize, normalize_with, tokenize, NormalizeOptions, Script};
use proptest::prelude::*;

#[test]
fn normalize_table() {
    let rows = read_tsv("normalize.tsv");
    assert!(rows.len() >= 80, "only {} rows", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let (input, want) = (row.cell(0), row.cell(1));
        let got = normalize(input);
        if got != want {
            failures.push(format!(
                "line {}: {input:?} → {got:?}, want {want:?}",
                row.line
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn split_list(cell: &str) -> Vec<&str> {
    if cell.trim().is_empty() {
        return Vec::new();
    }
    cell.split(" | ").collect()
}

#[test]
fn tokenize_table() {
    let rows = read_tsv("tokenize.tsv");
    assert!(rows.len() >= 40, "only {} rows", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let input = row.cell(0);
        let tokens = tokenize(input);
        let surfaces: Vec<&str> = tokens.iter().map(|t| t.surface(input)).collect();
        let norms: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
        if surfaces != split_list(row.cell(1)) {
            failures.push(format!("line {}: surfaces {surfaces:?}", row.line));
        }
        if norms != split_list(row.cell(2)) {
            failures.push(format!("line {}: norms {norms:?}", row.line));
        }
        for check in row.cell(3).split_whitespace() {
            let parts: Vec<&str> = check.splitn(3, ':').collect();
            let t = parts
                .get(1)
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| tokens.get(i));
            let Some(t) = t else {
                failures.push(format!("line {}: {check}: no such token", row.line));
                continue;
            };
            let ok = match parts[0] {
                "article" => t.article,
                "possessive" => t.possessive,
                "cap" => t.capitalized,
                "caps" => t.all_caps,
                "script" => t.script.as_str() == parts[2],
                "stem" => t.stems.iter().any(|s| s.norm == parts[2]),
                "nostems" => t.stems.is_empty(),
                other => panic!("line {}: unknown check {other}", row.line),
            };
            if !ok {
                failures.push(format!("line {}: {check} failed on {t:?}", row.line));
            }
        }
        // Unflagged tokens must not claim to be articles.
        for (i, t) in tokens.iter().enumerate() {
            if t.article && !row.cell(3).contains(&format!("article:{i}")) {
                failures.push(format!(
                    "line {}: token {i} unexpectedly an article",
                    row.line
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn stems_point_into_the_original() {
    let text = "قال \u{200F}وللكاظمي\u{200F} إن بالعِرَاق";
    for t in tokenize(text) {
        assert_eq!(t.script, Script::Arabic);
        for s in &t.stems {
            assert!(s.span.start >= t.span.start && s.span.end == t.span.end);
            let surface = &text[s.span.clone()];
            assert!(!surface.is_empty());
        }
    }
}

#[test]
fn large_and_odd_inputs() {
    let big = "Mustafa al-Kadhimi مصطفى الكاظمي 😀 ".repeat(300_000); // ~10 MB
    let tokens = tokenize(&big);
    assert_eq!(tokens.len(), 300_000 * 5);
    let nul = "a\0b";
    assert_eq!(normalize(nul), "a\0b");
    assert_eq!(tokenize(nul).len(), 2);
    assert!(tokenize("").is_empty());
}

fn arbitrary_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Kadhimi", "al-", "ʿAbd", "’s", " ", "\u{200F}", "\u{064E}", "\u{0301}", "e", "إِ", "ة",
        "ى", "و", "لل", "ال", "😀", "👍🏽", "٣", "\u{00AD}", "\u{FEFF}", "ﷲ", "ﻻ", "İ", "ß", "\t",
        "-", "'", "\u{0640}", "\u{0654}", "\u{200D}", "東",
    ]);
    prop_oneof![
        ".*",
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn token_spans_are_char_boundaries_of_the_original(text in arbitrary_text()) {
        for t in tokenize(&text) {
            prop_assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
            prop_assert!(t.span.start < t.span.end);
            prop_assert_eq!(t.surface(&text), &text[t.span.clone()]);
            for s in &t.stems {
                prop_assert!(text.is_char_boundary(s.span.start) && s.span.end <= text.len());
            }
        }
    }

    #[test]
    fn alignment_is_monotonic_and_in_bounds(text in arbitrary_text()) {
        let n = normalize_with(&text, &NormalizeOptions::default());
        let mut last = 0;
        for (_, _, r) in n.chars() {
            prop_assert!(r.start >= last && r.end <= text.len() && r.start < r.end);
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            last = r.start;
        }
    }

    #[test]
    fn normalize_is_idempotent(text in arbitrary_text()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once.clone());
    }
}
