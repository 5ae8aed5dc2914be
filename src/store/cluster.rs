//! SQL of story clustering: being written.
