//! Entity linking over the default gazetteer: the table in `data/test/link.tsv` plus targeted cases
//! and a property test on spans.

mod common;

use nisba::gazetteer::{Alias, Entity, GazetteerBuilder, Kind};
use nisba::link::{Linker, LinkerBuilder, Mention};
use nisba::Gazetteer;
use proptest::prelude::*;

fn linker() -> Linker<'static, &'static [u8]> {
    Linker::new(Gazetteer::default_embedded())
}

fn check_spans(text: &str, mentions: &[Mention]) {
    let mut last = 0;
    for m in mentions {
        assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
        assert_eq!(&text[m.span.clone()], m.text, "span of {m:?}");
        assert!(
            m.span.start >= last,
            "mentions overlap or are out of order: {mentions:?}"
        );
        last = m.span.end;
    }
}

#[test]
fn table() {
    let l = linker();
    let rows = common::read_tsv("link.tsv");
    assert!(rows.len() >= 15);
    for row in rows {
        let text = row.cell(0);
        let got = l.link(text);
        check_spans(text, &got);
        let got: Vec<String> = got.iter().map(|m| format!("{}|{}", m.text, m.id)).collect();
        let want: Vec<&str> = row
            .cell(1)
            .split(" ;; ")
            .filter(|s| !s.is_empty())
            .collect();
        assert_eq!(got, want, "line {}: {text}", row.line);
    }
}

#[test]
fn leftmost_longest_beats_shorter_name() {
    let m = linker().link("Flights resumed at Erbil International Airport.");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].text, "Erbil International Airport");
}

#[test]
fn arabic_clitics_give_stem_spans() {
    let text = "وصل الوفد بالعراق وللكاظمي";
    let m = linker().link(text);
    check_spans(text, &m);
    assert_eq!(m[0].text, "العراق");
    assert_eq!(m[0].id, "country:IQ");
    assert!(m[0].explanation.iter().any(|e| e.contains("proclitics")));
}

#[test]
fn possessive_is_left_out_and_titles_too() {
    let text = "Prime Minister Mustafa al-Kadhimi's office and Kadhimi's guards";
    let m = linker().link(text);
    check_spans(text, &m);
    assert_eq!(m[0].text, "Mustafa al-Kadhimi");
    assert_eq!(m[1].text, "Kadhimi");
    assert_eq!(m[1].id, m[0].id);
    assert!(m[0].explanation.iter().any(|e| e.contains("title")));
}

#[test]
fn acronyms_only_in_capitals() {
    let l = linker();
    assert_eq!(l.link("The PMF said so.").len(), 1);
    // In a text with capitals, a lower-case or title-case word is no acronym.
    assert!(l.link("The pmf said so. The KDP agreed.").len() == 1);
    assert!(l.link("The Pmf said so.").is_empty());
    // A post written all in lower case: a three-consonant acronym of a prominent group is one, a
    // word with a vowel (*ina*, *spa*, *who*) is not.
    let post = l.link("the pmf said so");
    assert_eq!(post.len(), 1, "{post:?}");
    assert_eq!(post[0].id, "nisba:org:popular-mobilization-forces");
    assert!(l.link("the ina said so and the spa was closed").is_empty());
}

#[test]
fn lowercase_function_words_never_link() {
    let l = linker();
    let text = "it was in may and he said that the man is from the west of the city";
    assert!(l.link(text).is_empty(), "{:?}", l.link(text));
}

#[test]
fn coreference_prefers_entity_already_linked() {
    let text = "Mustafa al-Kadhimi spoke. Then al-Kadhimi and Al-Khadimi left.";
    let m = linker().link(text);
    assert_eq!(m.len(), 3, "{m:?}");
    assert!(m.iter().all(|x| x.id == m[0].id));
    assert!(m[2]
        .explanation
        .iter()
        .any(|e| e.contains("linked earlier")));
}

#[test]
fn builder_filters_kinds_and_cutoff() {
    let gz = Gazetteer::default_embedded();
    let text = "Mustafa al-Kadhimi visited Baghdad.";
    let only_loc = LinkerBuilder::new().kinds(&[Kind::Loc]).build(gz);
    let m = only_loc.link(text);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].kind, Kind::Loc);
    let strict = LinkerBuilder::new().score_cutoff(1.01).build(gz);
    assert!(strict.link(text).is_empty());
}

