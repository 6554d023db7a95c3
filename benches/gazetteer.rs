//! Gazetteer benchmarks: build 1 M synthetic name forms, open, exact lookup, candidates(max_edits = 1).
//! Figures go in benches/README.md. `NISBA_BENCH_FORMS` overrides the number of name forms.

mod alloc;

use std::hint::black_box;
use std::time::Instant;

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use nisba::gazetteer::{Alias, Entity, Gazetteer, Kind};

const SYLLABLES: [&str; 24] = [
    "ka", "dhi", "mi", "mus", "ta", "fa", "ba", "sra", "na", "jaf", "har", "bi", "qa", "sim",
    "sul", "lay", "man", "zah", "ra", "hu", "sayn", "ab", "dul", "lah",
];

/// A deterministic pseudo-name from a number (xorshift over syllables).
fn word(mut x: u64, parts: usize) -> String {
    let mut out = String::new();
    for _ in 0..parts {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push_str(SYLLABLES[(x % SYLLABLES.len() as u64) as usize]);
    }
    out
}

/// The `i`-th synthetic entity (`i` ≥ 1): four name forms, a name plus three aliases.
fn entity(i: u64) -> Entity {
    let given = word(i.wrapping_mul(0x9E37_79B9), 2);
    let family = word(i.wrapping_mul(0x85EB_CA6B), 3);
    let mut e = Entity::new(
        format!("bench:{i}"),
        format!("{given} al-{family}"),
        Kind::Per,
    );
    e.aliases = vec![
        Alias::new(format!("{given} {family}")),
        Alias::new(format!("{} {family}", word(i.wrapping_mul(0xC2B2_AE35), 2))),
        Alias::weak(word(i, 4)),
    ];
    e.prior = 0.5;
    e
}

/// Peak resident set size of this process (Linux `VmHWM`), or "unknown".
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l[6..].trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn bench(c: &mut Criterion) {
    let forms = common::forms();
    let count = (forms / 4) as u64;
    let t = Instant::now();
    let bytes = common::build(count, entity);
    eprintln!(
        "build of {forms} name forms: {:.2?}; peak RSS {}",
        t.elapsed(),
        peak_rss()
    );
    let dir = std::env::temp_dir().join(format!("nisba-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bench.nisba");
    std::fs::write(&path, &bytes).unwrap();
    let gz = Gazetteer::open(&path).unwrap();
    let m = gz.metadata();
    eprintln!(
        "size: {} bytes, {:.1} bytes per name form ({:.1} for the maps)",
        bytes.len(),
        m.file_bytes_per_name_form(),
        m.map_bytes_per_name_form()
    );
    for s in &m.sections {
        eprintln!(
            "  {:<14} {:>10} bytes  {:>5.2} bytes per name form",
            s.name,
            s.len,
            s.len as f64 / m.name_forms as f64
        );
    }
    let queries: Vec<String> = (1..=count)
        .step_by(997)
        .take(1000)
        .map(|i| entity(i).name)
        .collect();
    let fuzzy: Vec<String> = queries
        .iter()
        .map(|q| {
            let mut s = q.clone();
            s.insert(s.len() / 2, 'x');
            s
        })
        .collect();
    let mean = |f: &dyn Fn(&str) -> usize| {
        fuzzy.iter().map(|q| f(q)).sum::<usize>() as f64 / fuzzy.len() as f64
    };
    eprintln!(
        "mean results per fuzzy query: candidates(1) {:.1}, candidates(0) {:.1}, exact lookup of the unmodified names {:.2}",
        mean(&|q| gz.candidates(q, 1).len()),
        mean(&|q| gz.candidates(q, 0).len()),
        queries.iter().map(|q| gz.lookup(q).len()).sum::<usize>() as f64 / queries.len() as f64,
    );
    let _ = gz.lookup("warm up");

    let mut g = c.benchmark_group("gazetteer");
    g.sample_size(10);
    g.bench_function("open", |bench| {
        bench.iter(|| Gazetteer::open(black_box(&path)).unwrap())
    });
    let mut i = 0;
    g.bench_function("lookup", |bench| {
        bench.iter(|| {
            i = (i + 1) % queries.len();
            black_box(gz.lookup(&queries[i]))
        })
    });
    g.bench_function("entity", |bench| {
        bench.iter(|| {
            i = (i + 1) % gz.len();
            black_box(gz.entity(i as u32).name().len())
        })
    });
    g.bench_function("candidates_1", |bench| {
        bench.iter(|| {
            i = (i + 1) % fuzzy.len();
            black_box(gz.candidates(&fuzzy[i], 1))
        })
    });
    g.finish();
    drop(gz);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
