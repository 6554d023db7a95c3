//! `normalize` and `tokenize`.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::{extract_text, CharOffsets};
use crate::normalize::NormalizeOptions;
use crate::tokenize::Script;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Token>()?;
    m.add_class::<Stem>()?;
    m.add_function(wrap_pyfunction!(normalize, m)?)?;
    m.add_function(wrap_pyfunction!(tokenize, m)?)?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn options(
    case_fold: bool,
    latin_diacritics: bool,
    arabic_diacritics: bool,
    arabic_letters: bool,
    digits: bool,
    punctuation: bool,
) -> NormalizeOptions {
    NormalizeOptions {
        case_fold,
        latin_diacritics,
        arabic_diacritics,
        arabic_letters,
        digits,
        punctuation,
    }
}

/// Normalise text: Unicode NFKC, case and diacritic folding, Arabic orthography, digits, punctuation.
#[pyfunction]
#[pyo3(signature = (text, *, case_fold=true, latin_diacritics=true, arabic_diacritics=true, arabic_letters=true, digits=true, punctuation=true))]
#[allow(clippy::too_many_arguments)]
fn normalize(
    py: Python<'_>,
    text: &Bound<'_, PyString>,
    case_fold: bool,
    latin_diacritics: bool,
    arabic_diacritics: bool,
    arabic_letters: bool,
    digits: bool,
    punctuation: bool,
) -> PyResult<String> {
    let text = extract_text(py, text)?;
    let text: &str = &text;
    let opts = options(
        case_fold,
        latin_diacritics,
        arabic_diacritics,
        arabic_letters,
        digits,
        punctuation,
    );
    Ok(py.detach(|| crate::normalize_with(text, &opts).into_string()))
}

/// A candidate stem of an Arabic-script word behind its proclitics.
#[pyclass(module = "nisba._native", frozen, eq, hash, get_all, from_py_object)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct Stem {
    start: usize,
    end: usize,
    text: String,
    norm: String,
    proclitics: String,
}

super::value_fields!(Stem: start, end, text, norm, proclitics);

#[pymethods]
impl Stem {
    #[new]
    #[pyo3(signature = (start, end, text, norm, proclitics))]
    fn new(start: usize, end: usize, text: String, norm: String, proclitics: String) -> Stem {
        Stem {
            start,
            end,
            text,
            norm,
            proclitics,
        }
    }

    /// Pickle by value: the constructor's arguments.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        super::reduce_fields(slf, slf.get())
    }

    fn __repr__(&self) -> String {
        format!(
            "Stem(start={}, end={}, text={:?}, norm={:?}, proclitics={:?})",
            self.start, self.end, self.text, self.norm, self.proclitics
        )
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        super::dict_of(py, self)
    }
}

/// A word of the text, with code-point offsets into it.
#[pyclass(module = "nisba._native", frozen, eq, hash, get_all)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct Token {
    start: usize,
    end: usize,
    text: String,
    norm: String,
    capitalized: bool,
    all_caps: bool,
    script: &'static str,
    article: bool,
    possessive: bool,
    stems: Vec<Stem>,
}

/// The script names a `Token` can carry.
fn scripts() -> [&'static str; 4] {
    [Script::Latin, Script::Arabic, Script::Digits, Script::Other].map(|s| s.as_str())
}

super::value_fields!(Token: start, end, text, norm, capitalized, all_caps, script, article, possessive, stems);

#[pymethods]
impl Token {
    #[new]
    #[pyo3(signature = (start, end, text, norm, capitalized, all_caps, script, article, possessive, stems))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        start: usize,
        end: usize,
        text: String,
        norm: String,
        capitalized: bool,
        all_caps: bool,
        script: &str,
        article: bool,
        possessive: bool,
        stems: Vec<Stem>,
    ) -> PyResult<Token> {
        Ok(Token {
            start,
            end,
            text,
            norm,
            capitalized,
            all_caps,
            script: super::intern(py, "script", script, &scripts())?,
            article,
            possessive,
            stems,
        })
    }

    /// Pickle by value: the constructor's arguments.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        super::reduce_fields(slf, slf.get())
    }

    fn __repr__(&self) -> String {
        format!(
            "Token(start={}, end={}, text={:?}, norm={:?}, script={:?})",
            self.start, self.end, self.text, self.norm, self.script
        )
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = super::dict_of(py, self)?;
        let stems = self
            .stems
            .iter()
            .map(|s| s.to_dict(py))
            .collect::<PyResult<Vec<_>>>()?;
        d.set_item("stems", stems)?;
        Ok(d)
    }
}

/// Split text into words with code-point offsets, Latin articles and Arabic clitic stems.
#[pyfunction]
#[pyo3(signature = (text, *, case_fold=true, latin_diacritics=true, arabic_diacritics=true, arabic_letters=true, digits=true, punctuation=true))]
#[allow(clippy::too_many_arguments)]
fn tokenize(
    py: Python<'_>,
    text: &Bound<'_, PyString>,
    case_fold: bool,
    latin_diacritics: bool,
    arabic_diacritics: bool,
    arabic_letters: bool,
    digits: bool,
    punctuation: bool,
) -> PyResult<Vec<Token>> {
    let text = extract_text(py, text)?;
    let text: &str = &text;
    let opts = options(
        case_fold,
        latin_diacritics,
        arabic_diacritics,
        arabic_letters,
        digits,
        punctuation,
    );
    Ok(py.detach(|| {
        let (_, tokens) = crate::tokenize_with(text, &opts);
        let mut offsets = CharOffsets::new(text);
        tokens
            .into_iter()
            .map(|t| {
                let start = offsets.at(t.span.start);
                let end = offsets.at(t.span.end);
                let stems = t
                    .stems
                    .iter()
                    .map(|s| {
                        // Stems lie inside their token: count from the token's start.
                        let from = |b: usize| start + text[t.span.start..b].chars().count();
                        Stem {
                            start: from(s.span.start),
                            end: from(s.span.end),
                            text: text[s.span.clone()].to_string(),
                            norm: s.norm.clone(),
                            proclitics: s.proclitics.clone(),
                        }
                    })
                    .collect();
                Token {
                    start,
                    end,
                    text: text[t.span.clone()].to_string(),
                    norm: t.norm,
                    capitalized: t.capitalized,
                    all_caps: t.all_caps,
                    script: t.script.as_str(),
                    article: t.article,
                    possessive: t.possessive,
                    stems,
                }
            })
            .collect()
    }))
}
