#![no_main]
//! libFuzzer target `translit`: see `nisba_fuzz::translit` for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: nisba_fuzz::warm_up(), |data: &[u8]| nisba_fuzz::translit(data));
