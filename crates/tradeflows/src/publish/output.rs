//! Output files: their names, built from validated codes only, and their writing, atomic:
//! a file appears complete under its name or not at all.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};
use crate::model::{Territory, TiId};
use crate::render::charts::ChartKind;

/// A file `factsheet` writes, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Document {
    /// `json/<key>.json`: a factsheet's figures.
    Json(Territory),
    /// `svg/<key>-<chart>.svg`: a chart.
    Chart(Territory, ChartKind),
    /// `html/<key>.html`: a page.
    Page(Territory),
    /// `json/<ti-key>.json`: a Territoire d'industrie's départements (`tradeflows.ti/1`).
    TiJson(TiId),
    /// `html/<ti-key>.html`: a Territoire d'industrie's page.
    TiPage(TiId),
    /// `html/index.html`: the index of the pages.
    Index,
}

impl Document {
    /// The file's path under the output folder. Every component comes from a validated code
    /// (a territory's key, a checked Territoire d'industrie id, a chart's name): no input can
    /// make it leave the folder.
    ///
    /// ```
    /// use tradeflows::publish::Document;
    /// use tradeflows::charts::ChartKind;
    /// let t = "22".parse()?;
    /// assert_eq!(Document::Chart(t, ChartKind::Balance).path(), std::path::Path::new("svg/dep-22-balance.svg"));
    /// assert_eq!(Document::TiPage("ti-8413".parse()?).path(), std::path::Path::new("html/ti-8413.html"));
    /// # Ok::<(), tradeflows::CodeError>(())
    /// ```
    pub fn path(&self) -> PathBuf {
        let (dir, name) = match self {
            Document::Json(t) => ("json", format!("{}.json", t.key())),
            Document::Chart(t, kind) => ("svg", format!("{}-{kind}.svg", t.key())),
            Document::Page(t) => ("html", format!("{}.html", t.key())),
            Document::TiJson(id) => ("json", format!("{}.json", id.key())),
            Document::TiPage(id) => ("html", format!("{}.html", id.key())),
            Document::Index => ("html", "index.html".to_owned()),
        };
        Path::new(dir).join(name)
    }
}

/// Writes `bytes` to `path` atomically: into a temporary file of the same folder, renamed
/// into place once complete. On any error the temporary file is removed, nothing is left
/// under `path`'s name but what was there before, and the error names `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // The process id, asked once (a system call each time otherwise: one per file).
    static PID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let failed = |source: std::io::Error| Error::Write {
        path: path.to_owned(),
        source,
    };
    let name = path
        .file_name()
        .ok_or_else(|| failed(std::io::Error::other("not a file name")))?;
    let tmp = path.with_file_name(format!(
        ".{}.tmp-{}-{}",
        name.to_string_lossy(),
        PID.get_or_init(std::process::id),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.flush()
    });
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    renamed.map_err(|e| {
        // Best effort: the temporary file may not exist (create failed).
        let _ = std::fs::remove_file(&tmp);
        failed(e)
    })
}

/// [`write_atomic`], unless `path` already holds exactly `bytes`: that file is left as it
/// is (its dates too) and `false` is returned. Writing into a folder of an earlier run: on
/// ext4 without a journal, each file replaced frees an inode that the next creations in
/// the folder skip, one by one, for minutes (`recently_deleted` in fs/ext4/ialloc.c):
/// the command line's runs into one folder took 58 then 70 to 89 ms, run after run (15
/// runs; 57 ms into fresh folders). Comparing costs a `stat` per file, and a read of the
/// files of the same size.
pub(crate) fn write_unless_same(path: &Path, bytes: &[u8]) -> Result<bool> {
    let same_size =
        std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    if same_size && std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    write_atomic(path, bytes).map(|()| true)
}

/// Creates a folder (and its parents), naming it on failure.
pub(crate) fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_leaves_nothing_on_error() {
        let dir = std::env::temp_dir().join(format!("tradeflows-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.json");
        write_atomic(&path, b"{}").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        // A folder in the way of the rename: the error names the file, no temporary is left.
        let blocked = dir.join("b.json");
        std::fs::create_dir_all(blocked.join("x")).unwrap();
        let err = write_atomic(&blocked, b"[]").unwrap_err();
        assert!(
            err.to_string().starts_with(&blocked.display().to_string()),
            "{err}"
        );
        let left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(left.iter().all(|n| !n.contains(".tmp-")), "{left:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn leaves_a_file_that_holds_the_bytes_already() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
        assert!(write_unless_same(&path, b"{\"a\": 1}").unwrap());
        let first = inode(&path);
        // The same bytes: the file is not replaced.
        assert!(!write_unless_same(&path, b"{\"a\": 1}").unwrap());
        assert_eq!(inode(&path), first);
        // Other bytes of the same size, then of another size: replaced, atomically.
        assert!(write_unless_same(&path, b"{\"a\": 2}").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"a\": 2}");
        assert_ne!(inode(&path), first);
        assert!(write_unless_same(&path, b"{}").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"{}");
        // A folder in the way is an error naming the file, as for `write_atomic`.
        let blocked = dir.path().join("b.json");
        std::fs::create_dir_all(blocked.join("x")).unwrap();
        let err = write_unless_same(&blocked, b"[]").unwrap_err();
        assert!(
            err.to_string().starts_with(&blocked.display().to_string()),
            "{err}"
        );
    }
}
