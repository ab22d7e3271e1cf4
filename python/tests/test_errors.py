"""The exception hierarchy, the position every error carries, and the skip mode."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pyarrow as pa
import pytest

import tradeflows as tf
from tradeflows import errors

from _support import GOOD_EXPORT, GOOD_IMPORT, write_regional


def test_hierarchy() -> None:
    assert tf.TradeflowsError is errors.TradeflowsError
    for cls in (errors.ParseError, errors.CodeError, errors.FileFormatError, errors.RequestError):
        assert issubclass(cls, errors.TradeflowsError) and issubclass(cls, ValueError)
    assert issubclass(errors.DataFileNotFoundError, FileNotFoundError)
    assert issubclass(errors.DataIOError, OSError)
    assert issubclass(errors.OutputError, OSError)
    assert issubclass(errors.InternalError, RuntimeError)
    assert not issubclass(errors.CancelledError, ValueError)
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, errors.TradeflowsError) and cls.__doc__
        assert getattr(tf, name) is cls


def test_bad_cpf4_is_a_parse_error_with_its_position(tmp_path: Path) -> None:
    lines = [
        GOOD_EXPORT[0],
        GOOD_EXPORT[1],
        "E;1;2024;22;07;C10A;10X2;AT;44696;392",
        GOOD_EXPORT[2],
    ]
    folder = write_regional(tmp_path, lines, GOOD_IMPORT)
    with pytest.raises(ValueError) as info:
        tf.load_dgddi(folder)
    e = info.value
    assert isinstance(e, errors.ParseError) and isinstance(e, tf.TradeflowsError)
    assert e.path == str(folder / "Region_2024_Export.txt")
    assert (e.line, e.column, e.field, e.value) == (3, 7, "Code CPF4", "10X2")
    assert str(e) == f'{e.path}, line 3, column 7 (Code CPF4): expected 4 digits (value "10X2")'


# (bad line, column, field, value); the bad line is line 2 of the export file.
MALFORMED = {
    "country": ("E;1;2024;22;07;C10A;1011;de;1;1", 8, "Code Pays", "de"),
    "value": ("E;1;2024;22;07;C10A;1011;DE;12a;1", 9, "Valeur", "12a"),
    "negative": ("E;1;2024;22;07;C10A;1011;DE;-5;1", 9, "Valeur", "-5"),
    "departement": ("E;1;2024;0a;07;C10A;1011;DE;1;1", 4, "Code département", "0a"),
    "quarter": ("E;5;2024;22;07;C10A;1011;DE;1;1", 2, "Trimestre", "5"),
    "flow": ("X;1;2024;22;07;C10A;1011;DE;1;1", 1, "Flux", "X"),
    "import-in-export-file": ("I;1;2024;22;07;C10A;1011;DE;1;1", 1, "Flux", "I"),
    "a129": ("E;1;2024;22;07;ZZZZ;1011;DE;1;1", 6, "Code A129", "ZZZZ"),
    "region": ("E;1;2024;22;99;C10A;1011;DE;1;1", 5, "Code région", "99"),
    "year": ("E;1;20x4;22;07;C10A;1011;DE;1;1", 3, "Année", "20x4"),
    "columns": ("E;1;2024;22;07;C10A;1011;DE;1", 0, "line", "E;1;2024;22;07;C10A;1011;DE;1"),
    "truncated": ("E;1;2024;22;07", 0, "line", "E;1;2024;22;07"),
}


@pytest.mark.parametrize(
    ("line", "column", "field", "value"), MALFORMED.values(), ids=MALFORMED.keys()
)
def test_malformed_rows(tmp_path: Path, line: str, column: int, field: str, value: str) -> None:
    folder = write_regional(tmp_path, [GOOD_EXPORT[0], line, GOOD_EXPORT[1]], GOOD_IMPORT)
    with pytest.raises(errors.ParseError) as info:
        tf.load_dgddi(folder)
    e = info.value
    assert (Path(e.path).name, e.line, e.column, e.field, e.value) == (
        "Region_2024_Export.txt",
        2,
        column,
        field,
        value,
    )
    assert "line 2" in str(e) and value in str(e)


def test_unlisted_codes_load_count_and_are_named(tmp_path: Path) -> None:
    # Well-formed codes that DGDDI's list does not name (real files have them): loaded, kept
    # in flows(), counted in France (and in their région when their région code names one).
    unlisted = ["E;1;2024;00;00;C10A;1011;DE;400;4", "E;2;2024;0A;07;C10X;1011;BE;25;1"]
    folder = write_regional(tmp_path, [*GOOD_EXPORT, *unlisted], GOOD_IMPORT)
    data = tf.load_dgddi(folder)
    rows = pa.table(data.flows()).to_pylist()
    kept = [(r["departement"], r["region"], r["a129"], r["value_eur"]) for r in rows]
    assert ("00", None, "C10A", 400) in kept and ("0A", "53", "C10X", 25) in kept
    listed = sum(int(line.split(";")[8]) for line in GOOD_EXPORT)
    assert data.factsheet("fr").exports.total_eur == listed + 400 + 25
    bretagne = sum(int(x.split(";")[8]) for x in GOOD_EXPORT if x.split(";")[4] == "07")
    assert data.factsheet("reg:53").exports.total_eur == bretagne + 25
    assert "2 rows, 0.0 M€ for département codes not in DGDDI's list: 00, 0A" in data.report["notes"]
    assert tf.A129("C10X").listed is False and tf.A129("C10X").a10 is None


def test_invalid_utf8_is_a_parse_error(tmp_path: Path) -> None:
    folder = write_regional(tmp_path, GOOD_EXPORT, GOOD_IMPORT)
    (folder / "Region_2024_Export.txt").write_bytes(b"E;1;2024;22;07;C10A;1011;DE;1;1\xe9\n")
    with pytest.raises(errors.ParseError) as info:
        tf.load_dgddi(folder)
    assert (info.value.line, info.value.field) == (1, "Masse")
    assert "UTF-8" in str(info.value)


def test_skip_mode_lists_exactly_the_bad_lines(tmp_path: Path) -> None:
    export = [
        GOOD_EXPORT[0],
        "E;1;2024;22;07;C10A;10X2;DE;5;1",
        GOOD_EXPORT[1],
        GOOD_EXPORT[2],
        "E;1;2024;22;07;C10A;1011;DE;12a;1",
        GOOD_EXPORT[3],
    ]
    imports = ["I;1;2024;22;07;C10A;1011", *GOOD_IMPORT]
    folder = write_regional(tmp_path, export, imports)
    data = tf.load_dgddi(folder, on_error="skip")
    rejected = pa.table(data.rejected())
    assert rejected.schema == pa.schema(
        [
            pa.field(name, typ, nullable=False)
            for name, typ in (
                ("file", pa.string()),
                ("line", pa.int64()),
                ("reason", pa.string()),
                ("raw", pa.string()),
            )
        ]
    )
    rows = rejected.to_pylist()
    assert [(Path(r["file"]).name, r["line"], r["raw"]) for r in rows] == [
        ("Region_2024_Export.txt", 2, "E;1;2024;22;07;C10A;10X2;DE;5;1"),
        ("Region_2024_Export.txt", 5, "E;1;2024;22;07;C10A;1011;DE;12a;1"),
        ("Region_2024_Import.txt", 1, "I;1;2024;22;07;C10A;1011"),
    ]
    assert rows[0]["reason"] == 'column 7 (Code CPF4): expected 4 digits (value "10X2")'
    assert "Valeur" in rows[1]["reason"] and "found 7" in rows[2]["reason"]

    report = data.report
    assert report["rows_read"] == 9
    assert report["rows_rejected"] == 3 == len(rejected)
    assert report["rows_loaded"] == 6 == len(data.flows())
    assert report["rows_read"] == report["rows_loaded"] + report["rows_rejected"]
    # The good rows are all counted: the small dataset's figures.
    fs = data.factsheet("22")
    assert (fs.exports.total_eur, fs.imports.total_eur) == (3500, 450)


def test_skip_mode_without_errors_rejects_nothing(tmp_path: Path) -> None:
    data = tf.load_dgddi(write_regional(tmp_path, GOOD_EXPORT, GOOD_IMPORT), on_error="skip")
    assert len(data.rejected()) == 0 and data.report["rows_rejected"] == 0


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError) as info:
        tf.load_dgddi(missing)
    assert isinstance(info.value, errors.DataFileNotFoundError)
    assert isinstance(info.value, tf.TradeflowsError)
    assert info.value.path == str(missing)
    assert str(missing) in str(info.value)


def test_accepts_str_and_pathlike(tmp_path: Path) -> None:
    folder = write_regional(tmp_path, GOOD_EXPORT, GOOD_IMPORT)
    assert (
        tf.load_dgddi(str(folder)).factsheet("22").to_dict()
        == tf.load_dgddi(folder).factsheet("22").to_dict()
    )


def test_zip_is_read_and_broken_zip_is_a_file_format_error(tmp_path: Path) -> None:
    archive = tmp_path / "dgddi.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Region_2024_Export.txt", "\n".join(GOOD_EXPORT) + "\n")
        z.writestr("Region_2024_Import.txt", "\n".join(GOOD_IMPORT) + "\n")
    data = tf.load_dgddi(archive)
    assert data.report["files"] == [
        f"{archive}!Region_2024_Export.txt",
        f"{archive}!Region_2024_Import.txt",
    ]
    assert data.factsheet("22").exports.total_eur == 3500

    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip at all")
    with pytest.raises(errors.FileFormatError) as info:
        tf.load_dgddi(broken)
    assert info.value.path == str(broken)


def test_empty_folder_and_empty_file(tmp_path: Path) -> None:
    with pytest.raises(errors.FileFormatError) as info:
        tf.load_dgddi(tmp_path)
    assert info.value.path == str(tmp_path)
    assert "no DGDDI file found" in str(info.value)

    empty = tmp_path / "Region_2024_Export.txt"
    empty.write_bytes(b"")
    with pytest.raises(errors.FileFormatError) as info:
        tf.load_dgddi(tmp_path)
    assert info.value.path == str(empty)
    assert isinstance(info.value, ValueError)


BAD_CODES = [
    (tf.Country, "de", "country code"),
    (tf.Country, "DEU", "country code"),
    (tf.Cpf4, "011", "CPF4 code"),
    (tf.Cpf4, "01a1", "CPF4 code"),
    (tf.Cpf6, "01431", "CPF6 code"),
    (tf.Nc8, "0101210", "NC8 code"),
    (tf.A129, "X", "A129 code"),
    (tf.A17, "C9", "A17 code"),
    (tf.Departement, "00", None),
    (tf.Departement, "2C", None),
    (tf.Region, "99", None),
]


@pytest.mark.parametrize(
    ("cls", "text", "kind"), BAD_CODES, ids=[f"{c.__name__}-{t}" for c, t, _ in BAD_CODES]
)
def test_bad_code_is_a_code_error(cls: type, text: str, kind: str | None) -> None:
    with pytest.raises(errors.CodeError) as info:
        cls(text)
    e = info.value
    assert isinstance(e, ValueError) and isinstance(e, tf.TradeflowsError)
    assert e.value == text
    assert f'"{text}"' in str(e)
    if kind is not None:
        assert e.kind == kind


def test_request_errors(demo: tf.Data) -> None:
    with pytest.raises(errors.RequestError, match="exports"):
        demo.top("22", flow="both")
    with pytest.raises(errors.RequestError, match="partners"):
        demo.top("22", by="regions")
    with pytest.raises(errors.RequestError, match="2019"):
        demo.totals(year=2019)
    with pytest.raises(errors.CodeError, match="level"):
        demo.factsheet("22", level="a999")
    with pytest.raises(errors.CodeError, match="territory") as info:
        demo.factsheet("dep:00")
    assert info.value.value == "dep:00"
    with pytest.raises(errors.RequestError, match="on_error"):
        tf.load_dgddi(".", on_error="ignore")
