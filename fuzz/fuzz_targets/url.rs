//! `cargo fuzz run url`: see `veille::fuzzing::url`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| veille::fuzzing::url(data));
