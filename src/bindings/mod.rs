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

/// `(type(obj), args)`: what `__reduce__` returns for a frozen value class whose constructor takes
/// its fields, so results pickle by value into multiprocessing, Dask and Spark workers.
pub(crate) fn reduce<'py, T, A>(slf: &Bound<'py, T>, args: A) -> PyResult<Bound<'py, PyAny>>
where
    T: pyo3::PyClass,
    A: IntoPyObject<'py>,
{
    (slf.as_any().get_type(), args)
        .into_pyobject(slf.py())
        .map(|t| t.into_any())
}

/// A value class's fields as Python objects, in constructor order (see [`value_fields!`]).
pub(crate) trait Fields {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Vec<(&'static str, Bound<'py, PyAny>)>>;
}

/// Implements [`Fields`] for a value class from its field names, listed in constructor order.
macro_rules! value_fields {
    ($ty:ty: $($field:ident),+ $(,)?) => {
        impl $crate::bindings::Fields for $ty {
            fn fields<'py>(
                &self,
                py: pyo3::Python<'py>,
            ) -> pyo3::PyResult<Vec<(&'static str, pyo3::Bound<'py, pyo3::PyAny>)>> {
                use pyo3::IntoPyObjectExt;
                Ok(vec![$((stringify!($field), self.$field.clone().into_bound_py_any(py)?)),+])
            }
        }
    };
}
pub(crate) use value_fields;

/// `__reduce__` of a value class: its type and its fields as the constructor's positional arguments.
pub(crate) fn reduce_fields<'py, T>(slf: &Bound<'py, T>, value: &T) -> PyResult<Bound<'py, PyAny>>
where
    T: pyo3::PyClass + Fields,
{
    let fields = value.fields(slf.py())?.into_iter().map(|(_, v)| v);
    reduce(slf, pyo3::types::PyTuple::new(slf.py(), fields)?)
}

/// `to_dict` of a value class: its fields by name.
pub(crate) fn dict_of<'py, T: Fields>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    let d = pyo3::types::PyDict::new(py);
    for (name, v) in value.fields(py)? {
        d.set_item(name, v)?;
    }
    Ok(d)
}

/// A stable hash for `__hash__` (Python truncates it to `Py_hash_t`).
pub(crate) fn hash_of<T: std::hash::Hash>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// A float as hashable bits, with `0.0 == -0.0` mapped together so equal values hash equally.
pub(crate) fn float_key(x: f32) -> u32 {
    if x == 0.0 {
        0
    } else {
        x.to_bits()
    }
}

/// Maps a string to the `&'static str` among `known` that equals it (enum names coming back from
/// pickles or user constructors), or an UnknownValueError naming the choices.
pub(crate) fn intern(
    py: Python<'_>,
    what: &'static str,
    value: &str,
    known: &[&'static str],
) -> PyResult<&'static str> {
    known
        .iter()
        .find(|k| **k == value)
        .copied()
        .ok_or_else(|| to_py_err(py, crate::Error::unknown_value(what, value, known)))
}

/// The process that imported the module. rayon's global pool lives in it; a child made by `fork()`
/// inherits the pool's bookkeeping but not its threads, so work sent there would wait forever.
static IMPORT_PID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();

/// A pool owned by a forked child, made on its first parallel call (keyed by pid, since a grandchild
/// forked from the child inherits the same dead-pool problem).
static CHILD_POOL: std::sync::Mutex<Option<(u32, std::sync::Arc<rayon::ThreadPool>)>> =
    std::sync::Mutex::new(None);

/// Runs `work` on `threads` threads (a fresh pool), or on rayon's global pool when None — except in a
/// process forked after import, where a pool of the child's own replaces the inherited, threadless one.
/// Call inside `py.detach`.
pub(crate) fn in_pool<R: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> R + Send,
) -> crate::Result<R> {
    let build = |n: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| crate::Error::invalid_input(format!("cannot start {n} threads: {e}")))
    };
    if let Some(n) = threads {
        return Ok(build(n.max(1))?.install(work));
    }
    let pid = std::process::id();
    if IMPORT_PID.get().is_none_or(|&p| p == pid) {
        return Ok(work());
    }
    let pool = {
        let mut slot = CHILD_POOL.lock().unwrap_or_else(|e| e.into_inner());
        match &*slot {
            Some((p, pool)) if *p == pid => pool.clone(),
            _ => {
                let pool = std::sync::Arc::new(build(0)?);
                // An inherited pool's threads do not exist here: never run its destructor.
                if let Some(old) = slot.replace((pid, pool.clone())) {
                    std::mem::forget(old);
                }
                pool
            }
        }
    };
    Ok(pool.install(work))
}

/// The compiled part of the `nisba` Python package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    IMPORT_PID.get_or_init(std::process::id);
    m.add("__version__", crate::VERSION)?;
    text::register(m)?;
    names::register(m)?;
    gazetteer::register(m)?;
    resolve::register(m)?;
    link::register(m)?;
    #[cfg(feature = "cli")]
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add_function(wrap_pyfunction!(_link_rust_seconds, m)?)?;
    Ok(())
}

/// Benchmark hook (benches/py_overhead.py): seconds the core linker takes on `texts` with the default
/// gazetteer and default options, in parallel like `Linker.link_batch`, with no Python objects made,
/// and the number of mentions found. The difference to `link_batch` is the bindings' overhead.
#[pyfunction]
#[pyo3(signature = (texts, *, threads=None))]
fn _link_rust_seconds(
    py: Python<'_>,
    texts: Vec<String>,
    threads: Option<usize>,
) -> PyResult<(f64, usize)> {
    use rayon::prelude::*;
    let run = || {
        let linker = crate::link::LinkerBuilder::new().build(crate::default::gazetteer());
        let start = std::time::Instant::now();
        let found: usize = texts.par_iter().map(|t| linker.link(t).len()).sum();
        (start.elapsed().as_secs_f64(), found)
    };
    py.detach(|| in_pool(threads, run))
        .map_err(|e| to_py_err(py, e))
}

/// Runs the `nisba` command line with `argv` (program name first) and returns its exit code.
#[cfg(feature = "cli")]
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(|| crate::cli::run(argv))
}
