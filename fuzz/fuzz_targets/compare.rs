#![no_main]
//! libFuzzer target `compare`: see `nisba_fuzz::compare` for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: nisba_fuzz::warm_up(), |data: &[u8]| nisba_fuzz::compare(data));
