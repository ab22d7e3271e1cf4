//! Error mapping: every `tradeflows::Error` becomes an exception of `tradeflows.errors`, one
//! class per kind of error, a subclass of `TradeflowsError` (and of `ValueError`,
//! `FileNotFoundError`, `OSError` or `RuntimeError` as fits), carrying the position of the
//! offending value.
//!
//! The classes are defined in Python (`python/tradeflows/errors.py`: they need two bases,
//! which `create_exception!` cannot give) and bound once, when the extension module is
//! initialised; raising one never looks it up by name.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::IntoPyObjectExt;
use tradeflows::{CodeError, Error};

/// The kinds of errors, each its class of `tradeflows.errors`.
#[derive(Clone, Copy)]
enum Kind {
    Code,
    Parse,
    FileFormat,
    Request,
    NotFound,
    Io,
    Output,
    Cancelled,
    Internal,
}

/// The class names, in the order of [`Kind`].
const NAMES: [&str; 9] = [
    "CodeError",
    "ParseError",
    "FileFormatError",
    "RequestError",
    "DataFileNotFoundError",
    "DataIOError",
    "OutputError",
    "CancelledError",
    "InternalError",
];

static CLASSES: PyOnceLock<Vec<Py<PyAny>>> = PyOnceLock::new();

/// Binds the classes of `tradeflows.errors` (at module initialisation).
pub(crate) fn bind(py: Python<'_>) -> PyResult<()> {
    CLASSES.get_or_try_init(py, || {
        let module = py.import("tradeflows.errors")?;
        NAMES
            .iter()
            .map(|n| module.getattr(*n).map(Bound::unbind))
            .collect::<PyResult<Vec<_>>>()
    })?;
    Ok(())
}

/// Builds the exception of `kind` with its message and attributes. A missing file is built
/// as `OSError(errno, strerror, filename)`, so `.errno` and `.filename` are set too.
fn raise(py: Python<'_>, kind: Kind, message: String, attrs: &[(&str, Py<PyAny>)]) -> PyErr {
    let build = || -> PyResult<PyErr> {
        bind(py)?;
        let classes = CLASSES.get(py).ok_or_else(|| {
            pyo3::exceptions::PyRuntimeError::new_err("tradeflows.errors not bound")
        })?;
        let cls = classes[kind as usize].bind(py);
        let exc = match (kind, attrs.iter().find(|a| a.0 == "path")) {
            (Kind::NotFound, Some((_, path))) => {
                let errno = py.import("errno")?.getattr("ENOENT")?;
                cls.call1((errno, message.clone(), path.bind(py)))?
            }
            _ => cls.call1((message.clone(),))?,
        };
        for (name, value) in attrs {
            exc.setattr(*name, value.bind(py))?;
        }
        Ok(PyErr::from_value(exc))
    };
    // If the classes cannot be bound, that error says why.
    build().unwrap_or_else(|e| e)
}

fn obj<'py, T: IntoPyObject<'py>>(py: Python<'py>, v: T) -> Py<PyAny> {
    match v.into_bound_py_any(py) {
        Ok(b) => b.unbind(),
        Err(_) => py.None(),
    }
}

/// A code that does not parse.
pub(crate) fn code_error(py: Python<'_>, e: CodeError) -> PyErr {
    let attrs = [
        ("kind", obj(py, e.kind)),
        ("value", obj(py, e.value.clone())),
    ];
    raise(py, Kind::Code, e.to_string(), &attrs)
}

/// Any error of the library.
pub(crate) fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let message = e.to_string();
    let path_attr = |path: &std::path::Path| [("path", obj(py, path.display().to_string()))];
    match e {
        Error::Code(c) => code_error(py, c),
        Error::Parse {
            position, value, ..
        } => {
            let attrs = [
                ("path", obj(py, position.path.display().to_string())),
                ("line", obj(py, position.line)),
                ("column", obj(py, position.column)),
                ("field", obj(py, position.field)),
                ("value", obj(py, value)),
            ];
            raise(py, Kind::Parse, message, &attrs)
        }
        Error::Io { path, source } => {
            let kind = if source.kind() == std::io::ErrorKind::NotFound {
                Kind::NotFound
            } else {
                Kind::Io
            };
            raise(py, kind, message, &path_attr(&path))
        }
        Error::File { path, .. } | Error::NoData { path } => {
            raise(py, Kind::FileFormat, message, &path_attr(&path))
        }
        Error::Write { path, .. } => raise(py, Kind::Output, message, &path_attr(&path)),
        Error::Cancelled { .. } => raise(py, Kind::Cancelled, message, &[]),
        Error::Request(_) => raise(py, Kind::Request, message, &[]),
        Error::Json(_) | Error::Internal(_) => raise(py, Kind::Internal, message, &[]),
        // `Error` is non-exhaustive: a kind added later is an internal error until mapped.
        _ => raise(py, Kind::Internal, message, &[]),
    }
}

/// A request the arguments make impossible (unknown flow, level …).
pub(crate) fn request_error(py: Python<'_>, message: String) -> PyErr {
    raise(py, Kind::Request, message, &[])
}
