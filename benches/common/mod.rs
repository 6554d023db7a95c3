//! Shared by the benches that build a synthetic gazetteer (`gazetteer`, `resolve`).

use nisba::gazetteer::{Entity, GazetteerBuilder};

/// Name forms to build (`NISBA_BENCH_FORMS`, default 1 M); each synthetic entity has four.
pub fn forms() -> usize {
    std::env::var("NISBA_BENCH_FORMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000)
}

/// The bytes of a gazetteer of entities `entity(1..=count)`, built reproducibly (build time 0).
pub fn build(count: u64, entity: impl Fn(u64) -> Entity) -> Vec<u8> {
    let mut b = GazetteerBuilder::new();
    b.build_time(0);
    for i in 1..=count {
        b.add(entity(i)).unwrap();
    }
    b.to_bytes().unwrap()
}
