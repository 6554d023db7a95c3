//! Gazetteer, GazetteerBuilder and Entity.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString, PyType};

use super::{extract_text, to_py_err};
use crate::gazetteer::sources::{self, SourceFormat, SourceOptions};
use crate::gazetteer::{
    Alias, Entity as CoreEntity, EntityRef, Gazetteer as CoreGazetteer,
    GazetteerBuilder as CoreBuilder, Kind,
};

/// The storage behind a Python `Gazetteer`: a memory-mapped file, owned bytes, or the embedded default.
pub(crate) enum AnyGazetteer {
    Mapped(CoreGazetteer<memmap2::Mmap>),
    Owned(CoreGazetteer<Vec<u8>>),
    Static(&'static CoreGazetteer<&'static [u8]>),
}

/// Runs `$body` with `$g` bound to the concrete gazetteer.
macro_rules! with_gz {
    ($any:expr, $g:ident => $body:expr) => {
        match $any {
            AnyGazetteer::Mapped($g) => $body,
            AnyGazetteer::Owned($g) => $body,
            AnyGazetteer::Static($g) => $body,
        }
    };
}
pub(crate) use with_gz;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Entity>()?;
    m.add_class::<Gazetteer>()?;
    m.add_class::<GazetteerBuilder>()?;
    Ok(())
}

/// An entity with its names and attributes.
#[pyclass(module = "nisba._native", frozen, eq, get_all)]
#[derive(Clone, PartialEq)]
pub(crate) struct Entity {
    id: String,
    name: String,
    kind: &'static str,
    aliases: Vec<String>,
    weak_aliases: Vec<String>,
    countries: Vec<String>,
    qid: Option<String>,
    geonames_id: Option<u64>,
    prior: f32,
    population: Option<u64>,
    description: Option<String>,
    source: Option<String>,
}

impl Entity {
    pub(crate) fn from_ref(e: &EntityRef<'_>) -> Entity {
        let (mut aliases, mut weak) = (Vec::new(), Vec::new());
        for (name, is_weak, _) in e.aliases() {
            if is_weak {
                weak.push(name.to_string());
            } else {
                aliases.push(name.to_string());
            }
        }
        Entity {
            id: e.id().to_string(),
            name: e.name().to_string(),
            kind: e.kind().as_str(),
            aliases,
            weak_aliases: weak,
            countries: e.countries().map(str::to_string).collect(),
            qid: e.qid().map(str::to_string),
            geonames_id: e.geonames_id(),
            prior: e.prior(),
            population: e.population(),
            description: e.description().map(str::to_string),
            source: e.source().map(str::to_string),
        }
    }
}

super::value_fields!(Entity: id, name, kind, aliases, weak_aliases, countries, qid, geonames_id, prior, population, description, source);

#[pymethods]
impl Entity {
    #[new]
    #[pyo3(signature = (id, name, kind="OTHER", *, aliases=Vec::new(), weak_aliases=Vec::new(), countries=Vec::new(), qid=None, geonames_id=None, prior=0.0, population=None, description=None, source=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        id: String,
        name: String,
        kind: &str,
        aliases: Vec<String>,
        weak_aliases: Vec<String>,
        countries: Vec<String>,
        qid: Option<String>,
        geonames_id: Option<u64>,
        prior: f32,
        population: Option<u64>,
        description: Option<String>,
        source: Option<String>,
    ) -> PyResult<Entity> {
        let kind = kind.parse::<Kind>().map_err(|e| to_py_err(py, e))?.as_str();
        Ok(Entity {
            id,
            name,
            kind,
            aliases,
            weak_aliases,
            countries,
            qid,
            geonames_id,
            prior,
            population,
            description,
            source,
        })
    }

    /// Pickle by value: the fields as constructor keywords.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let kwargs = slf.get().to_dict(py)?;
        for positional in ["id", "name", "kind"] {
            kwargs.del_item(positional)?;
        }
        let e = slf.get();
        let ctor = py
            .import("functools")?
            .getattr("partial")?
            .call((slf.get_type(),), Some(&kwargs))?;
        (ctor, (e.id.clone(), e.name.clone(), e.kind))
            .into_pyobject(py)
            .map(|t| t.into_any())
    }

    fn __repr__(&self) -> String {
        format!(
            "Entity(id={:?}, name={:?}, kind={:?})",
            self.id, self.name, self.kind
        )
    }

    fn __hash__(&self) -> u64 {
        super::hash_of(&self.id)
    }

    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        super::dict_of(py, self)
    }
}

