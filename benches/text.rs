//! Stage 1 throughput: normalise + tokenise on Latin news text and on Arabic text.
//! Run with `cargo bench --bench text`; figures go in benches/README.md.

mod alloc;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

/// Our own news-style sentences (not taken from any corpus), repeated to ~1 MB.
const LATIN: &str =
    "Iraqi Prime Minister Mustafa al-Kadhimi met Kurdish leaders in Erbil on Tuesday, \
    his office said, a day after militia leader Qais al-Khazali criticised the government. \
    The Popular Mobilization Forces (PMF), known in Arabic as al-Hashd al-Shaabi, denied any role. \
    Officials in Baghdad’s Green Zone said the talks would resume next week. ";
const ARABIC: &str =
    "قال رئيس الوزراء العراقي مصطفى الكاظمي إن الحكومة ستواصل الحوار مع القوى السياسية \
    في بغداد وأربيل، فيما نفت هيئة الحشد الشعبي أي علاقة لها بالهجوم الذي استهدف المنطقة الخضراء. \
    وقال قيس الخزعلي للصحفيين إنّ الفصائل ملتزمة بالتهدئة. ";

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("normalize+tokenize");
    for (name, unit) in [("latin", LATIN), ("arabic", ARABIC)] {
        let text = unit.repeat(1_000_000 / unit.len() + 1);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| b.iter(|| nisba::tokenize(black_box(&text)).len()));
        group.bench_function(format!("{name}/normalize-only"), |b| {
            b.iter(|| nisba::normalize(black_box(&text)).len())
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
