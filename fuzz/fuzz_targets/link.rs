#![no_main]
//! libFuzzer target `link`: see `nisba_fuzz::link` for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: nisba_fuzz::warm_up(), |data: &[u8]| nisba_fuzz::link(data));
