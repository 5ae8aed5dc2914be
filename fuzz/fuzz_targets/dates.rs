//! `cargo fuzz run dates`: see `veille::fuzzing::dates`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| veille::fuzzing::dates(data));
