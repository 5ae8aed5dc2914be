//! `cargo fuzz run rules`: see `veille::fuzzing::rules`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| veille::fuzzing::rules(data));
