//! Time versus input size for the three text paths — normalise + tokenise, link (default gazetteer),
//! transliterate (ALA-LC) — on one long single-line document made of our own news-style sentences
//! (Latin and Arabic mixed). Linear behaviour shows as constant throughput across sizes;
//! benches/report.py plots it. `NISBA_BENCH_QUICK=1` uses fewer, smaller sizes.
//! Run with `cargo bench --bench scaling`.

mod alloc;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use nisba::{Gazetteer, Linker, Scheme};

/// Our own sentences (not from any corpus): Latin news, then Arabic news, one line.
const UNIT: &str = "Prime Minister Mustafa al-Kadhimi met Qais al-Khazali in Erbil on Tuesday, \
    and the PMF denied any role in Basra. وقال الكاظمي في بغداد إن الحشد الشعبي ملتزم بالتهدئة. ";

fn sizes() -> Vec<usize> {
    if std::env::var_os("NISBA_BENCH_QUICK").is_some() {
        vec![16 << 10, 128 << 10, 1 << 20]
    } else {
        vec![16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20]
    }
}

fn text_of(bytes: usize) -> String {
    let mut t = UNIT.repeat(bytes / UNIT.len() + 1);
    let mut end = bytes;
    while !t.is_char_boundary(end) {
        end -= 1;
    }
    t.truncate(end);
    t
}

fn bench(c: &mut Criterion) {
    let linker = Linker::new(Gazetteer::default_embedded());
    let texts: Vec<(usize, String)> = sizes().into_iter().map(|n| (n, text_of(n))).collect();
    let mut group = c.benchmark_group("scaling");
    group.sample_size(10);
    for (n, text) in &texts {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("normalize+tokenize", n), text, |b, t| {
            b.iter(|| nisba::tokenize(black_box(t)).len())
        });
        group.bench_with_input(BenchmarkId::new("link", n), text, |b, t| {
            b.iter(|| linker.link(black_box(t)).len())
        });
        group.bench_with_input(BenchmarkId::new("transliterate", n), text, |b, t| {
            b.iter(|| nisba::transliterate(black_box(t), Scheme::AlaLc).text.len())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
