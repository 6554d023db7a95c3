//! Linker and Mention.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::gazetteer::{with_gz, AnyGazetteer, Gazetteer};
use super::{extract_text, to_py_err, CharOffsets};
use crate::gazetteer::Kind;
use crate::link::{LinkerBuilder, LinkerCaches};
use std::sync::Arc;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Mention>()?;
    m.add_class::<Linker>()?;
    Ok(())
}

/// A mention of a known entity in a text, with code-point offsets into it.
#[pyclass(module = "nisba._native", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub(crate) struct Mention {
    start: usize,
    end: usize,
    text: String,
    /// None for an unlinked name (`include_unlinked=True`).
    id: Option<String>,
    name: String,
    kind: &'static str,
    score: f32,
    explanation: Vec<String>,
    candidates: Vec<(String, f32)>,
}

super::value_fields!(Mention: start, end, text, id, name, kind, score, explanation, candidates);

#[pymethods]
impl Mention {
    #[new]
    #[pyo3(signature = (start, end, text, id, name, kind, score, explanation, candidates))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        start: usize,
        end: usize,
        text: String,
        id: Option<String>,
        name: String,
        kind: &str,
        score: f32,
        explanation: Vec<String>,
        candidates: Vec<(String, f32)>,
    ) -> PyResult<Mention> {
        let kind = kind.parse::<Kind>().map_err(|e| to_py_err(py, e))?.as_str();
        Ok(Mention {
            start,
            end,
            text,
            id,
            name,
            kind,
            score,
            explanation,
            candidates,
        })
    }

    /// Pickle by value: the constructor's arguments.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        super::reduce_fields(slf, slf.get())
    }

    fn __hash__(&self) -> u64 {
        super::hash_of(&(self.start, self.end, &self.id, super::float_key(self.score)))
    }

    fn __repr__(&self) -> String {
        format!(
            "Mention(start={}, end={}, text={:?}, id={}, name={:?}, kind={:?}, score={:.3})",
            self.start,
            self.end,
            self.text,
            self.id
                .as_ref()
                .map_or("None".to_string(), |id| format!("{id:?}")),
            self.name,
            self.kind,
            self.score
        )
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        super::dict_of(py, self)
    }
}

fn convert(text: &str, mentions: Vec<crate::link::Mention>) -> Vec<Mention> {
    let mut offsets = CharOffsets::new(text);
    mentions
        .into_iter()
        .map(|m| Mention {
            start: offsets.at(m.span.start),
            end: offsets.at(m.span.end),
            text: m.text,
            id: Some(m.id).filter(|id| !id.is_empty()),
            name: m.name,
            kind: m.kind.as_str(),
            score: m.score,
            explanation: m.explanation,
            candidates: m.candidates,
        })
        .collect()
}

/// Finds mentions of a gazetteer's entities in text (the embedded default when `gz` is None).
#[pyclass(module = "nisba._native", frozen)]
pub(crate) struct Linker {
    gz: Gazetteer,
    cfg: LinkerBuilder,
    /// The core linker's cross-document work (variant lookups, gazetteer memos), kept across calls.
    /// The core `Linker` borrows its gazetteer, so a cheap one is built per call over `gz` with these
    /// caches; they hold no borrow, and `gz` and `cfg` never change, which is what they depend on.
    caches: Arc<LinkerCaches>,
    score_cutoff: f32,
    kinds: Option<Vec<&'static str>>,
    include_unlinked: bool,
    fuzzy: bool,
}

#[pymethods]
impl Linker {
    #[new]
    #[pyo3(signature = (gz=None, *, score_cutoff=0.5, kinds=None, include_unlinked=false, fuzzy=true))]
    fn new(
        py: Python<'_>,
        gz: Option<PyRef<'_, Gazetteer>>,
        score_cutoff: f32,
        kinds: Option<Vec<String>>,
        include_unlinked: bool,
        fuzzy: bool,
    ) -> PyResult<Linker> {
        let mut cfg = LinkerBuilder::new();
        cfg.score_cutoff(score_cutoff)
            .include_unlinked(include_unlinked)
            .fuzzy(fuzzy);
        let kinds = match kinds {
            Some(ks) => {
                let parsed = ks
                    .iter()
                    .map(|k| k.parse::<Kind>())
                    .collect::<crate::Result<Vec<_>>>()
                    .map_err(|e| to_py_err(py, e))?;
                cfg.kinds(&parsed);
                Some(parsed.iter().map(|k| k.as_str()).collect())
            }
            None => None,
        };
        Ok(Linker {
            gz: gz.map_or_else(Gazetteer::embedded, |g| g.clone()),
            cfg,
            caches: Arc::default(),
            score_cutoff,
            kinds,
            include_unlinked,
            fuzzy,
        })
    }

    /// The gazetteer this linker reads.
    #[getter]
    fn gazetteer(&self) -> Gazetteer {
        self.gz.clone()
    }

    /// Mentions in `text`, in order, with code-point offsets (`text[m.start:m.end] == m.text`).
    fn link(&self, py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<Vec<Mention>> {
        let text = extract_text(py, text)?;
        let text: &str = &text;
        let inner = self.gz.inner.clone();
        let cfg = &self.cfg;
        let caches = &self.caches;
        Ok(py.detach(|| {
            let mentions = with_gz!(&*inner, g => cfg.build_sharing(g, caches.clone()).link(text));
            convert(text, mentions)
        }))
    }

    /// `link(text)` wrapped in a `nisba.Document`, which Jupyter shows with the mentions highlighted.
    fn annotate<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mentions = self.link(py, text)?;
        let document = py.import("nisba._document")?.getattr("Document")?;
        document.call1((text, mentions))
    }

    /// Link many texts in parallel in Rust, with the GIL released.
    #[pyo3(signature = (texts, *, threads=None))]
    fn link_batch(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        threads: Option<usize>,
    ) -> PyResult<Vec<Vec<Mention>>> {
        use rayon::prelude::*;
        let inner = self.gz.inner.clone();
        let cfg = &self.cfg;
        let caches = &self.caches;
        let run = || -> Vec<Vec<Mention>> {
            with_gz!(&*inner, g => {
                let linker = cfg.build_sharing(g, caches.clone());
                if texts.len() > 1 {
                    linker.share_memos(rayon::current_num_threads().min(texts.len()));
                }
                texts.par_iter().map(|t| convert(t, linker.link(t))).collect()
            })
        };
        py.detach(|| super::in_pool(threads, run))
            .map_err(|e| to_py_err(py, e))
    }

    fn __repr__(&self) -> String {
        format!(
            "Linker(score_cutoff={}, kinds={:?}, fuzzy={})",
            self.score_cutoff, self.kinds, self.fuzzy
        )
    }

    /// Pickle as the gazetteer (by path, bytes or as the default) plus the options.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let me = slf.get();
        let cls = py.import("nisba._native")?.getattr("Linker")?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("score_cutoff", me.score_cutoff)?;
        kwargs.set_item("kinds", me.kinds.clone())?;
        kwargs.set_item("include_unlinked", me.include_unlinked)?;
        kwargs.set_item("fuzzy", me.fuzzy)?;
        let functools = py.import("functools")?;
        let ctor = functools.getattr("partial")?.call((cls,), Some(&kwargs))?;
        let gz = match &*me.gz.inner {
            AnyGazetteer::Static(_) => py.None().into_bound(py),
            _ => Bound::new(py, me.gz.clone())?.into_any(),
        };
        (ctor, (gz,)).into_pyobject(py).map(|t| t.into_any())
    }
}
