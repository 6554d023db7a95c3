//! Name comparison and resolution benchmarks.
//!
//! * `compare/*`: [`nisba::compare`] (parse both names, align, explain) and
//!   [`nisba::resolve::compare_prepared`] (names prepared once, no explanation) over a list of
//!   realistic Latin–Latin, Latin–Arabic and Arabic–Arabic pairs; criterion reports pairs per second.
//! * `resolve/top10_fuzzy`: [`nisba::Gazetteer::resolve`] (limit 10) of misspelled queries on a
//!   synthetic gazetteer of ~1 M name forms (250 k persons: real given names, synthetic family names,
//!   Latin and Arabic-script forms) built in the set-up.
//! * `resolve/batch_{1,2}_threads`: [`nisba::Gazetteer::resolve_batch`] of 64 queries on rayon pools of
//!   one and two threads.
//!
//! `NISBA_BENCH_FORMS` overrides the number of name forms (default 1 000 000).

mod alloc;

use std::hint::black_box;
use std::time::Instant;

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use nisba::gazetteer::{Alias, Entity, Gazetteer, Kind};
use nisba::resolve::{compare_prepared, prepare};
use nisba::ResolveOptions;

/// Pairs of spellings of the kind `compare` meets: press variants, titles, lineage, cross-script.
const PAIRS: &[(&str, &str)] = &[
    ("Mustafa al-Kadhimi", "Mostafa Kazemi"),
    ("Mustafa al-Kadhimi", "مصطفى الكاظمي"),
    ("Qais al-Khazali", "Qays al-Khaz'ali"),
    ("Qais al-Khazali", "قيس الخزعلي"),
    ("Hadi al-Amiri", "Hadi al-Bahra"),
    ("Muqtada al-Sadr", "Moqtada Sadr"),
    ("Nouri al-Maliki", "نوري المالكي"),
    ("Haider al-Abadi", "Haidar Abadi"),
    ("Sheikh Hassan Nasrallah", "Hasan Nasrullah"),
    ("Hassan Nasrallah", "حسين نصر الله"),
    ("Muhammad bin Salman bin Abdulaziz", "Mohammed bin Salman"),
    ("Abdul Rahman al-Rashid", "Abd al-Rahman Rashid"),
    ("Abu Mahdi al-Muhandis", "Abu Mehdi al-Mohandes"),
    ("Salah al-Din al-Bitar", "Salahuddin Bitar"),
    (
        "Ibrahim Ahmad Abd al-Sattar Muhammad al-Tikriti",
        "إبراهيم أحمد عبد الستار محمد التكريتي",
    ),
    ("Youssef Qaradawi", "Yusuf al-Qaradawi"),
    ("Kata'ib Hezbollah", "Kataib Hizballah"),
    ("Mohammadreza Ali Akbari", "Mohammad Reza Aliakbari"),
    ("عبد العزيز الحكيم", "عبدالعزيز الحكيم"),
    ("Khalid Mishaal", "Khalid al-Batsh"),
];

const GIVEN: &[(&str, &str)] = &[
    ("Muhammad", "محمد"),
    ("Ahmad", "احمد"),
    ("Ali", "علي"),
    ("Hassan", "حسن"),
    ("Hussein", "حسين"),
    ("Mustafa", "مصطفى"),
    ("Qais", "قيس"),
    ("Hadi", "هادي"),
    ("Haider", "حيدر"),
    ("Nouri", "نوري"),
    ("Ibrahim", "ابراهيم"),
    ("Khalid", "خالد"),
    ("Omar", "عمر"),
    ("Youssef", "يوسف"),
    ("Abdul Rahman", "عبد الرحمن"),
    ("Abdullah", "عبد الله"),
    ("Salim", "سليم"),
    ("Karim", "كريم"),
    ("Jamal", "جمال"),
    ("Tariq", "طارق"),
    ("Saad", "سعد"),
    ("Faisal", "فيصل"),
    ("Mahmoud", "محمود"),
    ("Yasin", "ياسين"),
    ("Jafar", "جعفر"),
    ("Kadhim", "كاظم"),
    ("Abbas", "عباس"),
    ("Sami", "سامي"),
    ("Zaid", "زيد"),
    ("Adnan", "عدنان"),
    ("Walid", "وليد"),
    ("Nabil", "نبيل"),
];

