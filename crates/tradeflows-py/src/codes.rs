//! The typed codes as Python classes: validated at construction, hashable, comparable.

use pyo3::prelude::*;
use tradeflows::{
    Country, Cpf4, Cpf6, Departement, Nc8, Region, A10, A129, A17, A21, A38, A64, A88,
};

use crate::errors::code_error;

/// Declares a Python class wrapping a code type: `Class("code")`, `.code`, `str()`,
/// `repr()`, `==`, ordering and hashing by code.
macro_rules! code_class {
    ($py:ident, $rust:ty, $name:literal, $doc:literal) => {
        code_class!($py, $rust, $name, $doc, {});
    };
    ($py:ident, $rust:ty, $name:literal, $doc:literal, { $($extra:tt)* }) => {
        #[doc = $doc]
        #[pyclass(module = "tradeflows", name = $name, frozen, eq, ord, hash, from_py_object)]
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub(crate) struct $py(pub(crate) $rust);

        #[pymethods]
        impl $py {
            #[new]
            fn new(py: Python<'_>, code: &str) -> PyResult<Self> {
                code.parse::<$rust>().map($py).map_err(|e| code_error(py, e))
            }

            /// The code, as printed.
            #[getter]
            fn code(&self) -> String {
                self.0.to_string()
            }

            fn __str__(&self) -> String {
                self.0.to_string()
            }

            fn __repr__(&self) -> String {
                format!("{}('{}')", $name, self.0)
            }

            /// Pickling: rebuilt from the code.
            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, pyo3::types::PyType>, (String,))> {
                Ok((slf.get_type(), (slf.get().0.to_string(),)))
            }

            $($extra)*
        }
    };
}

