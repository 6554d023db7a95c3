#![no_main]
//! libFuzzer target `gazetteer`: see `nisba_fuzz::gazetteer` for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| nisba_fuzz::gazetteer(data));