#[test]
fn unlinked_arabic_origin_names_are_reported() {
    let mut b = GazetteerBuilder::new();
    let mut e = Entity::new("loc:x", "Erbil", Kind::Loc);
    e.aliases.push(Alias::with_lang("أربيل", "ar"));
    b.add(e).unwrap();
    let gz = b.build().unwrap();
    let l = LinkerBuilder::new().include_unlinked(true).build(&gz);
    let text = "Then Khalid Abdulqadir arrived in Erbil.";
    let m = l.link(text);
    check_spans(text, &m);
    assert_eq!(m.len(), 2, "{m:?}");
    assert_eq!(m[0].text, "Khalid Abdulqadir");
    assert!(m[0].id.is_empty());
    assert_eq!(m[1].id, "loc:x");
    assert!(Linker::new(&gz).link(text).len() == 1);
    // Plain Arabic prose is not reported as unlinked names.
    assert!(l.link("قال الوفد في بيان رسمي").is_empty());
    // An Arabic-script name after a title is, with its `simple` romanisation as the suggestion.
    let text = "وصل الشيخ خالد عبدالقادر إلى أربيل";
    let m = l.link(text);
    check_spans(text, &m);
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(m[0].text, "خالد عبدالقادر");
    assert!(m[0].id.is_empty());
    assert!(
        m[0].name.is_ascii() && m[0].name.starts_with("Khalid"),
        "{m:?}"
    );
}

#[test]
fn batch_matches_single_and_is_send_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Linker<'static, &'static [u8]>>();
    let l = linker();
    let texts = ["Kadhimi in Baghdad.", "", "Tehran and Erbil"];
    let batch = l.link_batch(&texts);
    for (t, m) in texts.iter().zip(batch) {
        assert_eq!(m, l.link(t));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn spans_are_valid_slices(words in proptest::collection::vec(
        prop_oneof![
            Just("Kadhimi".to_string()), Just("al-".to_string()), Just("بالعراق".to_string()),
            Just("Erbil".to_string()), Just("’s".to_string()), Just("U.S.".to_string()),
            Just("\u{0651}".to_string()), Just("É".to_string()), Just("PMF".to_string()),
            "[a-zA-Z\u{0600}-\u{06ff} .,'-]{0,8}",
        ], 0..12)) {
        let text = words.join(" ");
        let m = linker().link(&text);
        check_spans(&text, &m);
    }
}

#[test]
fn arabic_function_words_never_link() {
    let l = linker();
    let text = "قال إن الوفد وصل إلى هناك من أجل هذا بعد أن كان";
    let m = l.link(text);
    assert!(m.is_empty(), "{m:?}");
}

#[test]
fn demonyms_and_generic_capitalised_words_do_not_link() {
    let l = linker();
    for text in [
        "Iraqi and Iranian officials met American diplomats.",
        "Western diplomats said the Region was calm.",
        "The SUV was parked near the Garage.",
    ] {
        let m = l.link(text);
        assert!(m.is_empty(), "{text}: {m:?}");
    }
}

#[test]
fn abbreviations_keep_their_final_dot() {
    let text = "Talks with the U.S. ended.";
    let m = linker().link(text);
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(m[0].text, "U.S.");
    assert_eq!(m[0].id, "country:US");
}

#[test]
fn candidates_and_explanations_are_filled() {
    let m = linker().link("Kadhimi met reporters in Najaf.");
    assert!(!m.is_empty());
    for x in &m {
        assert!(!x.explanation.is_empty());
        assert_eq!(x.candidates[0].0, x.id);
        assert!((0.0..=1.0).contains(&x.score));
    }
}

#[test]
fn variant_cache_across_documents_changes_nothing() {
    let gz = Gazetteer::default_embedded();
    let mut texts: Vec<String> = common::read_tsv("link.tsv")
        .iter()
        .map(|r| r.cell(0).to_string())
        .collect();
    // Own sentences where one surface recurs across documents in different contexts.
    texts.extend(
        [
            "Khadimi spoke first. Later the Hashed replied.",
            "Al Sadr and al-Sadr, then Kadhimi's aides.",
            "In Baghdad, Khadimi met Qays al-Khaz'ali and the Hashed.",
        ]
        .map(String::from),
    );
    for fuzzy in [true, false] {
        let uncached = LinkerBuilder::new()
            .fuzzy(fuzzy)
            .cache_capacity(0)
            .build(gz);
        let cached = LinkerBuilder::new().fuzzy(fuzzy).build(gz);
        let tiny = LinkerBuilder::new()
            .fuzzy(fuzzy)
            .cache_capacity(2)
            .build(gz);
        for round in 0..2 {
            for t in &texts {
                let want = uncached.link(t);
                assert_eq!(cached.link(t), want, "round {round}, fuzzy {fuzzy}: {t}");
                assert_eq!(tiny.link(t), want, "round {round}, fuzzy {fuzzy}: {t}");
            }
        }
    }
}
