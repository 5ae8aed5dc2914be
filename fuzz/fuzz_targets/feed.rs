//! `cargo fuzz run feed`: see `veille::fuzzing::feed`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| veille::fuzzing::feed(data));
