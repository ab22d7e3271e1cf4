"""The Python package gives exactly what the command line writes for the same data."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pyarrow as pa
import pytest

import tradeflows as tf
from tradeflows import errors

from _support import GOOD_EXPORT, GOOD_IMPORT, run_cli, write_regional

# (SPEC given to both, file key the CLI writes).
TERRITORIES = [
    ("22", "dep-22"),
    ("29", "dep-29"),
    ("2A", "dep-20"),
    ("974", "dep-9D"),
    ("reg:53", "reg-53"),
    ("reg:11", "reg-11"),
    ("fr", "fr"),
]

OPTIONS = {
    "defaults": {},
    "top5-highlight3-a17": {"top": 5, "highlight": 3, "level": "a17"},
    "top1-highlight0-a10": {"top": 1, "highlight": 0, "level": "a10"},
}


def cli_args(options: dict[str, int | str]) -> list[str]:
    args: list[str] = []
    for name, value in options.items():
        args += [f"--{name}", str(value)]
    return args


@pytest.mark.parametrize("options", OPTIONS.values(), ids=OPTIONS.keys())
def test_to_dict_equals_cli_json(
    cli: Path, demo_dir: Path, demo_files: tf.Data, tmp_path: Path, options: dict[str, int | str]
) -> None:
    territory_args = [a for spec, _ in TERRITORIES for a in ("--territory", spec)]
    run_cli(
        cli,
        "factsheet",
        "--data",
        demo_dir,
        *territory_args,
        *cli_args(options),
        "--format",
        "json",
        "--out",
        tmp_path,
    )
    written = sorted(p.name for p in (tmp_path / "json").iterdir())
    assert written == sorted(f"{key}.json" for _, key in TERRITORIES)
    for spec, key in TERRITORIES:
        from_cli = json.loads((tmp_path / "json" / f"{key}.json").read_text(encoding="utf-8"))
        from_py = demo_files.factsheet(spec, **options).to_dict()
        assert from_py == from_cli, f"{spec} differs"
        # Files written by `tradeflows demo` stay labelled as demonstration data.
        assert from_py["source"]["demo"] is True
        # The same text, not only the same objects.
        assert json.loads(demo_files.factsheet(spec, **options).to_json()) == from_cli


def test_loaded_files_figures(demo_files: tf.Data, demo_dir: Path) -> None:
    """The files of `demo --scale 0.2` hold a fifth of the rows; totals add up."""
    assert demo_files.demo is True  # the folder holds tradeflows demo's DEMONSTRATION.txt
    assert demo_files.years == [2021, 2022, 2023, 2024]
    report = demo_files.report
    assert report["rows_read"] == report["rows_loaded"] > 0
    assert report["rows_rejected"] == 0
    assert {Path(f).name for f in report["files"]} == {p.name for p in demo_dir.iterdir() if p.name != "DEMONSTRATION.txt"}
    fs = demo_files.factsheet("22")
    assert fs.exports.total_eur > 0 and fs.imports.total_eur > 0


def test_builtin_demo_equals_cli_without_data(cli: Path, demo: tf.Data, tmp_path: Path) -> None:
    """`tradeflows factsheet --all` without --data uses the same demonstration data as tf.demo()."""
    run_cli(cli, "factsheet", "--all", "--format", "json", "--out", tmp_path)
    files = sorted((tmp_path / "json").glob("*.json"))
    assert len(files) == 101 + 18 + 1
    for path in files:
        key = path.stem
        spec = "fr" if key == "fr" else key.replace("-", ":", 1)
        assert demo.factsheet(spec).to_dict() == json.loads(path.read_text(encoding="utf-8")), key


def test_svg_and_html_equal_cli(
    cli: Path, demo_dir: Path, demo_files: tf.Data, tmp_path: Path
) -> None:
    run_cli(
        cli,
        "factsheet",
        "--data",
        demo_dir,
        "--territory",
        "22",
        "--territory",
        "reg:53",
        "--format",
        "svg,html",
        "--out",
        tmp_path,
    )
    for spec, key in (("22", "dep-22"), ("reg:53", "reg-53")):
        fs = demo_files.factsheet(spec)
        assert fs.to_html() == (tmp_path / "html" / f"{key}.html").read_text(encoding="utf-8")
        for kind in ("balance", "activities", "exports", "imports", "evolution", "exposure"):
            chart: tf.Chart = getattr(fs, f"{kind}_chart")
            assert chart.svg == (tmp_path / "svg" / f"{key}-{kind}.svg").read_text(encoding="utf-8")


BAD_EXPORT = [
    GOOD_EXPORT[0],
    "E;1;2024;22;07;C10A;10X2;DE;5;1",  # line 2: CPF4 not 4 digits
    *GOOD_EXPORT[1:],
    "E;1;2024;22;07;C10A;1011;DE;12a;1",  # line 6: Valeur not a number
]
BAD_IMPORT = [
    "I;1;2024;22;07;C10A;1011",  # line 1: 7 fields
    *GOOD_IMPORT,
]


def test_strict_error_names_the_same_place(cli: Path, tmp_path: Path) -> None:
    folder = write_regional(tmp_path / "bad", BAD_EXPORT, GOOD_IMPORT)
    with pytest.raises(errors.ParseError) as info:
        tf.load_dgddi(folder)
    proc = subprocess.run(
        [
            str(cli),
            "factsheet",
            "--data",
            str(folder),
            "--territory",
            "22",
            "--format",
            "json",
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert proc.returncode != 0
    assert str(info.value) in proc.stderr


def test_skip_mode_rejections_equal_cli(cli: Path, tmp_path: Path) -> None:
    folder = write_regional(tmp_path / "bad", BAD_EXPORT, BAD_IMPORT)
    out = tmp_path / "out"
    run_cli(
        cli,
        "factsheet",
        "--data",
        folder,
        "--on-error",
        "skip",
        "--territory",
        "22",
        "--format",
        "json",
        "--out",
        out,
    )
    with (out / "rejected.csv").open(encoding="utf-8", newline="") as f:
        from_cli = list(csv.DictReader(f))
    data = tf.load_dgddi(folder, on_error="skip")
    from_py = pa.table(data.rejected()).to_pylist()
    assert len(from_py) == len(from_cli) == 3
    assert [{k: str(v) for k, v in row.items()} for row in from_py] == from_cli
    assert (
        json.loads((out / "json" / "dep-22.json").read_text(encoding="utf-8"))
        == data.factsheet("22").to_dict()
    )
