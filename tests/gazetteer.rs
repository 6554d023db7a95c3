//! Gazetteer integration tests: round trips, lookups from the shared fixture table, the token walker,
//! every bad-input case of the file format and the builder, the source readers on upstream-format
//! fixtures, and a crash-safety test with a child process.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use nisba::gazetteer::sources::{self, csv::CsvOptions, SourceFormat, SourceOptions};
use nisba::gazetteer::{format, name_key, Alias, Entity, Gazetteer, GazetteerBuilder, Kind};
use nisba::key::{loose_key, strict_key};
use nisba::ErrorKind;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/test/gazetteer")
        .join(name)
}

fn build_from(format: SourceFormat, file: &str) -> nisba::Result<Gazetteer<Vec<u8>>> {
    let mut b = GazetteerBuilder::new();
    b.build_time(1_700_000_000);
    let path = fixture(file);
    b.add_all(
        file,
        sources::open(format, &path, &SourceOptions::default())?,
    )?;
    b.build()
}

fn base() -> &'static Gazetteer<Vec<u8>> {
    static GZ: OnceLock<Gazetteer<Vec<u8>>> = OnceLock::new();
    GZ.get_or_init(|| build_from(SourceFormat::Jsonl, "entities.jsonl").unwrap())
}

fn ids<D: AsRef<[u8]>>(gz: &Gazetteer<D>, idxs: &[u32]) -> Vec<String> {
    let mut v: Vec<String> = idxs
        .iter()
        .map(|&i| gz.entity(i).id().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn lookup_table_from_fixture() {
    let gz = base();
    let table = std::fs::read_to_string(fixture("lookups.tsv")).unwrap();
    let mut rows = 0;
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let (op, query, expected) = (cols[0], cols[1], cols.get(2).copied().unwrap_or(""));
        let mut expected: Vec<String> = expected
            .split(',')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        expected.sort();
        let got = match op {
            "lookup" => gz.lookup(query),
            "candidates1" => gz.candidates(query, 1),
            other => panic!("unknown op {other}"),
        };
        let got = ids(gz, &got);
        if op == "lookup" {
            assert_eq!(got, expected, "{op} {query:?}");
        } else {
            for id in &expected {
                assert!(got.contains(id), "{op} {query:?}: {got:?} lacks {id}");
            }
            if expected.is_empty() {
                assert!(got.is_empty(), "{op} {query:?}: {got:?}");
            }
        }
        rows += 1;
    }
    assert!(rows >= 15);
}

#[test]
fn round_trip_preserves_entities_and_metadata() {
    let gz = base();
    assert_eq!(gz.len(), 7);
    assert!(!gz.is_empty());
    gz.verify().unwrap();
    let erbil = gz.get("nisba:loc:erbil").unwrap();
    assert_eq!(erbil.name(), "Erbil");
    assert_eq!(erbil.kind(), Kind::Loc);
    assert_eq!(erbil.geonames_id(), Some(94787));
    assert_eq!(erbil.population(), Some(932800));
    assert_eq!(erbil.countries().collect::<Vec<_>>(), vec!["IQ"]);
    assert!((erbil.prior() - 0.7).abs() < 1e-6);
    assert_eq!(erbil.description(), Some("capital of the Kurdistan Region"));
    assert!(erbil.aliases().any(|a| a == ("أربيل", false, Some("ar"))));
    assert_eq!(erbil.names().count(), 5);
    let airport = gz.get("nisba:loc:erbil-international-airport").unwrap();
    assert!(airport.aliases().any(|a| a == ("EBL", true, None)));
    assert!(gz.contains("name:kadhimi") && !gz.contains("nisba:loc:mosul"));
    assert_eq!(gz.get("name:kadhimi").unwrap().role(), Some("family"));
    // every entity survives the trip through records
    let original: Vec<Entity> = sources::jsonl::open(&fixture("entities.jsonl"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for e in &original {
        let back = gz.get(&e.id).unwrap().to_entity();
        assert_eq!(&back, e, "{}", e.id);
    }
    // iteration is in id order with dense indices
    let all: Vec<_> = gz.iter().collect();
    assert_eq!(all.len(), 7);
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e.idx() as usize, i);
        assert_eq!(gz.index_of(e.id()), Some(e.idx()));
    }
    assert!(all.windows(2).all(|w| w[0].id() < w[1].id()));
    let m = gz.metadata();
    assert_eq!(m.entities, 7);
    assert_eq!(m.counts.get("LOC"), Some(&4));
    assert_eq!(m.counts.get("NAME"), Some(&1));
    assert_eq!(m.build_time, 1_700_000_000);
    assert_eq!(m.key_version, nisba::key::KEY_VERSION);
    assert!(m.sources.contains(&"nisba-test".to_string()));
    assert_eq!(
        m.name_forms,
        original
            .iter()
            .map(|e| 1 + e.aliases.len() as u64)
            .sum::<u64>()
    );
    assert_eq!(m.sections.len(), format::SECTION_KINDS.len());
    assert!(m.map_bytes() > 0 && m.map_bytes_per_name_form() > 0.0);
    let json = serde_json::to_string(m).unwrap();
    assert!(json.contains("\"counts\""));
    let again = Gazetteer::from_bytes(gz.as_bytes().to_vec()).unwrap();
    assert_eq!(again.metadata(), m);
    assert!(again.path().is_none());
}

#[test]
fn identical_input_gives_identical_bytes() {
    let a = build_from(SourceFormat::Jsonl, "entities.jsonl").unwrap();
    let b = build_from(SourceFormat::Jsonl, "entities.jsonl").unwrap();
    assert_eq!(a.as_bytes(), b.as_bytes());
    // insertion order does not matter either
    let mut entities: Vec<Entity> = sources::jsonl::open(&fixture("entities.jsonl"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    entities.reverse();
    let mut r = GazetteerBuilder::new();
    r.build_time(1_700_000_000);
    for e in entities {
        r.add(e).unwrap();
    }
    r.add_source("entities.jsonl");
    let c = r.build().unwrap();
    assert_eq!(c.len(), a.len());
    for e in a.iter() {
        assert_eq!(c.get(e.id()).unwrap().to_entity(), e.to_entity());
    }
}

#[test]
fn key_indexes_find_every_name_form() {
    let gz = base();
    for e in gz.iter() {
        for form in e.names() {
            assert!(gz.lookup(form).contains(&e.idx()), "lookup {form}");
            assert!(gz.lookup_key(&name_key(form)).contains(&e.idx()));
            let s = strict_key(form);
            if !s.is_empty() {
                assert!(gz.by_strict_key(&s).contains(&e.idx()), "strict {form}");
            }
            let l = loose_key(form);
            if !l.is_empty() {
                assert!(gz.by_loose_key(&l).contains(&e.idx()), "loose {form}");
                assert!(gz.candidates(form, 0).contains(&e.idx()));
                assert!(gz.candidates(form, 1).contains(&e.idx()));
            }
        }
    }
    let part = loose_key("Kadhimi");
    let hits = ids(gz, &gz.by_part_key(&part));
    assert!(
        hits.contains(&"nisba:per:test-kadhimi".to_string()),
        "{hits:?}"
    );
    assert!(hits.contains(&"name:kadhimi".to_string()), "{hits:?}");
    assert!(gz.by_part_key("").is_empty());
    // long queries get exact hits only, and never blow up
    let long = "Mustafa ".repeat(40);
    let _ = gz.candidates(&long, 2);
    assert!(gz.candidates("", 1).is_empty());
}

#[test]
fn walker_finds_names_token_by_token() {
    let gz = base();
    let text = "Erbil International Airport";
    let mut w = gz.walk();
    let mut found = Vec::new();
    for token in nisba::tokenize(text) {
        if !w.feed(&token.norm) {
            break;
        }
        if let Some(m) = w.matched() {
            found.push(ids(gz, &m));
        }
    }
    assert_eq!(
        found,
        vec![
            vec!["nisba:loc:erbil".to_string()],
            vec!["nisba:loc:erbil-international-airport".to_string()]
        ]
    );
    assert!(!w.may_extend());
    assert!(!w.feed("terminal") && !w.is_alive() && w.matched().is_none());
    w.reset();
    // tokens with internal dots are split the way name_key splits them
    let tokens = nisba::tokenize("U.S.");
    assert!(tokens.iter().all(|t| w.feed(&t.norm)));
    assert_eq!(
        w.matched().map(|m| ids(gz, &m)),
        Some(vec!["nisba:loc:us".to_string()])
    );
    w.reset();
    assert!(w.feed("erbil") && w.may_extend());
    assert!(!w.feed("airport"));
    // the raw map is exposed too
    assert!(gz.names_fst().get("erbil").is_some());
    let v = gz.names_fst().get("basra").unwrap();
    assert_eq!(
        ids(gz, &gz.postings_of(v)),
        vec!["nisba:loc:basra".to_string()]
    );
}

#[test]
fn open_by_mmap_and_write_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.nisba");
    let mut b = GazetteerBuilder::new();
    b.build_time(42);
    b.add_all(
        "entities.jsonl",
        sources::jsonl::open(&fixture("entities.jsonl")).unwrap(),
    )
    .unwrap();
    b.write(&path).unwrap();
    let gz = Gazetteer::open(&path).unwrap();
    assert_eq!(gz.path(), Some(path.as_path()));
    gz.verify().unwrap();
    assert_eq!(gz.len(), 7);
    assert_eq!(
        ids(&gz, &gz.lookup("hawler")),
        vec!["nisba:loc:erbil".to_string()]
    );
    assert_eq!(gz.as_bytes(), b.to_bytes().unwrap().as_slice());
    // overwrite in place: the old map stays valid, no temp file is left
    b.add(Entity::new("nisba:loc:kut", "Kut", Kind::Loc))
        .unwrap();
    b.write(&path).unwrap();
    assert_eq!(gz.len(), 7);
    assert_eq!(Gazetteer::open(&path).unwrap().len(), 8);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    // missing file, empty file
    assert!(matches!(
        Gazetteer::open(dir.path().join("nope")).unwrap_err().kind(),
        ErrorKind::Io { .. }
    ));
    let empty = dir.path().join("empty.nisba");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        Gazetteer::open(&empty).unwrap_err().kind(),
        ErrorKind::Format { .. }
    ));
}

