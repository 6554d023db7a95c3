//! Throughput of the stage-2 functions: cross-script keys, transliteration and variant generation.
//!
//! Targets (per core): key ≥ 2 M names/s, transliterate ≥ 1 M names/s, variants(limit=50) ≥ 50 k names/s.
//! Run with `cargo bench --bench translit`.

mod alloc;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use nisba::{loose_key, strict_key, transliterate, variants, Scheme, VariantOptions};

const LATIN: &[&str] = &[
    "Mustafa al-Kadhimi",
    "Qais al-Khazali",
    "Abu Mahdi al-Muhandis",
    "Muqtada as-Sadr",
    "Abdul Rahman al-Tikriti",
    "Mohammed bin Salman",
    "Hashd al-Shaabi",
    "Nouri al-Maliki",
];
const ARABIC: &[&str] = &[
    "مصطفى الكاظمي",
    "قيس الخزعلي",
    "أبو مهدي المهندس",
    "مقتدى الصدر",
    "عبد الرحمن التكريتي",
    "محمد بن سلمان",
    "الحشد الشعبي",
    "نوري المالكي",
];

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("translit");
    let n = (LATIN.len() + ARABIC.len()) as u64;
    g.throughput(Throughput::Elements(n));
    g.bench_function("loose_key", |b| {
        b.iter(|| {
            for s in LATIN.iter().chain(ARABIC) {
                black_box(loose_key(black_box(s)));
            }
        })
    });
    g.bench_function("strict_key", |b| {
        b.iter(|| {
            for s in LATIN.iter().chain(ARABIC) {
                black_box(strict_key(black_box(s)));
            }
        })
    });
    g.throughput(Throughput::Elements(ARABIC.len() as u64));
    for scheme in [Scheme::Simple, Scheme::AlaLc, Scheme::Buckwalter] {
        g.bench_function(format!("transliterate/{scheme}"), |b| {
            b.iter(|| {
                for s in ARABIC {
                    black_box(transliterate(black_box(s), scheme));
                }
            })
        });
    }
    let opts = VariantOptions::default();
    g.bench_function("variants/50", |b| {
        b.iter(|| {
            for s in ARABIC {
                black_box(variants(black_box(s), &opts));
            }
        })
    });
    g.finish();
}

/// Distinct Arabic name parts from the lexicon tables: more than the per-thread analysis cache holds
/// (16 k words), so most calls are cold, as on a real list of names.
fn distinct_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = [
        include_str!("../data/lexicon/units.tsv"),
        include_str!("../data/lexicon/heldout.tsv"),
    ]
    .iter()
    .flat_map(|t| t.lines())
    .filter(|l| !l.starts_with('#'))
    .filter_map(|l| l.split('\t').next())
    .map(str::trim)
    .filter(|s| !s.is_empty())
    .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The persons table (`data/persons/full_names.jsonl`, 22 000 real people): each person's Latin name
/// and Arabic-script name. Distinct full names whose words repeat as they do in any list of people
/// (common given names, rare family names): the realistic case for a caller varying or transliterating
/// a list of names, between the repeated names of `bench` and the all-distinct parts of `bench_cold`.
fn full_names() -> (Vec<String>, Vec<String>) {
    let (mut latin, mut arabic) = (Vec::new(), Vec::new());
    for v in include_str!("../data/persons/full_names.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
    {
        if let Some(name) = v.get("name").and_then(|n| n.as_str()) {
            latin.push(name.to_string());
        }
        let aliases = v.get("aliases").and_then(|a| a.as_array());
        let ar = aliases.into_iter().flatten().find_map(|a| {
            let n = a.get("name").and_then(|n| n.as_str()).or(a.as_str())?;
            n.chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
                .then(|| n.to_string())
        });
        arabic.extend(ar);
    }
    (latin, arabic)
}

fn bench_cold(c: &mut Criterion) {
    let names = distinct_names();
    let mut g = c.benchmark_group("translit_cold");
    g.sample_size(10);
    g.throughput(Throughput::Elements(names.len() as u64));
    g.bench_function(
        format!("transliterate/simple/{}_distinct", names.len()),
        |b| {
            b.iter(|| {
                for s in &names {
                    black_box(transliterate(black_box(s), Scheme::Simple));
                }
            })
        },
    );
    g.bench_function(format!("loose_key/{}_distinct", names.len()), |b| {
        b.iter(|| {
            for s in &names {
                black_box(loose_key(black_box(s)));
            }
        })
    });
    let some: Vec<&str> = names.iter().step_by(2).copied().collect();
    let opts = VariantOptions::default();
    let (latin_people, arabic_people) = full_names();
    for (script, people) in [("arabic", &arabic_people), ("latin", &latin_people)] {
        g.throughput(Throughput::Elements(people.len() as u64));
        g.bench_function(
            format!("variants/50/{}_{script}_full_names", people.len()),
            |b| {
                b.iter(|| {
                    for s in people {
                        black_box(variants(black_box(s), &opts));
                    }
                })
            },
        );
    }
    g.throughput(Throughput::Elements(arabic_people.len() as u64));
    g.bench_function(
        format!("transliterate/simple/{}_full_names", arabic_people.len()),
        |b| {
            b.iter(|| {
                for s in &arabic_people {
                    black_box(transliterate(black_box(s), Scheme::Simple));
                }
            })
        },
    );
    g.throughput(Throughput::Elements(some.len() as u64));
    g.bench_function(format!("variants/50/{}_distinct", some.len()), |b| {
        b.iter(|| {
            for s in &some {
                black_box(variants(black_box(s), &opts));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench, bench_cold);
criterion_main!(benches);
