//! Topic tagging: being written.