fn format_message(err: nisba::Error) -> String {
    match err.kind() {
        ErrorKind::Format { message } => message.clone(),
        other => panic!("expected a format error, got {other:?}"),
    }
}

#[test]
fn truncated_files_are_refused() {
    let bytes = base().as_bytes();
    for len in (0..bytes.len()).step_by(7).chain([bytes.len() - 1]) {
        let err = Gazetteer::from_bytes(&bytes[..len]).unwrap_err();
        let message = format_message(err);
        assert!(
            message.contains("truncated") || message.contains("magic"),
            "{len}: {message}"
        );
    }
}

#[test]
fn wrong_magic_is_refused() {
    let mut bytes = base().as_bytes().to_vec();
    bytes[0] = b'X';
    assert!(format_message(Gazetteer::from_bytes(bytes).unwrap_err()).contains("magic"));
    assert!(format_message(
        Gazetteer::from_bytes(b"PK\x03\x04 not a gazetteer at all".to_vec()).unwrap_err()
    )
    .contains("magic"));
}

#[test]
fn other_versions_are_refused() {
    let cases: [(usize, &str, u32); 4] = [
        (8, "format", format::FORMAT_VERSION),
        (12, "key", nisba::key::KEY_VERSION),
        (16, "normalizer", nisba::NORMALIZER_VERSION),
        (
            20,
            "normalizer options",
            nisba::NormalizeOptions::default().bits(),
        ),
    ];
    for (at, what, current) in cases {
        let mut bytes = base().as_bytes().to_vec();
        bytes[at..at + 4].copy_from_slice(&(current + 1).to_le_bytes());
        format::fix_header_crc(&mut bytes);
        match Gazetteer::from_bytes(bytes).unwrap_err().kind() {
            ErrorKind::Version {
                what: w,
                expected,
                found,
            } => {
                assert_eq!((*w, *expected, *found), (what, current, current + 1));
            }
            other => panic!("{what}: {other:?}"),
        }
    }
}

