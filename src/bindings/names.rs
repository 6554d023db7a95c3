//! Stage 2 wrappers: transliterate, to_arabic, variants, keys, parse_name.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::{extract_text, to_py_err};
use crate::names::Role;
use crate::translit::Scheme;
use crate::variants::{Region, VariantOptions};

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Variant>()?;
    m.add_class::<NamePart>()?;
    m.add_function(wrap_pyfunction!(transliterate, m)?)?;
    m.add_function(wrap_pyfunction!(transliterate_batch, m)?)?;
    m.add_function(wrap_pyfunction!(to_arabic, m)?)?;
    m.add_function(wrap_pyfunction!(variants, m)?)?;
    m.add_function(wrap_pyfunction!(key, m)?)?;
    m.add_function(wrap_pyfunction!(parse_name, m)?)?;
    Ok(())
}

fn parse<T: std::str::FromStr<Err = crate::Error>>(py: Python<'_>, s: &str) -> PyResult<T> {
    s.parse::<T>().map_err(|e| to_py_err(py, e))
}

fn translit_one(
    text: &str,
    scheme: Scheme,
    reverse: bool,
) -> crate::Result<(String, &'static str)> {
    if reverse {
        if scheme != Scheme::Buckwalter {
            return Err(crate::Error::invalid_input(
                "reverse=True is only defined for the lossless buckwalter scheme",
            ));
        }
        return Ok((crate::buckwalter_decode(text)?, "rules"));
    }
    let t = crate::transliterate(text, scheme);
    Ok((t.text, t.source.as_str()))
}

/// Arabic script → Latin in a named scheme (ala-lc, din, buckwalter, simple, french).
#[pyfunction]
#[pyo3(signature = (text, scheme="simple", *, reverse=false, detail=false))]
fn transliterate(
    py: Python<'_>,
    text: &Bound<'_, PyString>,
    scheme: &str,
    reverse: bool,
    detail: bool,
) -> PyResult<Py<PyAny>> {
    let text = extract_text(py, text)?;
    let scheme: Scheme = parse(py, scheme)?;
    let (out, source) = translit_one(&text, scheme, reverse).map_err(|e| to_py_err(py, e))?;
    if detail {
        Ok((out, source).into_pyobject(py)?.into_any().unbind())
    } else {
        Ok(out.into_pyobject(py)?.into_any().unbind())
    }
}

/// Transliterate many texts in parallel (GIL released; `threads=None`: all cores).
#[pyfunction]
#[pyo3(signature = (texts, scheme="simple", *, reverse=false, threads=None))]
fn transliterate_batch(
    py: Python<'_>,
    texts: Vec<String>,
    scheme: &str,
    reverse: bool,
    threads: Option<usize>,
) -> PyResult<Vec<String>> {
    use rayon::prelude::*;
    let scheme: Scheme = parse(py, scheme)?;
    py.detach(|| {
        super::in_pool(threads, || {
            texts
                .par_iter()
                .map(|t| translit_one(t, scheme, reverse).map(|(s, _)| s))
                .collect::<crate::Result<Vec<_>>>()
        })
        .and_then(|r| r)
    })
    .map_err(|e| to_py_err(py, e))
}

/// Ranked Arabic-script spellings of a Latin name, as (text, score) pairs.
#[pyfunction]
#[pyo3(signature = (name, *, limit=5))]
fn to_arabic(
    py: Python<'_>,
    name: &Bound<'_, PyString>,
    limit: usize,
) -> PyResult<Vec<(String, f32)>> {
    let name = extract_text(py, name)?;
    Ok(crate::to_arabic(&name, limit)
        .into_iter()
        .map(|s| (s.text, s.score))
        .collect())
}

/// A spelling of a name with its score and the rules that produced it.
#[pyclass(module = "nisba._native", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub(crate) struct Variant {
    text: String,
    score: f32,
    rules: Vec<String>,
}

super::value_fields!(Variant: text, score, rules);

#[pymethods]
impl Variant {
    #[new]
    #[pyo3(signature = (text, score, rules))]
    fn new(text: String, score: f32, rules: Vec<String>) -> Variant {
        Variant { text, score, rules }
    }

