"""Arrow tables through the PyCapsule interface: pyarrow, polars and pandas."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import tradeflows as tf

from _support import GOOD_EXPORT, GOOD_IMPORT, Rows, run_cli, write_regional


def field(name: str, typ: pa.DataType, nullable: bool = False) -> pa.Field:
    return pa.field(name, typ, nullable=nullable)


# Codes are dictionary-encoded (a few hundred distinct codes over millions of rows): 16-bit
# keys into the sorted texts; numbers are primitive arrays.
CODE = pa.dictionary(pa.int16(), pa.string())

FLOWS_SCHEMA = pa.schema(
    [
        field("flow", CODE),
        field("year", pa.int32()),
        field("quarter", pa.int32()),
        field("departement", CODE),
        field("region", CODE, nullable=True),
        field("a129", CODE),
        field("cpf4", CODE),
        field("country", CODE),
        field("value_eur", pa.int64()),
        field("mass_kg", pa.int64()),
    ]
)

NATIONAL_SCHEMA = pa.schema(
    [
        field("flow", CODE),
        field("year", pa.int32()),
        field("month", pa.int32()),
        field("cpf6", CODE, nullable=True),
        field("a129", CODE, nullable=True),
        field("nc8", CODE),
        field("country", CODE),
        field("value_eur", pa.int64()),
        field("mass_kg", pa.int64()),
        field("usup", pa.int64()),
    ]
)

TOTALS_SCHEMA = pa.schema(
    [
        field("key", pa.string()),
        field("kind", pa.string()),
        field("code", pa.string()),
        field("name", pa.string()),
        field("flow", pa.string()),
        field("total_eur", pa.int64()),
        field("share_of_region", pa.float64(), nullable=True),
        field("share_of_nation", pa.float64(), nullable=True),
    ]
)


@pytest.fixture(scope="module")
def flows(demo: tf.Data) -> pa.Table:
    return pa.table(demo.flows())


@pytest.fixture(scope="module")
def flows_pl(demo: tf.Data) -> pl.DataFrame:
    return pl.DataFrame(demo.flows())


@pytest.fixture(scope="module")
def totals_pl(demo: tf.Data) -> pl.DataFrame:
    return pl.DataFrame(demo.totals())


def test_pyarrow_schema_and_rows(demo: tf.Data, flows: pa.Table, demo_rows: Rows) -> None:
    assert flows.schema == FLOWS_SCHEMA
    table = demo.flows()
    n = len(demo_rows.rows)
    assert flows.num_rows == len(table) == table.num_rows == n
    assert table.column_names == FLOWS_SCHEMA.names
    assert repr(table).startswith(f"tradeflows.Table({n} rows: flow, year, quarter, departement")
    # The same rows as the files, column by column.
    assert pc.sum(flows["value_eur"]).as_py() == sum(int(r[8]) for r in demo_rows.rows)
    assert pc.sum(flows["mass_kg"]).as_py() == sum(int(r[9]) for r in demo_rows.rows)
    assert pa.schema(table) == FLOWS_SCHEMA  # through __arrow_c_schema__
    assert set(pc.unique(flows["flow"]).to_pylist()) == {"E", "I"}
    assert sorted(pc.unique(flows["year"]).to_pylist()) == demo_rows.years() == demo.years
    assert sorted(pc.unique(flows["quarter"]).to_pylist()) == [1, 2, 3, 4]
    # Codes stay strings with their leading zeros.
    deps = set(pc.unique(flows["departement"]).to_pylist())
    assert {"01", "09", "20", "99", "9D"} <= deps and len(deps) == 101
    assert all(len(c) == 4 for c in pc.unique(flows["cpf4"]).to_pylist())
    assert min(pc.unique(flows["cpf4"]).to_pylist()).startswith("0")
    assert pc.min(flows["value_eur"]).as_py() >= 0


def test_capsules(demo: tf.Data) -> None:
    table = demo.top("22")
    assert "arrow_array_stream" in repr(table.__arrow_c_stream__())
    assert "arrow_schema" in repr(table.__arrow_c_schema__())
    # The stream can be taken again and again, each time the whole table.
    first, second = pa.table(table), pa.RecordBatchReader.from_stream(table).read_all()
    assert first.equals(second) and first.num_rows == 11
    # A requested schema is honoured (a cast the consumer asks for).
    wanted = pa.schema(
        [("code", pa.large_string()), ("label", pa.string()), ("value_eur", pa.int64())]
    )
    assert pa.table(table, schema=wanted).schema == wanted


def test_other_schemas(demo: tf.Data) -> None:
    assert pa.table(demo.national_flows()).schema == NATIONAL_SCHEMA
    assert pa.table(demo.totals()).schema == TOTALS_SCHEMA
    assert pa.table(demo.top("22")).schema == pa.schema(
        [field("code", pa.string()), field("label", pa.string()), field("value_eur", pa.int64())]
    )
    assert pa.table(demo.balance("22")).schema == pa.schema(
        [
            field("code", pa.string()),
            field("label", pa.string()),
            field("imports_eur", pa.int64()),
            field("exports_eur", pa.int64()),
            field("balance_eur", pa.int64()),
        ]
    )
    assert pa.table(demo.matrix("22")).schema == pa.schema(
        [
            field("product", pa.string()),
            field("partner", pa.string()),
            field("value_eur", pa.int64()),
            field("highlight", pa.bool_()),
        ]
    )


def test_national_rows(tmp_path: Path) -> None:
    folder = write_regional(tmp_path, GOOD_EXPORT, GOOD_IMPORT)
    (folder / "National_2024_Import.txt").write_text(
        "I;09;2024;014310;A01Z;01012100;AU;70000;1000;2\n", encoding="utf-8"
    )
    (folder / "National_2014_Export.txt").write_text(  # 2012–2015 layout: 8 columns
        "E;01;2014;01012100;CH;1234;56;7\n", encoding="utf-8"
    )
    rows = pa.table(tf.load_dgddi(folder).national_flows()).to_pylist()
    assert sorted(rows, key=lambda r: r["year"]) == [
        {
            "flow": "E",
            "year": 2014,
            "month": 1,
            "cpf6": None,
            "a129": None,
            "nc8": "01012100",
            "country": "CH",
            "value_eur": 1234,
            "mass_kg": 56,
            "usup": 7,
        },
        {
            "flow": "I",
            "year": 2024,
            "month": 9,
            "cpf6": "014310",
            "a129": "A01Z",
            "nc8": "01012100",
            "country": "AU",
            "value_eur": 70000,
            "mass_kg": 1000,
            "usup": 2,
        },
    ]


def test_polars_dataframe(flows_pl: pl.DataFrame, flows: pa.Table) -> None:
    # Dictionary-encoded codes arrive in polars as Categorical columns.
    assert {name: dtype.base_type() for name, dtype in flows_pl.schema.items()} == (
        {
            "flow": pl.Categorical,
            "year": pl.Int32,
            "quarter": pl.Int32,
            "departement": pl.Categorical,
            "region": pl.Categorical,
            "a129": pl.Categorical,
            "cpf4": pl.Categorical,
            "country": pl.Categorical,
            "value_eur": pl.Int64,
            "mass_kg": pl.Int64,
        }
    )
    assert flows_pl.height == flows.num_rows
    # Categorical compares with plain strings and casts to them.
    assert flows_pl.filter(pl.col("departement") == "22").height > 0
    assert flows_pl["cpf4"].cast(pl.String).str.len_chars().min() == 4


def _flow_name(col: str = "flow") -> pl.Expr:
    return pl.col(col).replace_strict({"E": "exports", "I": "imports"})


def test_polars_aggregations_match_totals(flows_pl: pl.DataFrame, totals_pl: pl.DataFrame) -> None:
    assert totals_pl.height == (101 + 18 + 1) * 2
    # totals() is for the reference year, the latest.
    flows_pl = flows_pl.filter(pl.col("year") == flows_pl["year"].max())
    by = {
        "departement": flows_pl.group_by("departement", "flow").agg(pl.col("value_eur").sum()),
        "region": flows_pl.group_by("region", "flow").agg(pl.col("value_eur").sum()),
        "france": flows_pl.group_by("flow")
        .agg(pl.col("value_eur").sum())
        .with_columns(pl.lit("FR").alias("france")),
    }
    for kind, agg in by.items():
        mine = agg.select(
            pl.col(kind).alias("code"),
            _flow_name().alias("flow"),
            pl.col("value_eur").alias("total_eur"),
        ).sort("code", "flow")
        theirs = (
            totals_pl.filter(pl.col("kind") == kind, pl.col("total_eur") > 0)
            .select("code", "flow", "total_eur")
            .sort("code", "flow")
        )
        assert mine.equals(theirs), kind
    france = totals_pl.filter(pl.col("kind") == "france")
    assert dict(zip(france["flow"], france["total_eur"], strict=True)) == {
        "exports": flows_pl.filter(pl.col("flow") == "E")["value_eur"].sum(),
        "imports": flows_pl.filter(pl.col("flow") == "I")["value_eur"].sum(),
    }


def test_polars_shares_match_totals(totals_pl: pl.DataFrame) -> None:
    deps = totals_pl.filter(pl.col("kind") == "departement")
    regions = totals_pl.filter(pl.col("kind") == "region").select(
        pl.col("code").alias("rcode"), "flow", pl.col("total_eur").alias("region_total")
    )
    nation = totals_pl.filter(pl.col("kind") == "france").select(
        "flow", pl.col("total_eur").alias("nation_total")
    )
    region_of = {d: tf.Departement(d).region.code for d in deps["code"].unique()}
    joined = (
        deps.with_columns(pl.col("code").replace_strict(region_of).alias("rcode"))
        .join(regions, on=["rcode", "flow"])
        .join(nation, on="flow")
    )
    assert joined.height == deps.height
    for row in joined.iter_rows(named=True):
        if row["region_total"]:
            assert row["share_of_region"] == pytest.approx(
                row["total_eur"] / row["region_total"], rel=1e-12
            )
        assert row["share_of_nation"] == pytest.approx(
            row["total_eur"] / row["nation_total"], rel=1e-12
        )
    shares = totals_pl.drop_nulls("share_of_nation")["share_of_nation"]
    assert shares.min() >= 0.0 and shares.max() <= 1.0
    # The départements of a région share it whole; the régions share France whole.
    per_region = joined.group_by("rcode", "flow").agg(pl.col("share_of_region").sum())
    assert per_region["share_of_region"].to_list() == pytest.approx([1.0] * per_region.height)
    reg_shares = (
        totals_pl.filter(pl.col("kind") == "region")
        .group_by("flow")
        .agg(pl.col("share_of_nation").sum())
    )
    assert reg_shares["share_of_nation"].to_list() == pytest.approx([1.0, 1.0])


def test_factsheet_totals_from_polars(demo: tf.Data, flows_pl: pl.DataFrame) -> None:
    for spec, cond in (
        ("22", pl.col("departement") == "22"),
        ("reg:53", pl.col("region") == "53"),
        ("fr", pl.lit(True)),
    ):
        fs = demo.factsheet(spec)
        year = pl.col("year") == fs.year
        sums = flows_pl.filter(cond, year).group_by("flow").agg(pl.col("value_eur").sum())
        got = dict(zip(sums["flow"], sums["value_eur"], strict=True))
        assert (fs.exports.total_eur, fs.imports.total_eur) == (got["E"], got["I"]), spec


def test_pandas_via_pyarrow(demo: tf.Data, flows_pl: pl.DataFrame) -> None:
    df = demo.flows().to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == FLOWS_SCHEMA.names
    assert len(df) == flows_pl.height
    assert df["value_eur"].dtype == "int64" and df["mass_kg"].dtype == "int64"
    for col in ("departement", "cpf4", "country", "a129"):
        assert pd.api.types.is_string_dtype(df[col]), col
    assert df.loc[0, "departement"] == "01" and isinstance(df.loc[0, "departement"], str)
    latest = df["year"] == df["year"].max()
    exports_22 = df[(df["departement"] == "22") & (df["flow"] == "E") & latest]["value_eur"].sum()
    assert int(exports_22) == demo.factsheet("22").exports.total_eur
    pandas_by_dep = df.groupby(["departement", "flow"])["value_eur"].sum()
    polars_by_dep = flows_pl.group_by("departement", "flow").agg(pl.col("value_eur").sum())
    for dep, flow, value in polars_by_dep.iter_rows():
        assert pandas_by_dep[(dep, flow)] == value
    assert pa.table(demo.flows()).to_pandas().equals(df)


def test_conversion_helpers(demo: tf.Data) -> None:
    table = demo.balance("22")
    assert table.to_pyarrow().equals(pa.table(table))
    assert table.to_polars().equals(pl.DataFrame(table))
    assert table.to_pandas().equals(pa.table(table).to_pandas())
    assert pl.from_arrow(table.to_pyarrow()).equals(pl.DataFrame(table))


def test_empty_tables_convert(tmp_path: Path) -> None:
    data = tf.load_dgddi(write_regional(tmp_path, GOOD_EXPORT, GOOD_IMPORT))
    for table in (data.rejected(), data.national_flows()):
        assert len(table) == 0
        assert pa.table(table).num_rows == 0
        assert pl.DataFrame(table).height == 0
        assert len(table.to_pandas()) == 0


def test_flows_are_exactly_the_rows_of_the_files(cli: Path, tmp_path: Path) -> None:
    """flows() and national_flows() give the files' rows, no more, no fewer, each with the
    values it has in its file: compared as multisets of whole rows read with plain Python, on
    data spread like real files (every country, many small flows) over two years."""
    folder = tmp_path / "dgddi"
    run_cli(cli, "demo", "--out", folder, "--scale", "0.3", "--history", "1", "--national",
            "--spread", "real")

    def read(pattern: str, keep: list[int]) -> Counter[tuple[str, ...]]:
        rows: Counter[tuple[str, ...]] = Counter()
        for path in sorted(folder.glob(pattern)):
            for line in path.read_text(encoding="utf-8").splitlines():
                f = line.split(";")
                rows[tuple(str(int(f[i])) if i in (1, 2) else f[i] for i in keep)] += 1
        return rows

    data = tf.load_dgddi(folder)
    regional = pa.table(data.flows())
    names = ["flow", "quarter", "year", "departement", "a129", "cpf4", "country", "value_eur",
             "mass_kg"]
    got: Counter[tuple[str, ...]] = Counter(
        tuple(str(v) for v in row) for row in zip(*(regional[n].to_pylist() for n in names))
    )
    expected = read("Region_*.txt", [0, 1, 2, 3, 5, 6, 7, 8, 9])
    assert regional.num_rows == sum(expected.values()) > 30_000
    assert len({r[6] for r in expected}) > 200  # every country, as real files
    assert got == expected
    # Column sums, as a reader of the files would check them.
    assert pc.sum(regional["value_eur"]).as_py() == sum(int(r[7]) * n for r, n in expected.items())
    assert regional["region"].null_count == 0  # every département of the demo has its région

    national = pa.table(data.national_flows())
    names = ["flow", "month", "year", "cpf6", "a129", "nc8", "country", "value_eur", "mass_kg",
             "usup"]
    got = Counter(
        tuple(str(v) for v in row) for row in zip(*(national[n].to_pylist() for n in names))
    )
    assert got == read("National_*.txt", list(range(10)))
