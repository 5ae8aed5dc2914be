//! Benchmark of tagging: being written.

fn main() {}
