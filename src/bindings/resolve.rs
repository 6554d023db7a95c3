//! compare, Comparison and Candidate (Gazetteer.resolve lives with the Gazetteer class).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::{extract_text, to_py_err};
use crate::gazetteer::Kind;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Comparison>()?;
    m.add_class::<Candidate>()?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    Ok(())
}

/// The result of comparing two names: a calibrated score and the steps that explain it.
#[pyclass(module = "nisba._native", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub(crate) struct Comparison {
    score: f32,
    explanation: Vec<String>,
}

super::value_fields!(Comparison: score, explanation);

#[pymethods]
impl Comparison {
    #[new]
    #[pyo3(signature = (score, explanation))]
    fn new(score: f32, explanation: Vec<String>) -> Comparison {
        Comparison { score, explanation }
    }

    /// Pickle by value: the constructor's arguments.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        super::reduce_fields(slf, slf.get())
    }

    fn __hash__(&self) -> u64 {
        super::hash_of(&(super::float_key(self.score), &self.explanation))
    }

    fn __repr__(&self) -> String {
        format!(
            "Comparison(score={:.3}, explanation={:?})",
            self.score, self.explanation
        )
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        super::dict_of(py, self)
    }
}

/// Compare two names (any script): a score in [0, 1] and an explanation.
#[pyfunction]
fn compare(
    py: Python<'_>,
    a: &Bound<'_, PyString>,
    b: &Bound<'_, PyString>,
) -> PyResult<Comparison> {
    let a = extract_text(py, a)?;
    let b = extract_text(py, b)?;
    let c = crate::compare(&a, &b);
    Ok(Comparison {
        score: c.score,
        explanation: c.explanation,
    })
}

/// An entity a name may denote, with its score and the alias that matched best.
#[pyclass(module = "nisba._native", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub(crate) struct Candidate {
    id: String,
    name: String,
    kind: &'static str,
    score: f32,
    matched_alias: String,
    explanation: Vec<String>,
}

impl From<crate::resolve::Candidate> for Candidate {
    fn from(c: crate::resolve::Candidate) -> Candidate {
        Candidate {
            id: c.id,
            name: c.name,
            kind: c.kind.as_str(),
            score: c.score,
            matched_alias: c.matched_alias,
            explanation: c.explanation,
        }
    }
}

super::value_fields!(Candidate: id, name, kind, score, matched_alias, explanation);

#[pymethods]
impl Candidate {
    #[new]
    #[pyo3(signature = (id, name, kind, score, matched_alias, explanation))]
    fn new(
        py: Python<'_>,
        id: String,
        name: String,
        kind: &str,
        score: f32,
        matched_alias: String,
        explanation: Vec<String>,
    ) -> PyResult<Candidate> {
        let kind = kind.parse::<Kind>().map_err(|e| to_py_err(py, e))?.as_str();
        Ok(Candidate {
            id,
            name,
            kind,
            score,
            matched_alias,
            explanation,
        })
    }

    /// Pickle by value: the constructor's arguments.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        super::reduce_fields(slf, slf.get())
    }

    fn __hash__(&self) -> u64 {
        super::hash_of(&(&self.id, &self.matched_alias, super::float_key(self.score)))
    }

    fn __repr__(&self) -> String {
        format!(
            "Candidate(id={:?}, name={:?}, kind={:?}, score={:.3}, matched_alias={:?})",
            self.id, self.name, self.kind, self.score, self.matched_alias
        )
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        super::dict_of(py, self)
    }
}