code_class!(
    PyCountry,
    Country,
    "Country",
    "A partner country of the EU géonomenclature (`DE`, `QU`, `XS`).",
    {
        /// The French name valid in `year` (default: today's codes), or None if unknown.
        #[pyo3(signature = (year = 9999))]
        fn label(&self, year: u16) -> Option<&'static str> {
            self.0.label(year)
        }
        /// Its zone: `UE27`, `EUROPE_HORS_UE`, `AFRIQUE`, `AMERIQUE`, `ASIE`, `OCEANIE` or
        /// `NON_DETERMINE` (UN M49 continents; EU of 27 since 2020-02-01).
        #[getter]
        fn zone(&self) -> &'static str {
            self.0.zone().code()
        }
        /// Whether it was a member of the EU on a day.
        fn in_eu_on(&self, year: u16, month: u8, day: u8) -> bool {
            self.0.in_eu_on(year, month, day)
        }
        /// Whether it was in the euro area on a day.
        fn in_euro_area_on(&self, year: u16, month: u8, day: u8) -> bool {
            self.0.in_euro_area_on(year, month, day)
        }
    }
);
code_class!(
    PyCpf4,
    Cpf4,
    "Cpf4",
    "A CPF rév. 2.1 product at 4 digits (`0111`).",
    {
        /// The French label (DGDDI), or None for a code outside the table.
        #[getter]
        fn label(&self) -> Option<&'static str> {
            self.0.label()
        }
        /// The A129 product it belongs to (None for DGDDI's codes that are not NAF classes).
        #[getter]
        fn a129(&self) -> Option<PyA129> {
            self.0.a129().map(PyA129)
        }
    }
);
code_class!(
    PyCpf6,
    Cpf6,
    "Cpf6",
    "A CPF rév. 2.1 product at 6 digits (`014310`).",
    {
        /// The CPF4 class it belongs to.
        #[getter]
        fn cpf4(&self) -> PyCpf4 {
            PyCpf4(self.0.cpf4())
        }
    }
);
code_class!(
    PyNc8,
    Nc8,
    "Nc8",
    "A Combined Nomenclature product at 8 digits (`01012100`)."
);
code_class!(
    PyA129,
    A129,
    "A129",
    "A product of the A129 level (`C10A`); a well-formed code INSEE does not list (`C10X`) is accepted, with no label and no parent.",
    {
        /// The French label (None for a code INSEE does not list).
        #[getter]
        fn label(&self) -> Option<&'static str> {
            self.0.label()
        }
        /// Whether INSEE's table lists the code.
        #[getter]
        fn listed(&self) -> bool {
            self.0.is_listed()
        }
        /// Whether DGDDI uses the code for goods.
        #[getter]
        fn goods(&self) -> bool {
            self.0.is_goods()
        }
        /// The A88 parent (None when unlisted).
        #[getter]
        fn a88(&self) -> Option<PyA88> {
            self.0.a88().map(PyA88)
        }
        /// The A64 parent (None when unlisted).
        #[getter]
        fn a64(&self) -> Option<PyA64> {
            self.0.a64().map(PyA64)
        }
        /// The A38 parent (None when unlisted).
        #[getter]
        fn a38(&self) -> Option<PyA38> {
            self.0.a38().map(PyA38)
        }
        /// The A21 parent (None when unlisted).
        #[getter]
        fn a21(&self) -> Option<PyA21> {
            self.0.a21().map(PyA21)
        }
        /// The A17 parent (None when unlisted).
        #[getter]
        fn a17(&self) -> Option<PyA17> {
            self.0.a17().map(PyA17)
        }
        /// The A10 parent (None when unlisted).
        #[getter]
        fn a10(&self) -> Option<PyA10> {
            self.0.a10().map(PyA10)
        }
    }
);
code_class!(PyA88, A88, "A88", "A product of the A88 level (`10`).", {
    /// The French label.
    #[getter]
    fn label(&self) -> &'static str {
        self.0.label()
    }
});
code_class!(PyA64, A64, "A64", "A product of the A64 level (`CA0`).", {
    /// The French label.
    #[getter]
    fn label(&self) -> &'static str {
        self.0.label()
    }
});
code_class!(PyA38, A38, "A38", "A product of the A38 level (`CA`).", {
    /// The French label.
    #[getter]
    fn label(&self) -> &'static str {
        self.0.label()
    }
});
code_class!(PyA21, A21, "A21", "A product of the A21 level (`C`).", {
    /// The French label.
    #[getter]
    fn label(&self) -> &'static str {
        self.0.label()
    }
});
code_class!(PyA17, A17, "A17", "A product of the A17 level (`C1`).", {
    /// The French label.
    #[getter]
    fn label(&self) -> &'static str {
        self.0.label()
    }
});
code_class!(PyA10, A10, "A10", "A product of the A10 level (`BE`).", {
    /// The French label.
    #[getter]
    fn label(&self) -> &'static str {
        self.0.label()
    }
});
code_class!(
    PyDepartement,
    Departement,
    "Departement",
    "A département by its DGDDI code (`22`, `20`, `9D`, `99`); INSEE aliases `2A`, `974` … accepted.",
    {
        /// The name.
        #[getter]
        fn name(&self) -> &'static str {
            self.0.name()
        }
        /// The INSEE région (DOM départements are their own région; Monaco counts in PACA).
        #[getter]
        fn region(&self) -> PyRegion {
            PyRegion(self.0.region())
        }
        /// The INSEE codes the DGDDI code covers.
        #[getter]
        fn insee_codes(&self) -> Vec<&'static str> {
            self.0.insee_codes().to_vec()
        }
    }
);
code_class!(
    PyRegion,
    Region,
    "Region",
    "A région by its INSEE code (`53`).",
    {
        /// The name.
        #[getter]
        fn name(&self) -> &'static str {
            self.0.name()
        }
        /// Its départements, in code order.
        #[getter]
        fn departements(&self) -> Vec<PyDepartement> {
            self.0.departements().map(PyDepartement).collect()
        }
    }
);

/// Adds the classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCountry>()?;
    m.add_class::<PyCpf4>()?;
    m.add_class::<PyCpf6>()?;
    m.add_class::<PyNc8>()?;
    m.add_class::<PyA129>()?;
    m.add_class::<PyA88>()?;
    m.add_class::<PyA64>()?;
    m.add_class::<PyA38>()?;
    m.add_class::<PyA21>()?;
    m.add_class::<PyA17>()?;
    m.add_class::<PyA10>()?;
    m.add_class::<PyDepartement>()?;
    m.add_class::<PyRegion>()?;
    Ok(())
}
