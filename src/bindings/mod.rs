//! Python bindings (feature `python`): thin wrappers that convert types and errors, nothing else.
//!
//! Strings cross the boundary once per call; long calls run inside `py.detach` so other Python threads
//! keep going. Byte spans from the core become code-point offsets here ([`offsets::CharOffsets`]).

use pyo3::prelude::*;

mod errors;
mod gazetteer;
mod link;
mod names;
mod offsets;
mod resolve;
mod text;

pub(crate) use errors::to_py_err;
pub(crate) use offsets::{extract_text, CharOffsets};

/// The compiled part of the `nisba` Python package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", crate::VERSION)?;
    text::register(m)?;
    names::register(m)?;
    gazetteer::register(m)?;
    resolve::register(m)?;
    link::register(m)?;
    #[cfg(feature = "cli")]
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    Ok(())
}

/// Runs the `nisba` command line with `argv` (program name first) and returns its exit code.
#[cfg(feature = "cli")]
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(|| crate::cli::run(argv))
}
