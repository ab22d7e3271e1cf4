//! Arrow tables handed to Python through the Arrow PyCapsule interface
//! (`__arrow_c_stream__`): pyarrow, polars and pandas (via pyarrow) take them without a copy
//! through Python objects.

use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
    StructArray,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use pyo3_arrow::ffi::{to_schema_pycapsule, to_stream_pycapsule, ArrayIterator};

use crate::columns::NamedArray;
use crate::errors::request_error;

/// A column being built.
pub(crate) enum Column {
    Str(Vec<String>),
    Int(Vec<i64>),
    Int32(Vec<i32>),
    OptFloat(Vec<Option<f64>>),
    Bool(Vec<bool>),
}

/// An Arrow table (one record batch) with the PyCapsule stream interface.
#[pyclass(module = "tradeflows", name = "Table", frozen)]
pub(crate) struct PyArrowTable {
    schema: SchemaRef,
    batch: RecordBatch,
}

impl PyArrowTable {
    /// Builds a table from named columns of equal length.
    pub(crate) fn new(py: Python<'_>, columns: Vec<(&str, Column)>) -> PyResult<Self> {
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        for (name, column) in columns {
            let (dtype, nullable, array): (DataType, bool, ArrayRef) = match column {
                Column::Str(v) => (DataType::Utf8, false, Arc::new(StringArray::from(v))),
                Column::Int(v) => (DataType::Int64, false, Arc::new(Int64Array::from(v))),
                Column::Int32(v) => (DataType::Int32, false, Arc::new(Int32Array::from(v))),
                Column::OptFloat(v) => (DataType::Float64, true, Arc::new(Float64Array::from(v))),
                Column::Bool(v) => (DataType::Boolean, false, Arc::new(BooleanArray::from(v))),
            };
            fields.push(Field::new(name, dtype, nullable));
            arrays.push(array);
        }
        Self::batch(py, fields, arrays)
    }

    /// Builds a table from arrays already built (see `columns`).
    pub(crate) fn from_arrays(py: Python<'_>, columns: Vec<NamedArray>) -> PyResult<Self> {
        let (fields, arrays) = columns
            .into_iter()
            .map(|(name, array, nullable)| {
                (Field::new(name, array.data_type().clone(), nullable), array)
            })
            .unzip();
        Self::batch(py, fields, arrays)
    }

    fn batch(py: Python<'_>, fields: Vec<Field>, arrays: Vec<ArrayRef>) -> PyResult<Self> {
        let schema: SchemaRef = Arc::new(Schema::new(fields));
        let batch = RecordBatch::try_new(schema.clone(), arrays)
            .map_err(|e| request_error(py, e.to_string()))?;
        Ok(PyArrowTable { schema, batch })
    }
}

#[pymethods]
impl PyArrowTable {
    /// The Arrow C stream of the table (Arrow PyCapsule interface).
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let array: ArrayRef = Arc::new(StructArray::from(self.batch.clone()));
        let reader = Box::new(ArrayIterator::new(
            std::iter::once(Ok(array)),
            Field::new_struct("", self.schema.fields().clone(), false).into(),
        ));
        Ok(to_stream_pycapsule(py, reader, requested_schema)?)
    }

    /// The Arrow C schema of the table.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        Ok(to_schema_pycapsule(py, self.schema.as_ref())?)
    }

    /// Number of rows.
    fn __len__(&self) -> usize {
        self.batch.num_rows()
    }

    /// Number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    /// Names of the columns.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "tradeflows.Table({} rows: {})",
            self.batch.num_rows(),
            self.column_names().join(", ")
        )
    }

    /// The table as a `pyarrow.Table` (needs pyarrow).
    fn to_pyarrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("pyarrow")?.call_method1("table", (slf,))
    }

    /// The table as a `polars.DataFrame` (needs polars).
    fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("polars")?.call_method1("DataFrame", (slf,))
    }

    /// The table as a `pandas.DataFrame` (needs pyarrow and pandas).
    fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        Self::to_pyarrow(slf)?.call_method0("to_pandas")
    }
}
