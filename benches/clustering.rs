//! Benchmark of clustering: being written.

fn main() {}