#[test]
fn a_flipped_byte_in_any_section_is_caught() {
    let gz = base();
    let clean = gz.as_bytes();
    // header and section table
    for at in [
        9usize,
        24,
        33,
        41,
        50,
        format::HEADER_LEN + 3,
        format::HEADER_LEN + 40,
    ] {
        let mut bytes = clean.to_vec();
        bytes[at] ^= 0x10;
        assert!(Gazetteer::from_bytes(bytes).is_err(), "header byte {at}");
    }
    for section in &gz.metadata().sections {
        for pos in [0, section.len / 2, section.len.saturating_sub(1)] {
            let mut bytes = clean.to_vec();
            bytes[(section.offset + pos) as usize] ^= 0x01;
            let err = match Gazetteer::from_bytes(bytes) {
                Err(e) => e,
                Ok(bad) => {
                    // lookups on the corrupt file never panic; verify names the section
                    let _ = bad.lookup("erbil");
                    let _ = bad.candidates("erbil", 1);
                    let _ = bad.iter().count();
                    let _ = bad.get("nisba:loc:erbil").map(|e| e.to_entity());
                    bad.verify().unwrap_err()
                }
            };
            let message = format_message(err);
            assert!(
                message.contains(&section.name),
                "{}: {message}",
                section.name
            );
        }
    }
    // a corrupt index section empties the lookups instead of panicking
    let names = gz
        .metadata()
        .sections
        .iter()
        .find(|s| s.name == "names")
        .unwrap();
    let mut bytes = clean.to_vec();
    bytes[(names.offset + names.len / 2) as usize] ^= 0xff;
    let bad = Gazetteer::from_bytes(bytes).unwrap();
    assert!(bad.lookup("erbil").is_empty());
    assert!(bad.check_indexes().is_err());
    assert_eq!(bad.entity(0).id(), gz.entity(0).id());
}