/// A compiled gazetteer: entities and their names in FST indexes.
#[pyclass(module = "nisba._native", frozen)]
#[derive(Clone)]
pub(crate) struct Gazetteer {
    pub(crate) inner: Arc<AnyGazetteer>,
}

impl Gazetteer {
    pub(crate) fn embedded() -> Gazetteer {
        static DEFAULT: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
        DEFAULT
            .get_or_init(|| Gazetteer {
                inner: Arc::new(AnyGazetteer::Static(crate::default::gazetteer())),
            })
            .clone()
    }

    fn entities(&self, idxs: Vec<u32>) -> Vec<Entity> {
        with_gz!(&*self.inner, g => idxs.into_iter().map(|i| Entity::from_ref(&g.entity(i))).collect())
    }
}

#[pymethods]
impl Gazetteer {
    /// The embedded default gazetteer (places, countries, persons and organisations of the region).
    #[classmethod]
    fn default(_cls: &Bound<'_, PyType>) -> Gazetteer {
        Gazetteer::embedded()
    }

    /// Open a gazetteer file by memory map.
    #[classmethod]
    fn open(_cls: &Bound<'_, PyType>, py: Python<'_>, path: PathBuf) -> PyResult<Gazetteer> {
        let g = py
            .detach(|| CoreGazetteer::open(&path))
            .map_err(|e| to_py_err(py, e))?;
        Ok(Gazetteer {
            inner: Arc::new(AnyGazetteer::Mapped(g)),
        })
    }

    /// A gazetteer from the bytes of a gazetteer file.
    #[classmethod]
    fn from_bytes(_cls: &Bound<'_, PyType>, py: Python<'_>, data: Vec<u8>) -> PyResult<Gazetteer> {
        let g = CoreGazetteer::from_bytes(data).map_err(|e| to_py_err(py, e))?;
        Ok(Gazetteer {
            inner: Arc::new(AnyGazetteer::Owned(g)),
        })
    }

    /// Build an in-memory gazetteer from JSONL entity records.
    #[classmethod]
    fn from_jsonl(cls: &Bound<'_, PyType>, py: Python<'_>, path: PathBuf) -> PyResult<Gazetteer> {
        from_source(cls, py, SourceFormat::Jsonl, path)
    }

    /// Build an in-memory gazetteer from a CSV file (columns id, name, kind, aliases with `|`).
    #[classmethod]
    fn from_csv(cls: &Bound<'_, PyType>, py: Python<'_>, path: PathBuf) -> PyResult<Gazetteer> {
        from_source(cls, py, SourceFormat::Csv, path)
    }

    /// Build an in-memory gazetteer from Wikidata JSON dump lines (plain, .gz or .bz2).
    #[classmethod]
    fn from_wikidata(
        cls: &Bound<'_, PyType>,
        py: Python<'_>,
        path: PathBuf,
    ) -> PyResult<Gazetteer> {
        from_source(cls, py, SourceFormat::Wikidata, path)
    }

    /// Build an in-memory gazetteer from GeoNames rows (allCountries/citiesN or countryInfo).
    #[classmethod]
    fn from_geonames(
        cls: &Bound<'_, PyType>,
        py: Python<'_>,
        path: PathBuf,
    ) -> PyResult<Gazetteer> {
        from_source(cls, py, SourceFormat::Geonames, path)
    }

    /// Build an in-memory gazetteer from OpenSanctions FollowTheMoney entity lines.
    #[classmethod]
    fn from_ftm(cls: &Bound<'_, PyType>, py: Python<'_>, path: PathBuf) -> PyResult<Gazetteer> {
        from_source(cls, py, SourceFormat::Ftm, path)
    }

    fn __len__(&self) -> usize {
        with_gz!(&*self.inner, g => g.len())
    }

    fn __contains__(&self, id: &str) -> bool {
        with_gz!(&*self.inner, g => g.contains(id))
    }

    fn __getitem__(&self, py: Python<'_>, id: &str) -> PyResult<Entity> {
        self.get(id).ok_or_else(|| {
            let _ = py;
            pyo3::exceptions::PyKeyError::new_err(id.to_string())
        })
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let all: Vec<Entity> =
            with_gz!(&*slf.inner, g => g.iter().map(|e| Entity::from_ref(&e)).collect());
        Ok(pyo3::types::PyList::new(py, all)?
            .try_iter()?
            .into_any()
            .unbind())
    }

    fn __repr__(&self) -> String {
        let (n, path) =
            with_gz!(&*self.inner, g => (g.len(), g.path().map(|p| p.display().to_string())));
        match path {
            Some(p) => format!("Gazetteer({n} entities, path={p:?})"),
            None => format!("Gazetteer({n} entities)"),
        }
    }

