"""Helpers shared by the tests (imported as `_support`: pytest puts this folder on sys.path)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def find_cli() -> Path | None:
    """The `tradeflows` binary: `$TRADEFLOWS_BIN`, else the repo's release or debug build."""
    env = os.environ.get("TRADEFLOWS_BIN")
    if env:
        return Path(env)
    for profile in ("release", "debug"):
        path = REPO / "target" / profile / "tradeflows"
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


def run_cli(cli: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Runs the CLI, failing the test with its stderr if it exits non-zero."""
    proc = subprocess.run(
        [str(cli), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"{cli} {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stderr}")
    return proc


# One line of each DGDDI regional file (layout of DESIGN.md §2).
GOOD_EXPORT = [
    "E;1;2024;22;07;C10A;1011;DE;1000;10",
    "E;1;2024;22;07;C10A;1011;BE;2500;20",
    "E;2;2024;29;07;C10A;1013;DE;700;7",
    "E;2;2024;35;07;C29A;2910;ES;300;3",
]
GOOD_IMPORT = [
    "I;1;2024;22;07;C10A;1011;DE;400;4",
    "I;1;2024;22;07;C20B;2015;NL;50;1",
]


def write_regional(folder: Path, export_lines: list[str], import_lines: list[str]) -> Path:
    """Writes a small regional dataset (no header, `;`, LF) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Region_2024_Export.txt").write_text("\n".join(export_lines) + "\n", encoding="utf-8")
    (folder / "Region_2024_Import.txt").write_text("\n".join(import_lines) + "\n", encoding="utf-8")
    return folder


def millions(eur: int) -> str:
    """Euros as the factsheet writes millions: one decimal, half away from zero, spaces."""
    tenths = (abs(eur) + 50_000) // 100_000
    whole = f"{tenths // 10:,}".replace(",", " ")
    sign = "-" if eur < 0 and tenths > 0 else ""
    return f"{sign}{whole}.{tenths % 10}"


class Rows:
    """The rows of DGDDI regional files read with plain Python: the independent source of the
    figures the tests expect (nothing here comes from tradeflows)."""

    def __init__(self, folder: Path) -> None:
        self.rows: list[list[str]] = []
        for path in sorted(folder.glob("Region_*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    self.rows.append(line.split(";"))

    def years(self) -> list[int]:
        return sorted({int(r[2]) for r in self.rows})

    def total(
        self,
        flow: str,
        dep: str | None = None,
        region: str | None = None,
        year: int | None = None,
        quarter: int | None = None,
    ) -> int:
        """Sum of `Valeur` for a flow (`E`/`I`), a DGDDI département and/or région code, a
        year (default: the latest) and a quarter (default: all)."""
        year = self.years()[-1] if year is None else year
        return sum(
            int(r[8])
            for r in self.rows
            if r[0] == flow
            and dep in (None, r[3])
            and region in (None, r[4])
            and int(r[2]) == year
            and quarter in (None, int(r[1]))
        )

    def by_partner(self, flow: str, dep: str, year: int | None = None) -> dict[str, int]:
        year = self.years()[-1] if year is None else year
        out: dict[str, int] = {}
        for r in self.rows:
            if r[0] == flow and r[3] == dep and int(r[2]) == year:
                out[r[7]] = out.get(r[7], 0) + int(r[8])
        return out

    def sums(
        self, flow: str, column: int, dep: str | None = None, year: int | None = None
    ) -> dict[str, int]:
        """Sum of `Valeur` by one column (5 A129, 6 CPF4, 7 country) for a flow, a DGDDI
        département (default: France) and a year (default: the latest)."""
        year = self.years()[-1] if year is None else year
        out: dict[str, int] = {}
        for r in self.rows:
            if r[0] == flow and dep in (None, r[3]) and int(r[2]) == year:
                out[r[column]] = out.get(r[column], 0) + int(r[8])
        return out

    @staticmethod
    def top(values: dict[str, int], n: int) -> list[tuple[str, int]]:
        """The n largest, by value descending then code: the contract's order."""
        return sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
