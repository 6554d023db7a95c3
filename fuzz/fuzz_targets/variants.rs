#![no_main]
//! libFuzzer target `variants`: see `nisba_fuzz::variants` for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| nisba_fuzz::variants(data));
