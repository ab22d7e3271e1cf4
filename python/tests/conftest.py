"""Shared fixtures: the demonstration data, the command-line binary and files it writes."""

from __future__ import annotations

from pathlib import Path

import pytest

import tradeflows as tf

from _support import Rows, find_cli, run_cli


@pytest.fixture(scope="session")
def cli() -> Path:
    path = find_cli()
    if path is None:
        pytest.skip(
            "no tradeflows binary: set TRADEFLOWS_BIN or run `cargo build -p tradeflows-cli` "
            "(needed to compare the Python results with the command line's)"
        )
    if not path.is_file():
        pytest.fail(f"TRADEFLOWS_BIN={path} does not exist")
    return path


@pytest.fixture(scope="session")
def demo() -> tf.Data:
    """The built-in demonstration data (deterministic)."""
    return tf.demo()


@pytest.fixture(scope="session")
def demo_dir(cli: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DGDDI files written by `tradeflows demo --scale 0.2`."""
    out = tmp_path_factory.mktemp("dgddi")
    run_cli(cli, "demo", "--out", out, "--scale", "0.2")
    return out


@pytest.fixture(scope="session")
def demo_files(demo_dir: Path) -> tf.Data:
    """The files of `demo_dir` loaded by `tf.load_dgddi`."""
    return tf.load_dgddi(demo_dir)


@pytest.fixture(scope="session")
def demo_rows(cli: Path, tmp_path_factory: pytest.TempPathFactory) -> Rows:
    """The rows of the built-in demonstration data, as `tradeflows demo` writes them (scale
    1, the size of `tf.demo()`), read with plain Python: expected figures come from here."""
    out = tmp_path_factory.mktemp("dgddi-full")
    run_cli(cli, "demo", "--out", out)
    return Rows(out)
