//! Error mapping: every `tradeflows::Error` becomes an exception of `tradeflows.errors`, a
//! subclass of `TradeflowsError` (and of `ValueError`, `FileNotFoundError` or `OSError` as
//! fits), carrying the position of the offending value.

use pyo3::prelude::*;
use pyo3::IntoPyObjectExt;
use tradeflows::{CodeError, Error};

/// Builds `tradeflows.errors.<class>(message)` and sets its attributes. A missing file is
/// built as `OSError(errno, strerror, filename)`, so `.errno` and `.filename` are set too.
fn raise(py: Python<'_>, class: &str, message: String, attrs: &[(&str, Py<PyAny>)]) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let cls = py.import("tradeflows.errors")?.getattr(class)?;
        let exc = match (class, attrs.iter().find(|a| a.0 == "path")) {
            ("DataFileNotFoundError", Some((_, path))) => {
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
    // If the Python side cannot be imported, the import error says why.
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
    raise(py, "CodeError", e.to_string(), &attrs)
}

/// Any error of the library.
pub(crate) fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let message = e.to_string();
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
            raise(py, "ParseError", message, &attrs)
        }
        Error::Io { path, source } => {
            let class = if source.kind() == std::io::ErrorKind::NotFound {
                "DataFileNotFoundError"
            } else {
                "DataIOError"
            };
            let attrs = [("path", obj(py, path.display().to_string()))];
            raise(py, class, message, &attrs)
        }
        Error::File { path, .. } | Error::NoData { path } => {
            let attrs = [("path", obj(py, path.display().to_string()))];
            raise(py, "FileFormatError", message, &attrs)
        }
        _ => raise(py, "RequestError", message, &[]),
    }
}

/// A request the arguments make impossible (unknown flow, level …).
pub(crate) fn request_error(py: Python<'_>, message: String) -> PyErr {
    raise(py, "RequestError", message, &[])
}
