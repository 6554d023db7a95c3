//! Threads sharing one gazetteer and one linker get exactly the serial results: the reader, the linker
//! and the lazily built tables behind them are `Send + Sync` and free of shared mutable state.

use std::sync::Arc;

use nisba::gazetteer::{Alias, Entity, Gazetteer, GazetteerBuilder, Kind};
use nisba::{Linker, ResolveOptions, Scheme, VariantOptions};

const THREADS: usize = 4;

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Gazetteer<Vec<u8>>>();
    check::<Gazetteer<&'static [u8]>>();
    check::<Gazetteer>(); // the memory-mapped default
    check::<Linker<'static, Vec<u8>>>();
    check::<nisba::Mention>();
    check::<nisba::Candidate>();
    check::<nisba::Comparison>();
    check::<nisba::Variant>();
    check::<nisba::Token>();
    check::<nisba::Normalized>();
    check::<nisba::Transliteration>();
    check::<nisba::Error>();
    check::<GazetteerBuilder>();
    check::<nisba::LinkerBuilder>();
}

fn documents() -> Vec<String> {
    let people = [
        "Mustafa al-Kadhimi",
        "Qais al-Khazali",
        "Kadhimi",
        "الكاظمي",
        "Mostafa Kazemi",
    ];
    let places = [
        "Erbil",
        "Arbil",
        "أربيل",
        "Basra",
        "البصرة",
        "Baghdad",
        "Mosul",
        "Najaf",
    ];
    let orgs = [
        "PMF",
        "Popular Mobilization Forces",
        "الحشد الشعبي",
        "Hashd al-Shaabi",
    ];
    (0..48)
        .map(|i| {
            format!(
                "{} met officials in {} on day {i}; {} said {} would act. وصل {} إلى {}.",
                people[i % people.len()],
                places[i % places.len()],
                orgs[i % orgs.len()],
                people[(i / 3) % people.len()],
                people[(i / 7) % people.len()],
                places[(i / 5) % places.len()],
            )
        })
        .collect()
}

fn small_gazetteer() -> Gazetteer<Vec<u8>> {
    let mut b = GazetteerBuilder::new();
    b.build_time(1_700_000_000);
    let mut e = Entity::new("t:per:kadhimi", "Mustafa al-Kadhimi", Kind::Per);
    e.aliases = vec![Alias::new("الكاظمي"), Alias::new("Mostafa Kazemi")];
    b.add(e).unwrap();
    let mut e = Entity::new("t:loc:erbil", "Erbil", Kind::Loc);
    e.aliases = vec![Alias::new("Arbil"), Alias::new("أربيل")];
    b.add(e).unwrap();
    b.add(Entity::new(
        "t:org:pmf",
        "Popular Mobilization Forces",
        Kind::Org,
    ))
    .unwrap();
    b.build().unwrap()
}

/// Runs `work` on every document serially, then from THREADS threads at once (each thread walks the
/// documents from a different starting point), and requires identical results.
fn same_as_serial<R, F>(docs: &[String], work: F)
where
    R: PartialEq + std::fmt::Debug + Send,
    F: Fn(&str) -> R + Sync,
{
    let serial: Vec<R> = docs.iter().map(|d| work(d)).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let work = &work;
                s.spawn(move || {
                    let n = docs.len();
                    let mut got: Vec<(usize, R)> = (0..n)
                        .map(|k| (k * 7 + t * 13) % n)
                        .map(|i| (i, work(&docs[i])))
                        .collect();
                    got.sort_by_key(|(i, _)| *i);
                    got
                })
            })
            .collect();
        for h in handles {
            let got = h.join().expect("no thread panicked");
            for (i, r) in got {
                assert_eq!(r, serial[i], "document {i}: {:?}", docs[i]);
            }
        }
    });
}

#[test]
fn threads_sharing_the_default_linker_match_serial() {
    let gz = Gazetteer::default_embedded();
    let linker = Linker::new(gz);
    let docs = documents();
    same_as_serial(&docs, |d| linker.link(d));
    // and the rayon batch path equals both
    let refs: Vec<&str> = docs.iter().map(String::as_str).collect();
    let batch = linker.link_batch(&refs);
    for (d, m) in refs.iter().zip(&batch) {
        assert_eq!(&linker.link(d), m);
    }
}

#[test]
fn threads_sharing_an_owned_gazetteer_through_arc() {
    let gz = Arc::new(small_gazetteer());
    let docs = documents();
    let serial: Vec<_> = docs.iter().map(|d| Linker::new(&*gz).link(d)).collect();
    assert!(serial.iter().any(|m| !m.is_empty()));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let gz = Arc::clone(&gz);
            let docs = docs.clone();
            std::thread::spawn(move || {
                let linker = Linker::new(&*gz);
                docs.iter().map(|d| linker.link(d)).collect::<Vec<_>>()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), serial);
    }
}

#[test]
fn threads_sharing_resolve_and_lookups_match_serial() {
    let gz = Gazetteer::default_embedded();
    let names: Vec<String> = documents()
        .iter()
        .flat_map(|d| d.split([';', '.', ',']).map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .take(40)
        .collect();
    let opts = ResolveOptions::default();
    same_as_serial(&names, |n| {
        let c = gz.resolve(n, &opts);
        (
            c.iter()
                .map(|c| (c.id.clone(), c.score))
                .collect::<Vec<_>>(),
            gz.lookup(n),
            gz.candidates(n, 1),
        )
    });
}

#[test]
fn threads_sharing_text_functions_match_serial() {
    // First use from many threads at once: lazily initialised tables (lexicon, rules, calibration)
    // must initialise once and give every thread the same answers.
    let docs = documents();
    same_as_serial(&docs, |d| {
        (
            nisba::normalize(d),
            nisba::tokenize(d),
            Scheme::ALL.map(|s| nisba::transliterate(d, s).text),
            nisba::variants(
                &d[..d.find(' ').unwrap_or(d.len())],
                &VariantOptions::default(),
            )
            .into_iter()
            .map(|v| v.text)
            .collect::<Vec<_>>(),
            nisba::compare(d, "Mustafa al-Kadhimi").score,
        )
    });
}
