//! Every input a fuzzer ever made crash (`fuzz/regressions/TARGET/*`), run again through the same
//! entry point of `veille::fuzzing` as the fuzz target: a fixed crash stays fixed.

use std::path::Path;

#[test]
fn every_kept_crash_input_runs_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    assert!(root.is_dir(), "{} is missing", root.display());
    let mut ran = 0;
    for (target, entry) in veille::fuzzing::TARGETS {
        let dir = root.join(target);
        let Ok(files) = std::fs::read_dir(&dir) else {
            continue;
        };
        for file in files {
            let path = file.expect("list the regression inputs").path();
            let data = std::fs::read(&path).expect("read a regression input");
            let outcome = std::panic::catch_unwind(|| entry(&data));
            assert!(outcome.is_ok(), "{target}: {} panics again", path.display());
            ran += 1;
        }
    }
    // Without inputs this test would check nothing: each target keeps at least its seed input.
    assert!(ran >= veille::fuzzing::TARGETS.len(), "only {ran} inputs");
}