    /// The entity with this id, or None.
    fn get(&self, id: &str) -> Option<Entity> {
        with_gz!(&*self.inner, g => g.get(id).map(|e| Entity::from_ref(&e)))
    }

    /// Entities with exactly this name (after normalisation).
    fn lookup(&self, py: Python<'_>, name: &Bound<'_, PyString>) -> PyResult<Vec<Entity>> {
        let name = extract_text(py, name)?;
        let idxs = with_gz!(&*self.inner, g => g.lookup(&name));
        Ok(self.entities(idxs))
    }

    /// Entities whose keys are within `max_edits` of the name's key (unscored).
    #[pyo3(signature = (name, max_edits=1))]
    fn candidates(
        &self,
        py: Python<'_>,
        name: &Bound<'_, PyString>,
        max_edits: u32,
    ) -> PyResult<Vec<Entity>> {
        let name = extract_text(py, name)?;
        let idxs = with_gz!(&*self.inner, g => g.candidates(&name, max_edits));
        Ok(self.entities(idxs))
    }

    /// Entities a name may denote, best first, with calibrated scores and explanations.
    #[pyo3(signature = (name, *, limit=10, score_cutoff=0.0, kind=None, country=None))]
    fn resolve(
        &self,
        py: Python<'_>,
        name: &Bound<'_, PyString>,
        limit: usize,
        score_cutoff: f32,
        kind: Option<&str>,
        country: Option<String>,
    ) -> PyResult<Vec<super::resolve::Candidate>> {
        let name = extract_text(py, name)?;
        let name: &str = &name;
        let opts = resolve_options(py, limit, score_cutoff, kind, country)?;
        let inner = self.inner.clone();
        let found = py.detach(|| with_gz!(&*inner, g => g.resolve(name, &opts)));
        Ok(found.into_iter().map(Into::into).collect())
    }

    /// `resolve` for many names, in parallel in Rust with the GIL released (`threads=None`: all cores).
    #[pyo3(signature = (names, *, limit=10, score_cutoff=0.0, kind=None, country=None, threads=None))]
    #[allow(clippy::too_many_arguments)]
    fn resolve_batch(
        &self,
        py: Python<'_>,
        names: Vec<String>,
        limit: usize,
        score_cutoff: f32,
        kind: Option<&str>,
        country: Option<String>,
        threads: Option<usize>,
    ) -> PyResult<Vec<Vec<super::resolve::Candidate>>> {
        let opts = resolve_options(py, limit, score_cutoff, kind, country)?;
        let inner = self.inner.clone();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let found = py
            .detach(|| {
                super::in_pool(
                    threads,
                    || with_gz!(&*inner, g => g.resolve_batch(&refs, &opts)),
                )
            })
            .map_err(|e| to_py_err(py, e))?;
        Ok(found
            .into_iter()
            .map(|cs| cs.into_iter().map(Into::into).collect())
            .collect())
    }

    /// Check every checksum, record and index; raises FormatError when something is wrong.
    fn verify(&self, py: Python<'_>) -> PyResult<()> {
        let inner = self.inner.clone();
        py.detach(|| with_gz!(&*inner, g => g.verify()))
            .map_err(|e| to_py_err(py, e))
    }

    /// Build metadata: sources, counts, sizes, versions.
    #[getter]
    fn metadata<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = with_gz!(&*self.inner, g => serde_json::to_string(g.metadata()))
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        py.import("json")?.call_method1("loads", (json,))
    }

    /// The file path when memory-mapped, else None.
    #[getter]
    fn path(&self) -> Option<PathBuf> {
        with_gz!(&*self.inner, g => g.path().map(|p| p.to_path_buf()))
    }

    /// The gazetteer file's bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        with_gz!(&*self.inner, g => PyBytes::new(py, g.as_bytes()))
    }

    /// Pickle by path when memory-mapped, by bytes otherwise, by name for the embedded default.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let me = slf.get();
        let cls = py.import("nisba._native")?.getattr("Gazetteer")?;
        let out = match &*me.inner {
            AnyGazetteer::Static(_) => (cls.getattr("default")?, ()).into_pyobject(py)?.into_any(),
            AnyGazetteer::Mapped(g) => match g.path() {
                Some(p) => (cls.getattr("open")?, (p.to_path_buf(),))
                    .into_pyobject(py)?
                    .into_any(),
                None => (
                    cls.getattr("from_bytes")?,
                    (PyBytes::new(py, g.as_bytes()),),
                )
                    .into_pyobject(py)?
                    .into_any(),
            },
            AnyGazetteer::Owned(g) => (
                cls.getattr("from_bytes")?,
                (PyBytes::new(py, g.as_bytes()),),
            )
                .into_pyobject(py)?
                .into_any(),
        };
        Ok(out)
    }
}

