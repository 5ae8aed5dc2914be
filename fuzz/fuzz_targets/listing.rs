//! `cargo fuzz run listing`: see `veille::fuzzing::listing`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| veille::fuzzing::listing(data));