    /// Pickle by value: the constructor's arguments.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        super::reduce_fields(slf, slf.get())
    }

    fn __hash__(&self) -> u64 {
        super::hash_of(&(&self.text, super::float_key(self.score), &self.rules))
    }

    fn __repr__(&self) -> String {
        format!(
            "Variant(text={:?}, score={:.3}, rules={:?})",
            self.text, self.score, self.rules
        )
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        super::dict_of(py, self)
    }
}

/// Plausible spellings of a name across conventions, best first.
#[pyfunction]
#[pyo3(signature = (name, *, limit=50, region=None))]
fn variants(
    py: Python<'_>,
    name: &Bound<'_, PyString>,
    limit: usize,
    region: Option<&str>,
) -> PyResult<Vec<Variant>> {
    let name = extract_text(py, name)?;
    let region: Option<Region> = region.map(|r| parse(py, r)).transpose()?;
    let opts = VariantOptions { limit, region };
    Ok(crate::variants(&name, &opts)
        .into_iter()
        .map(|v| Variant {
            text: v.text,
            score: v.score,
            rules: v.rules.iter().map(|r| r.to_string()).collect(),
        })
        .collect())
}

/// The cross-script key of a name: `tier="loose"` (default) or `"strict"`.
#[pyfunction]
#[pyo3(signature = (name, *, tier="loose"))]
fn key(py: Python<'_>, name: &Bound<'_, PyString>, tier: &str) -> PyResult<String> {
    let name = extract_text(py, name)?;
    match tier {
        "loose" => Ok(crate::loose_key(&name)),
        "strict" => Ok(crate::strict_key(&name)),
        other => Err(to_py_err(
            py,
            crate::Error::unknown_value("key tier", other, &["loose", "strict"]),
        )),
    }
}

/// One part of a parsed name, with its role.
#[pyclass(module = "nisba._native", frozen, eq, hash, get_all)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct NamePart {
    text: String,
    norm: String,
    role: &'static str,
    article: bool,
    particle: Option<String>,
    start: usize,
    end: usize,
}

/// The role names a `NamePart` can carry.
fn roles() -> [&'static str; 9] {
    [
        Role::Title,
        Role::Given,
        Role::Kunya,
        Role::Nasab,
        Role::Theophoric,
        Role::Nisba,
        Role::Family,
        Role::Particle,
        Role::Initial,
    ]
    .map(|r| r.as_str())
}

super::value_fields!(NamePart: text, norm, role, article, particle, start, end);

#[pymethods]
impl NamePart {
    #[new]
    #[pyo3(signature = (text, norm, role, article, particle, start, end))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        text: String,
        norm: String,
        role: &str,
        article: bool,
        particle: Option<String>,
        start: usize,
        end: usize,
    ) -> PyResult<NamePart> {
        Ok(NamePart {
            text,
            norm,
            role: super::intern(py, "name role", role, &roles())?,
            article,
            particle,
            start,
            end,
        })
    }

    /// Pickle by value: the constructor's arguments.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        super::reduce_fields(slf, slf.get())
    }

    fn __repr__(&self) -> String {
        format!(
            "NamePart(text={:?}, role={:?}, norm={:?})",
            self.text, self.role, self.norm
        )
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        super::dict_of(py, self)
    }
}

/// The parts of a personal name with their roles (title, given, kunya, nasab, theophoric, nisba…).
#[pyfunction]
fn parse_name(py: Python<'_>, name: &Bound<'_, PyString>) -> PyResult<Vec<NamePart>> {
    let name = extract_text(py, name)?;
    let name: &str = &name;
    let mut offsets = super::CharOffsets::new(name);
    Ok(crate::parse_name(name)
        .parts
        .into_iter()
        .map(|p| NamePart {
            start: offsets.at(p.span.start),
            end: offsets.at(p.span.end),
            text: p.text,
            norm: p.norm,
            role: p.role.as_str(),
            article: p.article,
            particle: p.particle,
        })
        .collect())
}