fn from_source(
    _cls: &Bound<'_, PyType>,
    py: Python<'_>,
    format: SourceFormat,
    path: PathBuf,
) -> PyResult<Gazetteer> {
    let g = py
        .detach(|| {
            super::in_pool(None, || -> crate::Result<CoreGazetteer<Vec<u8>>> {
                let mut b = CoreBuilder::new();
                let entities = sources::open(format, &path, &SourceOptions::default())?;
                b.add_all(&path.display().to_string(), entities)?;
                b.build()
            })
            .and_then(|r| r)
        })
        .map_err(|e| to_py_err(py, e))?;
    Ok(Gazetteer {
        inner: Arc::new(AnyGazetteer::Owned(g)),
    })
}

/// Collects entities, then compiles them into a gazetteer (`build()`) or a file (`write(path)`).
#[pyclass(module = "nisba._native")]
pub(crate) struct GazetteerBuilder {
    inner: CoreBuilder,
    records: u64,
}

#[pymethods]
impl GazetteerBuilder {
    #[new]
    #[pyo3(signature = (*, skip_invalid=false))]
    fn new(skip_invalid: bool) -> Self {
        let mut inner = CoreBuilder::new();
        inner.skip_invalid(skip_invalid);
        GazetteerBuilder { inner, records: 0 }
    }

    /// Add one entity. Adding the same id again merges its aliases.
    #[pyo3(signature = (id, name, *, kind="OTHER", aliases=None, weak_aliases=None, countries=None, qid=None, geonames_id=None, prior=0.0, population=None, description=None, source=None))]
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        py: Python<'_>,
        id: String,
        name: String,
        kind: &str,
        aliases: Option<Vec<String>>,
        weak_aliases: Option<Vec<String>>,
        countries: Option<Vec<String>>,
        qid: Option<String>,
        geonames_id: Option<u64>,
        prior: f32,
        population: Option<u64>,
        description: Option<String>,
        source: Option<String>,
    ) -> PyResult<()> {
        let kind: Kind = kind.parse().map_err(|e| to_py_err(py, e))?;
        let mut e = CoreEntity::new(id, name, kind);
        e.aliases = aliases
            .unwrap_or_default()
            .into_iter()
            .map(Alias::new)
            .chain(
                weak_aliases
                    .unwrap_or_default()
                    .into_iter()
                    .map(Alias::weak),
            )
            .collect();
        e.countries = countries.unwrap_or_default();
        e.qid = qid;
        e.geonames_id = geonames_id;
        e.prior = prior;
        e.population = population;
        e.description = description;
        e.source = source;
        self.records += 1;
        self.inner.add(e).map_err(|err| to_py_err(py, err))
    }

    /// Add records given as dicts in the JSONL entity schema.
    fn add_records(&mut self, py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<()> {
        let dumps = py.import("json")?.getattr("dumps")?;
        for item in records.try_iter()? {
            let line: String = dumps.call1((item?,))?.extract()?;
            self.records += 1;
            self.inner
                .add_json_line(&line, self.records)
                .map_err(|e| to_py_err(py, e))?;
        }
        Ok(())
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Compile into an in-memory gazetteer.
    fn build(&self, py: Python<'_>) -> PyResult<Gazetteer> {
        let g = py
            .detach(|| super::in_pool(None, || self.inner.build()).and_then(|r| r))
            .map_err(|e| to_py_err(py, e))?;
        Ok(Gazetteer {
            inner: Arc::new(AnyGazetteer::Owned(g)),
        })
    }

    /// Compile and write atomically to `path`.
    fn write(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        py.detach(|| super::in_pool(None, || self.inner.write(&path)).and_then(|r| r))
            .map_err(|e| to_py_err(py, e))
    }
}

fn resolve_options(
    py: Python<'_>,
    limit: usize,
    score_cutoff: f32,
    kind: Option<&str>,
    country: Option<String>,
) -> PyResult<crate::resolve::ResolveOptions> {
    let kind = kind
        .map(|k| k.parse::<Kind>())
        .transpose()
        .map_err(|e| to_py_err(py, e))?;
    Ok(crate::resolve::ResolveOptions {
        limit,
        score_cutoff,
        kind,
        country,
    })
}
