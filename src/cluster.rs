//! Story clustering: being written.
