//! `cargo fuzz run extract`: see `veille::fuzzing::extract`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| veille::fuzzing::extract(data));
