//! Byte offsets (Rust) ↔ code-point offsets (Python).

use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::error::Error;

/// Borrows the UTF-8 text of a Python `str`. A `str` holding a lone surrogate cannot be UTF-8: it is
/// refused with `InvalidInputError` (a `ValueError`) naming the code-point position.
pub(crate) fn extract_text<'a>(
    py: Python<'_>,
    s: &'a Bound<'_, PyString>,
) -> PyResult<std::borrow::Cow<'a, str>> {
    s.to_cow().map_err(|_| {
        super::to_py_err(
            py,
            Error::invalid_input(
                "text holds a lone surrogate, which is not valid Unicode; \
                 clean it first, e.g. text.encode('utf-8', 'replace').decode('utf-8')",
            ),
        )
    })
}

/// Converts byte offsets of one text into code-point offsets. Offsets asked for in increasing order cost
/// O(total length) overall; a step backwards restarts from the beginning.
pub(crate) struct CharOffsets<'a> {
    text: &'a str,
    /// An ASCII text's code-point offsets are its byte offsets.
    ascii: bool,
    byte: usize,
    chars: usize,
}

impl<'a> CharOffsets<'a> {
    /// A converter over `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        CharOffsets {
            text,
            ascii: text.is_ascii(),
            byte: 0,
            chars: 0,
        }
    }

    /// The code-point offset of byte offset `at` (a char boundary of the text).
    pub(crate) fn at(&mut self, at: usize) -> usize {
        if self.ascii {
            return at;
        }
        if at < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        let slice = &self.text.as_bytes()[self.byte..at];
        // Count the bytes that start a character: everything but UTF-8 continuation bytes.
        self.chars += slice.iter().filter(|&&b| (b as i8) >= -0x40).count();
        self.byte = at;
        self.chars
    }
}
