//! The direction of trade.

use std::fmt;
use std::str::FromStr;

use super::serde_via_str;
use crate::error::CodeError;

/// Import (`I`, valued CAF) or export (`E`, valued FAB), as in the `Flux` field.
///
/// ```
/// use tradeflows::Flow;
/// assert_eq!("E".parse::<Flow>()?, Flow::Export);
/// assert_eq!(Flow::Import.to_string(), "I");
/// # Ok::<(), tradeflows::CodeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flow {
    /// Goods entering France (`I`).
    Import,
    /// Goods leaving France (`E`).
    Export,
}

impl Flow {
    /// Both flows, imports first.
    pub const ALL: [Flow; 2] = [Flow::Import, Flow::Export];

    /// Parses the one-letter flow code from bytes.
    #[inline]
    pub fn from_bytes(s: &[u8]) -> Result<Self, CodeError> {
        match s {
            b"I" => Ok(Flow::Import),
            b"E" => Ok(Flow::Export),
            _ => Err(CodeError::new(
                "flow",
                s,
                "expected I (import) or E (export)",
            )),
        }
    }

    /// 0 for imports, 1 for exports (for arrays indexed by flow).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The word of the outputs and of Python: `imports`, `exports`.
    pub fn name(self) -> &'static str {
        match self {
            Flow::Import => "imports",
            Flow::Export => "exports",
        }
    }

    /// Reads a flow as people write it: `exports`/`export`/`E`, `imports`/`import`/`I`
    /// (any case).
    ///
    /// ```
    /// use tradeflows::Flow;
    /// assert_eq!(Flow::from_name("Exports")?, Flow::Export);
    /// assert_eq!(Flow::from_name("i")?, Flow::Import);
    /// assert!(Flow::from_name("out").is_err());
    /// # Ok::<(), tradeflows::CodeError>(())
    /// ```
    pub fn from_name(s: &str) -> Result<Self, CodeError> {
        match s.to_ascii_lowercase().as_str() {
            "exports" | "export" | "e" => Ok(Flow::Export),
            "imports" | "import" | "i" => Ok(Flow::Import),
            _ => Err(CodeError::new(
                "flow",
                s,
                "expected \"exports\" or \"imports\"",
            )),
        }
    }

    /// The letter used in the files.
    pub fn letter(self) -> char {
        match self {
            Flow::Import => 'I',
            Flow::Export => 'E',
        }
    }
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.letter())
    }
}

impl FromStr for Flow {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        Flow::from_bytes(s.as_bytes())
    }
}
serde_via_str!(Flow);