/// Syllables of synthetic family names, Latin and Arabic.
const SYLLABLES: &[(&str, &str)] = &[
    ("ka", "كا"),
    ("dhi", "ظي"),
    ("mi", "مي"),
    ("ta", "تا"),
    ("ba", "با"),
    ("na", "نا"),
    ("jaf", "جف"),
    ("har", "حر"),
    ("qa", "قا"),
    ("sul", "سل"),
    ("lay", "لي"),
    ("man", "مان"),
    ("zah", "زه"),
    ("ra", "را"),
    ("hu", "حو"),
    ("sab", "صب"),
    ("dar", "دار"),
    ("wi", "وي"),
    ("shar", "شر"),
    ("ghaz", "غز"),
];

fn next(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// A synthetic family name (Latin, Arabic) with a nisba ending.
fn family(seed: u64) -> (String, String) {
    let mut x = seed | 1;
    let (mut l, mut a) = (String::new(), String::new());
    for _ in 0..3 {
        let (sl, sa) = SYLLABLES[(next(&mut x) % SYLLABLES.len() as u64) as usize];
        l.push_str(sl);
        a.push_str(sa);
    }
    l.push('i');
    a.push('ي');
    (l, a)
}

/// The `i`-th synthetic person: four name forms (Latin name, two Latin aliases, one Arabic alias).
fn entity(i: u64) -> Entity {
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let g = GIVEN[(next(&mut x) % GIVEN.len() as u64) as usize];
    let f = GIVEN[(next(&mut x) % GIVEN.len() as u64) as usize];
    let (fam, fam_ar) = family(next(&mut x));
    let mut e = Entity::new(
        format!("bench:{i}"),
        format!("{} {} al-{}", g.0, f.0, capital(&fam)),
        Kind::Per,
    );
    e.aliases = vec![
        Alias::new(format!("{} {}", g.0, capital(&fam))),
        Alias::new(format!(
            "{} {} {}",
            g.0,
            f.0,
            capital(&fam.replace("dh", "z"))
        )),
        Alias::new(format!("{} {} ال{}", g.1, f.1, fam_ar)),
    ];
    e.prior = 0.5;
    e
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("compare");
    g.throughput(Throughput::Elements(PAIRS.len() as u64));
    g.bench_function("compare_with_explanation", |b| {
        b.iter(|| {
            for (x, y) in PAIRS {
                black_box(nisba::compare(black_box(x), black_box(y)));
            }
        })
    });
    let prepared: Vec<_> = PAIRS
        .iter()
        .map(|(x, y)| (prepare(x), prepare(y)))
        .collect();
    g.bench_function("compare_prepared", |b| {
        b.iter(|| {
            for (x, y) in &prepared {
                black_box(compare_prepared(black_box(x), black_box(y), false));
            }
        })
    });
    g.bench_function("prepare", |b| {
        b.iter(|| {
            for (x, y) in PAIRS {
                black_box(prepare(black_box(x)));
                black_box(prepare(black_box(y)));
            }
        })
    });
    g.finish();

    let forms = common::forms();
    let count = (forms / 4) as u64;
    let t = Instant::now();
    let bytes = common::build(count, entity);
    let gz = Gazetteer::from_bytes(bytes).unwrap();
    eprintln!(
        "gazetteer of {forms} name forms built in {:.2?}",
        t.elapsed()
    );
    // Queries: a misspelled Latin form of every 997th entity, and an Arabic form of every 5th of those.
    let queries: Vec<String> = (1..=count)
        .step_by(997)
        .take(500)
        .enumerate()
        .map(|(k, i)| {
            let e = entity(i);
            if k % 5 == 4 {
                e.aliases[2].name.clone()
            } else {
                e.aliases[1]
                    .name
                    .replace("Muhammad", "Mohamed")
                    .replace("ss", "s")
                    .replace("ou", "u")
            }
        })
        .collect();
    let opts = ResolveOptions::default();
    let hits = (1..=count)
        .step_by(997)
        .take(queries.len())
        .zip(&queries)
        .filter(|(i, q)| {
            gz.resolve(q, &opts)
                .first()
                .is_some_and(|c| c.id == format!("bench:{i}"))
        })
        .count();
    eprintln!(
        "resolve top-1 on the synthetic queries: {hits}/{}",
        queries.len()
    );

    let mut g = c.benchmark_group("resolve");
    g.sample_size(10);
    let mut i = 0;
    g.throughput(Throughput::Elements(1));
    g.bench_function("top10_fuzzy", |bench| {
        bench.iter(|| {
            i = (i + 1) % queries.len();
            black_box(gz.resolve(&queries[i], &opts))
        })
    });
    let batch: Vec<&str> = queries.iter().take(64).map(String::as_str).collect();
    g.throughput(Throughput::Elements(batch.len() as u64));
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        g.bench_function(format!("batch_{threads}_threads"), |bench| {
            bench.iter(|| pool.install(|| black_box(gz.resolve_batch(&batch, &opts))))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
