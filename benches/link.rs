//! Linking throughput (characters per second) with the default gazetteer on Latin news text.
//! Run with `cargo bench --bench link`. `latin-news-chars` is the default linker (fuzzy lookups on);
//! `…-exact+variant` turns them off.

mod alloc;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use nisba::{Gazetteer, Linker};

/// Our own news-style sentences (not taken from any corpus).
const LATIN: &str =
    "Iraqi Prime Minister Mustafa al-Kadhimi met Kurdish leaders in Erbil on Tuesday, \
    his office said, a day after militia leader Qais al-Khazali criticised the government. \
    The Popular Mobilization Forces (PMF), known as al-Hashd al-Shaabi, denied any role. \
    Officials in Baghdad said Kadhimi would travel to Tehran and Riyadh next week, \
    while the U.S. Embassy urged calm and Reuters reported new protests in Basra. ";

fn bench(c: &mut Criterion) {
    let linker = Linker::new(Gazetteer::default_embedded());
    let text = LATIN.repeat(40);
    let mut group = c.benchmark_group("link");
    group.throughput(Throughput::Elements(text.chars().count() as u64));
    group.bench_function("latin-news-chars", |b| {
        b.iter(|| linker.link(black_box(&text)).len())
    });
    // The exact + variant path alone (no edit-distance lookups).
    let no_fuzzy = nisba::LinkerBuilder::new()
        .fuzzy(false)
        .build(Gazetteer::default_embedded());
    group.bench_function("latin-news-chars-exact+variant", |b| {
        b.iter(|| no_fuzzy.link(black_box(&text)).len())
    });
    let docs: Vec<&str> = std::iter::repeat_n(LATIN, 64).collect();
    group.throughput(Throughput::Elements(
        docs.iter().map(|d| d.chars().count() as u64).sum(),
    ));
    group.bench_function("latin-news-batch-chars", |b| {
        b.iter(|| linker.link_batch(black_box(&docs)).len())
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
