//! Core errors → the exception classes of `nisba.errors` (each also a `ValueError` or an `OSError`).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::error::{Error, ErrorKind};

/// Converts a core error into the matching `nisba` exception.
pub(crate) fn to_py_err(py: Python<'_>, err: Error) -> PyErr {
    let class = match err.kind() {
        ErrorKind::InvalidInput { .. } => "InvalidInputError",
        ErrorKind::UnknownValue { .. } => "UnknownValueError",
        ErrorKind::Io { .. } => "NisbaIOError",
        ErrorKind::Parse { .. } => "ParseError",
        ErrorKind::Format { .. } => "FormatError",
        ErrorKind::Version { .. } => "VersionError",
        ErrorKind::Conflict { .. } => "ConflictError",
    };
    let message = err.to_string();
    let errno = match err.kind() {
        ErrorKind::Io { source, .. } => source.raw_os_error(),
        _ => None,
    };
    let build = || -> PyResult<PyErr> {
        let module = py.import("nisba.errors")?;
        let cls = module.getattr(class)?;
        let value = match errno {
            Some(code) => cls.call1((code, message.clone()))?,
            None => cls.call1((message.clone(),))?,
        };
        Ok(PyErr::from_value(value))
    };
    build().unwrap_or_else(|_| PyValueError::new_err(message))
}