#[test]
fn conflicting_kinds_are_an_error_naming_both_records() {
    let path = fixture("conflict.jsonl");
    let mut b = GazetteerBuilder::new();
    let err = b
        .add_all("conflict.jsonl", sources::jsonl::open(&path).unwrap())
        .unwrap_err();
    let text = err.to_string();
    match err.kind() {
        ErrorKind::Conflict { id, message } => {
            assert_eq!(id, "nisba:x:sadr");
            assert!(
                message.contains("record 1") && message.contains("record 3"),
                "{message}"
            );
            assert!(
                message.contains("LOC") && message.contains("PER"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(text.contains("nisba:x:sadr"));
    let mut b = GazetteerBuilder::new();
    b.skip_invalid(true);
    b.add_all("conflict.jsonl", sources::jsonl::open(&path).unwrap())
        .unwrap();
    assert_eq!(b.stats().skipped_invalid, 1);
    let gz = b.build().unwrap();
    assert_eq!(gz.len(), 2);
    assert_eq!(gz.metadata().skipped_invalid, 1);
}

#[test]
fn empty_names_are_skipped_and_counted() {
    let mut b = GazetteerBuilder::new();
    b.add_all(
        "empty_names.jsonl",
        sources::jsonl::open(&fixture("empty_names.jsonl")).unwrap(),
    )
    .unwrap();
    assert_eq!(b.stats().skipped_empty_names, 5);
    let gz = b.build().unwrap();
    assert_eq!(gz.len(), 1);
    assert_eq!(gz.metadata().skipped_empty_names, 5);
    assert_eq!(gz.get("nisba:loc:kut").unwrap().aliases().count(), 1);
}

#[test]
fn malformed_json_line_reports_file_and_line() {
    let path = fixture("malformed.jsonl");
    let results: Vec<_> = sources::jsonl::open(&path).unwrap().collect();
    assert_eq!(results.len(), 4);
    match results[2].as_ref().unwrap_err().kind() {
        ErrorKind::Parse {
            path: Some(p),
            line: Some(3),
            ..
        } => assert_eq!(p, &path),
        other => panic!("{other:?}"),
    }
    let mut b = GazetteerBuilder::new();
    let err = b
        .add_all("malformed.jsonl", sources::jsonl::open(&path).unwrap())
        .unwrap_err();
    assert!(err.to_string().contains("malformed.jsonl:3"), "{err}");
    let mut b = GazetteerBuilder::new();
    b.skip_invalid(true);
    b.add_all("malformed.jsonl", sources::jsonl::open(&path).unwrap())
        .unwrap();
    assert_eq!((b.len(), b.stats().skipped_invalid), (3, 1));
    // the builder's own line parser
    let mut b = GazetteerBuilder::new();
    let err = b.add_json_line("{\"id\": 1", 17).unwrap_err();
    assert!(matches!(
        err.kind(),
        ErrorKind::Parse { line: Some(17), .. }
    ));
}

/// Child half of `killed_build_leaves_previous_file_unchanged`: builds a large gazetteer and writes it
/// over the path in `NISBA_GZ_CHILD_OUT`. Does nothing in a normal test run.
#[test]
fn killed_build_child() {
    let Ok(out) = std::env::var("NISBA_GZ_CHILD_OUT") else {
        return;
    };
    let b = common::big_builder();
    b.write(out).unwrap();
}

#[cfg(unix)]
#[test]
fn killed_build_leaves_previous_file_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gz.nisba");
    let old = base().as_bytes().to_vec();
    std::fs::write(&path, &old).unwrap();
    // The child may write at most 1 MiB per file (ulimit -f, in 512- or 1024-byte blocks): the kernel
    // kills it with SIGXFSZ half-way through writing its 4 MiB gazetteer.
    let exe = std::env::current_exe().unwrap();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(
            "ulimit -f 1024 && exec \"$0\" killed_build_child --exact --nocapture --test-threads=1",
        )
        .arg(&exe)
        .env("NISBA_GZ_CHILD_OUT", &path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child should have been killed");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        old,
        "the previous file changed"
    );
    Gazetteer::open(&path).unwrap().verify().unwrap();
    let partial: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert_eq!(
        partial.len(),
        1,
        "the half-written temp file should be there: {partial:?}"
    );
}

#[test]
fn csv_and_tsv_sources() {
    let gz = build_from(SourceFormat::Csv, "entities.csv").unwrap();
    assert_eq!(gz.len(), 3);
    let kh = gz.get("nisba:org:test-kh").unwrap();
    assert_eq!(kh.kind(), Kind::Org);
    assert!(kh.aliases().any(|a| a == ("KH", true, None)));
    assert!(kh.aliases().any(|a| a.0 == "كتائب حزب الله"));
    let q = gz.get("nisba:per:test-khazali").unwrap();
    assert_eq!(q.kind(), Kind::Per);
    assert_eq!(q.description(), Some("test person, \"quoted\""));
    assert!((q.prior() - 0.4).abs() < 1e-6);
    assert!(gz
        .get("nisba:loc:najaf")
        .unwrap()
        .description()
        .unwrap()
        .contains(','));

    let options = SourceOptions {
        csv: CsvOptions {
            id: "key".into(),
            name: "label".into(),
            kind: "type".into(),
            aliases: "other_names".into(),
            countries: "cc".into(),
            ..CsvOptions::default()
        },
        ..SourceOptions::default()
    };
    let entities: Vec<Entity> =
        sources::open(SourceFormat::Tsv, &fixture("entities_custom.tsv"), &options)
            .unwrap()
            .map(Result::unwrap)
            .collect();
    assert_eq!(entities.len(), 2);
    assert_eq!(entities[1].kind, Kind::Loc);
    assert_eq!(
        entities[0].aliases,
        vec![Alias::new("Kerbala"), Alias::new("كربلاء")]
    );
    assert_eq!(entities[0].countries, vec!["IQ".to_string()]);
    // default column names are absent from the custom file
    assert!(sources::open(
        SourceFormat::Tsv,
        &fixture("entities_custom.tsv"),
        &SourceOptions::default()
    )
    .is_err());
    // a bad kind names its line
    let results: Vec<_> = sources::open(
        SourceFormat::Csv,
        &fixture("bad_kind.csv"),
        &SourceOptions::default(),
    )
    .unwrap()
    .collect();
    assert!(results[0].is_ok());
    match results[1].as_ref().unwrap_err().kind() {
        ErrorKind::Parse {
            line: Some(3),
            path: Some(_),
            message,
        } => assert!(message.contains("PLACE")),
        other => panic!("{other:?}"),
    }
}

fn check_wikidata(entities: &[Entity]) {
    let by_id = |id: &str| {
        entities
            .iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert_eq!(
        entities.len(),
        5,
        "{:?}",
        entities.iter().map(|e| &e.id).collect::<Vec<_>>()
    );
    let p = by_id("wikidata:Q900001");
    assert_eq!(
        (p.kind, p.name.as_str(), p.qid.as_deref()),
        (Kind::Per, "Test Person Hadi", Some("Q900001"))
    );
    assert!(p.aliases.contains(&Alias::with_lang("هادي الاختبار", "ar")));
    assert!(p.aliases.contains(&Alias::with_lang("T. P. Hadi", "en")));
    assert_eq!(p.description.as_deref(), Some("test politician"));
    let c = by_id("wikidata:Q900002");
    assert_eq!(
        (c.kind, c.geonames_id, c.population),
        (Kind::Loc, Some(900002), Some(1_500_000))
    );
    assert!(c.prior > 0.5);
    assert!(
        !c.aliases.iter().any(|a| a.lang.as_deref() == Some("ja")),
        "ja is not a chosen language"
    );
    assert!(c.aliases.contains(&Alias::with_lang("Ville Test", "fr")));
    let party = by_id("wikidata:Q900003");
    assert_eq!(
        (party.kind, party.name.as_str()),
        (Kind::Org, "Parti du Test")
    );
    let country = by_id("wikidata:Q900005");
    assert_eq!(
        (country.kind, country.countries.clone()),
        (Kind::Loc, vec!["TL".to_string()])
    );
    assert_eq!(by_id("wikidata:Q900006").kind, Kind::Other);
    assert!(
        !entities.iter().any(|e| e.id == "wikidata:Q900004"),
        "no label in a chosen language"
    );
}

#[test]
fn wikidata_dump_plain_gz_and_bz2() {
    let plain = fixture("wikidata.json");
    let entities: Vec<Entity> =
        sources::open(SourceFormat::Wikidata, &plain, &SourceOptions::default())
            .unwrap()
            .map(Result::unwrap)
            .collect();
    check_wikidata(&entities);
    let raw = std::fs::read(&plain).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("dump.json.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    enc.write_all(&raw).unwrap();
    enc.finish().unwrap();
    let bz = dir.path().join("dump.json.bz2");
    let mut enc = bzip2::write::BzEncoder::new(
        std::fs::File::create(&bz).unwrap(),
        bzip2::Compression::fast(),
    );
    enc.write_all(&raw).unwrap();
    enc.finish().unwrap();
    for path in [gz, bz] {
        let got: Vec<Entity> =
            sources::open(SourceFormat::Wikidata, &path, &SourceOptions::default())
                .unwrap()
                .map(Result::unwrap)
                .collect();
        assert_eq!(got, entities, "{}", path.display());
    }
    // chosen languages
    let options = sources::wikidata::WikidataOptions {
        languages: vec!["ar".into()],
    };
    let ar: Vec<Entity> = sources::wikidata::open(&plain, &options)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(ar.len(), 2);
    assert_eq!(ar[0].name, "هادي الاختبار");
    // a broken line names its line
    let broken = sources::wikidata::read(
        "[\n{\"id\": \"Q1\",\n".as_bytes(),
        Some("x.json".into()),
        &options,
    )
    .collect::<Vec<_>>();
    assert!(matches!(
        broken[0].as_ref().unwrap_err().kind(),
        ErrorKind::Parse { line: Some(2), .. }
    ));
}

#[test]
fn geonames_rows_and_country_info() {
    let entities: Vec<Entity> = sources::geonames::open(&fixture("allCountries.txt"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(entities.len(), 3);
    let erbil = &entities[0];
    assert_eq!(
        (erbil.id.as_str(), erbil.kind, erbil.geonames_id),
        ("geonames:94787", Kind::Loc, Some(94787))
    );
    let names: Vec<&str> = erbil.aliases.iter().map(|a| a.name.as_str()).collect();
    for kept in ["Arbil", "Hawler", "Irbil", "أربيل", "هەولێر"] {
        assert!(names.contains(&kept), "{kept}: {names:?}");
    }
    for dropped in [
        "EBL",
        "ORER",
        "44001",
        "https://en.wikipedia.org/wiki/Erbil",
    ] {
        assert!(!names.contains(&dropped), "{dropped}: {names:?}");
    }
    assert_eq!(erbil.population, Some(932800));
    assert_eq!(erbil.countries, vec!["IQ".to_string()]);
    assert_eq!(
        entities[2].countries,
        vec!["IQ".to_string(), "IR".to_string()]
    );
    assert_eq!(entities[2].population, None);
    let baghdad = &entities[1];
    assert!(baghdad.prior > erbil.prior);
    assert!(!baghdad
        .aliases
        .iter()
        .any(|a| a.name == "BGW" || a.name == "ORBI"));

    let cities: Vec<_> = sources::open(
        SourceFormat::Geonames,
        &fixture("cities15000.txt"),
        &SourceOptions::default(),
    )
    .unwrap()
    .collect();
    assert_eq!(cities[0].as_ref().unwrap().name, "Mosul");
    match cities[1].as_ref().unwrap_err().kind() {
        ErrorKind::Parse {
            line: Some(2),
            message,
            ..
        } => assert!(message.contains("19"), "{message}"),
        other => panic!("{other:?}"),
    }

    let countries: Vec<Entity> = sources::open(
        SourceFormat::Geonames,
        &fixture("countryInfo.txt"),
        &SourceOptions::default(),
    )
    .unwrap()
    .map(Result::unwrap)
    .collect();
    assert_eq!(countries.len(), 2);
    let iq = &countries[0];
    assert_eq!(
        (iq.id.as_str(), iq.name.as_str(), iq.geonames_id),
        ("country:IQ", "Iraq", Some(99237))
    );
    assert_eq!(iq.aliases, vec![Alias::weak("IRQ")]);
    assert_eq!(iq.population, Some(38872655));
    assert!(iq.description.as_deref().unwrap().contains("Baghdad"));
}

#[test]
fn followthemoney_entities() {
    let entities: Vec<Entity> = sources::open(
        SourceFormat::Ftm,
        &fixture("ftm.json"),
        &SourceOptions::default(),
    )
    .unwrap()
    .map(Result::unwrap)
    .collect();
    let ids: Vec<&str> = entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "opensanctions:NK-test1",
            "opensanctions:NK-test2",
            "opensanctions:NK-test4",
            "opensanctions:NK-test5"
        ]
    );
    let p = &entities[0];
    assert_eq!(
        (p.kind, p.name.as_str(), p.qid.as_deref()),
        (Kind::Per, "Abu Test al-Testi", Some("Q900001"))
    );
    assert!(p.aliases.contains(&Alias::new("Abu Test")));
    assert!(p.aliases.contains(&Alias::new("Test ibn Test")));
    assert!(p.aliases.contains(&Alias::weak("AT")));
    assert_eq!(p.countries, vec!["IQ".to_string(), "IQ".to_string()]);
    assert_eq!(entities[1].kind, Kind::Org);
    assert!(entities[1].aliases.contains(&Alias::new("كتائب الاختبار")));
    assert_eq!(entities[2].countries, vec!["AE".to_string()]);
    assert_eq!(entities[3].name, "Test Holding");
    let mut b = GazetteerBuilder::new();
    b.add_all("ftm.json", entities.into_iter().map(Ok)).unwrap();
    let gz = b.build().unwrap();
    assert_eq!(
        gz.get("opensanctions:NK-test1")
            .unwrap()
            .countries()
            .collect::<Vec<_>>(),
        vec!["IQ"]
    );
}

#[test]
fn source_format_names() {
    for name in SourceFormat::NAMES {
        assert_eq!(name.parse::<SourceFormat>().unwrap().as_str(), name);
    }
    assert!(matches!(
        "xml".parse::<SourceFormat>().unwrap_err().kind(),
        ErrorKind::UnknownValue { .. }
    ));
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Gazetteer>();
    check::<Gazetteer<Vec<u8>>>();
    check::<GazetteerBuilder>();
    check::<nisba::EntityRef<'static>>();
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn exercise(bytes: Vec<u8>) {
        if let Ok(gz) = Gazetteer::from_bytes(bytes) {
            let _ = gz.verify();
            let _ = gz.lookup("erbil");
            let _ = gz.candidates("erbil", 1);
            let _ = gz.by_part_key("rbl");
            let _ = gz.get("nisba:loc:erbil").map(|e| e.to_entity());
            let _: Vec<_> = gz.iter().map(|e| e.to_entity()).collect();
            let mut w = gz.walk();
            let _ = w.feed("erbil") && w.feed("international");
            let _ = w.matched();
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let mut with_magic = format::MAGIC.to_vec();
            with_magic.extend_from_slice(&bytes);
            exercise(bytes);
            exercise(with_magic);
        }

        #[test]
        fn mutated_files_never_panic(flips in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..6),
                                     cut in any::<proptest::sample::Index>(), truncate in any::<bool>()) {
            let mut bytes = base().as_bytes().to_vec();
            for (at, x) in flips {
                let i = at.index(bytes.len());
                bytes[i] ^= x.max(1);
            }
            if truncate {
                bytes.truncate(cut.index(bytes.len()));
            }
            exercise(bytes.clone());
            // with the header checksum repaired, the damage reaches the sections
            format::fix_header_crc(&mut bytes);
            exercise(bytes);
        }
    }
}
