"""The library's computations (top-N, balance, matrix, shares) recomputed independently."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import polars as pl
import pyarrow as pa
import pytest

import tradeflows as tf

SPECS = {
    "22": pl.col("departement") == "22",
    "reg:53": pl.col("region") == "53",
    "fr": pl.lit(True),
}
FLOWS = {"exports": "E", "imports": "I"}


@pytest.fixture(scope="module")
def rows(demo: tf.Data) -> pl.DataFrame:
    """The rows of the reference year (the latest): what the computations draw on."""
    df = pl.DataFrame(demo.flows())
    return df.filter(pl.col("year") == max(demo.years))


def rows_of(rows: pl.DataFrame, spec: str, flow: str) -> pl.DataFrame:
    return rows.filter(SPECS[spec], pl.col("flow") == FLOWS[flow])


def ranked(values: dict[str, int], n: int) -> list[tuple[str, int]]:
    """Top n by value descending then code ascending, then `autres` if the rest is not empty."""
    order = sorted(((c, v) for c, v in values.items() if v != 0), key=lambda cv: (-cv[1], cv[0]))
    named, rest = order[:n], order[n:]
    return named + ([("autres", sum(v for _, v in rest))] if rest else [])


def sums(df: pl.DataFrame, key: str | Callable[[str], str]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    if isinstance(key, str):
        for code, value in df.group_by(key).agg(pl.col("value_eur").sum()).iter_rows():
            out[code] += value
    else:
        for code, value in df.group_by("a129").agg(pl.col("value_eur").sum()).iter_rows():
            out[key(code)] += value
    return dict(out)


def pairs(table: tf.Table) -> list[tuple[str, int]]:
    return [(r["code"], r["value_eur"]) for r in pa.table(table).to_pylist()]


def parent(level: str) -> Callable[[str], str]:
    def code(a129: str) -> str:
        p = getattr(tf.A129(a129), level)
        return a129 if p is None else str(p.code)  # an unlisted A129 stays itself

    return code


LEVELS: dict[str, str | Callable[[str], str]] = {
    "a129": "a129",
    "cpf4": "cpf4",
    "a17": parent("a17"),
    "a10": parent("a10"),
}


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("flow", FLOWS)
def test_top_partners_recomputed(demo: tf.Data, rows: pl.DataFrame, spec: str, flow: str) -> None:
    df = rows_of(rows, spec, flow)
    total = int(df["value_eur"].sum())
    for n in (1, 5, 10):
        top = demo.top(spec, flow=flow, by="partners", n=n)
        got = pairs(top)
        assert got == ranked(sums(df, "country"), n)
        assert sum(v for _, v in got) == total
        assert len(got) == n + 1 and got[-1][0] == "autres"
        labels = pa.table(top).to_pylist()
        assert all(r["label"] == tf.Country(r["code"]).label(2024) for r in labels[:-1])
        assert labels[-1]["label"] == "Autres"
    # Asking for more partners than there are leaves no `autres`.
    everyone = pairs(demo.top(spec, flow=flow, n=10_000))
    assert all(code != "autres" for code, _ in everyone)
    assert sum(v for _, v in everyone) == total


@pytest.mark.parametrize("level", LEVELS)
def test_top_products_recomputed(demo: tf.Data, rows: pl.DataFrame, level: str) -> None:
    for spec in ("22", "fr"):
        df = rows_of(rows, spec, "exports")
        got = pairs(demo.top(spec, by="products", n=7, level=level))
        assert got == ranked(sums(df, LEVELS[level]), 7)
        assert sum(v for _, v in got) == df["value_eur"].sum()
        # The factsheet at the same level gives the same list.
        fs = demo.factsheet(spec, level=level, top=7)
        assert [(r.code, r.value_eur) for r in fs.exports.top_products] == got


def test_top_equals_factsheet_lists(demo: tf.Data) -> None:
    fs = demo.factsheet("29")
    assert pairs(demo.top("29")) == [(r.code, r.value_eur) for r in fs.exports.top_partners]
    assert pairs(demo.top("29", flow="imports", by="products")) == [
        (r.code, r.value_eur) for r in fs.imports.top_products
    ]


@pytest.mark.parametrize("spec", SPECS)
def test_balance_is_exports_minus_imports(demo: tf.Data, rows: pl.DataFrame, spec: str) -> None:
    table = pa.table(demo.balance(spec)).to_pylist()
    exports = sums(rows_of(rows, spec, "exports"), "country")
    imports = sums(rows_of(rows, spec, "imports"), "country")
    assert {r["code"] for r in table} == set(exports) | set(imports)
    for r in table:
        assert r["exports_eur"] == exports.get(r["code"], 0)
        assert r["imports_eur"] == imports.get(r["code"], 0)
        assert r["balance_eur"] == r["exports_eur"] - r["imports_eur"]
    keys = [(-(r["imports_eur"] + r["exports_eur"]), r["code"]) for r in table]
    assert keys == sorted(keys)
    fs = demo.factsheet(spec)
    assert sum(r["exports_eur"] for r in table) == fs.exports.total_eur
    assert sum(r["imports_eur"] for r in table) == fs.imports.total_eur
    # The factsheet's partners are the balance rows of the top-10 partners, in the same order.
    top = {r.code for r in fs.exports.top_partners + fs.imports.top_partners} - {"autres"}
    assert [(p.code, p.imports_eur, p.exports_eur, p.balance_eur) for p in fs.partners] == [
        (r["code"], r["imports_eur"], r["exports_eur"], r["balance_eur"])
        for r in table
        if r["code"] in top
    ]


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("flow", FLOWS)
@pytest.mark.parametrize(("n", "highlight"), [(10, 5), (3, 4), (5, 0), (2, 100)])
def test_matrix_recomputed(
    demo: tf.Data, rows: pl.DataFrame, spec: str, flow: str, n: int, highlight: int
) -> None:
    df = rows_of(rows, spec, flow)
    total = int(df["value_eur"].sum())
    named_products = {c for c, _ in ranked(sums(df, "a129"), n)} - {"autres"}
    named_partners = {c for c, _ in ranked(sums(df, "country"), n)} - {"autres"}
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for product, partner, value in df.select("a129", "country", "value_eur").iter_rows():
        p = product if product in named_products else "autres"
        c = partner if partner in named_partners else "autres"
        expected[(p, c)] += value

    cells = pa.table(demo.matrix(spec, flow=flow, n=n, highlight=highlight)).to_pylist()
    assert {(c["product"], c["partner"]): c["value_eur"] for c in cells} == {
        k: v for k, v in expected.items() if v
    }
    assert sum(c["value_eur"] for c in cells) == total
    assert all(c["value_eur"] > 0 for c in cells)
    keys = [(c["product"], c["partner"]) for c in cells]
    assert keys == sorted(keys)

    named = [c for c in cells if "autres" not in (c["product"], c["partner"])]
    lit = [c for c in cells if c["highlight"]]
    assert len(lit) == min(highlight, len(named))
    assert all(c in named for c in lit)
    by_rank = sorted(named, key=lambda c: (-c["value_eur"], c["product"], c["partner"]))
    assert lit == sorted(by_rank[: len(lit)], key=lambda c: (c["product"], c["partner"]))

    # Row and column sums are the top lists.
    fs = demo.factsheet(spec, top=n, highlight=highlight)
    figures = getattr(fs, flow)
    per_product: dict[str, int] = defaultdict(int)
    per_partner: dict[str, int] = defaultdict(int)
    for c in cells:
        per_product[c["product"]] += c["value_eur"]
        per_partner[c["partner"]] += c["value_eur"]
    assert per_product == {r.code: r.value_eur for r in figures.top_products}
    assert per_partner == {r.code: r.value_eur for r in figures.top_partners}
    assert [(c.product, c.partner, c.value_eur, c.highlight) for c in figures.flows] == [
        (c["product"], c["partner"], c["value_eur"], c["highlight"]) for c in cells
    ]


def test_shares_in_unit_interval(demo: tf.Data) -> None:
    totals = pa.table(demo.totals()).to_pylist()
    for r in totals:
        for key in ("share_of_region", "share_of_nation"):
            if r[key] is not None:
                assert 0.0 <= r[key] <= 1.0, r
        assert (r["share_of_region"] is None) == (r["kind"] != "departement")
        assert (r["share_of_nation"] is None) == (r["kind"] == "france")
    fs = demo.factsheet("22")
    row = next(r for r in totals if r["key"] == "dep-22" and r["flow"] == "exports")
    assert (fs.exports.share_of_region, fs.exports.share_of_nation) == (
        row["share_of_region"],
        row["share_of_nation"],
    )
    assert fs.exports.share_of_region == pytest.approx(
        fs.exports.total_eur / demo.factsheet("reg:53").exports.total_eur, rel=1e-12
    )
    assert fs.exports.share_of_nation == pytest.approx(
        fs.exports.total_eur / demo.factsheet("fr").exports.total_eur, rel=1e-12
    )
