#![no_main]
//! libFuzzer target `text`: see `nisba_fuzz::text` for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(init: nisba_fuzz::warm_up(), |data: &[u8]| nisba_fuzz::text(data));
