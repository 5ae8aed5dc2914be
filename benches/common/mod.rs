//! What the benchmarks share: precision, recall and F1 from pair or label counts.

/// Precision, recall and F1 of `tp` true positives, `fp` false positives and `fn_` false
/// negatives. An empty denominator means nothing was wrong: 1.0.
pub fn scores(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    (precision, recall, f1)
}
