#!/usr/bin/env python3
"""Side-by-side, end-to-end benchmark: tradeflows vs DuckDB vs polars doing the same work.

The work (the README's "reference workload"): from the raw DGDDI regional files of one year
to the figures of all 120 factsheets (101 DGDDI départements, 18 INSEE régions, France), one
JSON file per territory, at product level A129, top 10, 5 highlighted flows. DuckDB and polars
compute the totals, shares, top lists, product × partner matrices, partners and (since
2026-12-03) the dependencies of the imports (CPF4 products mostly imported from outside the EU
from few suppliers, which need the imports by CPF4 and country: 22% of tradeflows' run); the
rest of tradeflows' factsheet (the history, the zones, the countries watched, the
concentration and the specialisation: about 2% of its instructions) they leave out.

    python -m venv /tmp/tf-bench/venv
    /tmp/tf-bench/venv/bin/pip install -r benches/requirements.txt
    /tmp/tf-bench/venv/bin/python benches/compare.py --bin target/release/tradeflows \\
        [--scale 7] [--spread real] [--runs 3] [--workdir /tmp/tf-compare] [--check]
        [--notebook] [--years 10] [--json RESULT.json]

Steps:
1. `tradeflows demo --scale S --spread real --out WORKDIR/data` (skipped when
   WORKDIR/data.marker.json says that data is already there). `--spread real` spreads the
   trade like DGDDI's files (every country, ~1.4 M distinct cells for 2 M rows).
2. Each engine runs from the raw files to
   WORKDIR/out/factsheets/<engine>/round-<i>/json/<key>.json (key: dep-XX, reg-NN, fr; a
   fresh folder every round, the last one kept, see out_of()): tradeflows through its CLI,
   DuckDB (SQL) and polars (lazy expressions) through this same script in a hidden
   `--engine NAME --data D --out O` mode.
   The engines do the aggregation; Python only assembles the small results into dicts.
3. Every engine gets one warm-up run, then `--runs` measured rounds; a round runs every
   engine once, one at a time, each in a fresh child process (wall and CPU time from
   os.wait4); with /usr/bin/time, each round first runs every engine under `time -f %M` for
   its peak RSS, in runs of their own (see measure() and run_all()). Besides the
   ratio of the medians, the table gives the median of each round's ratio ("paired x"),
   which a change in the machine's load during the benchmark moves least. The floor is
   `cat` of the data files to /dev/null. Before the warm-up round the data files are
   dropped from the page cache (see cold_start()); a benchmark started within 6 minutes of
   the last one's deletions first waits (see quiet()).
4. `--check` compares the numbers of the three outputs, territory by territory, and exits 1 on
   any mismatch (shares and HHIs within a relative 1e-12: floats summed in another order).
   Labels are not compared (the engines do not produce them).
5. `--notebook`: the notebook path, files to a DataFrame of every row, each in a fresh Python
   (import included): `tradeflows.load_dgddi` + `pyarrow.table(data.flows())`, the same to a
   polars DataFrame, and polars `read_csv` of the same files; their row counts and value sums
   must agree. Needs the tradeflows package installed in this Python (`pip install .`).
6. `--years N`: tradeflows on a folder of N years (`demo --history N-1`) against one year.

Python startup and `import duckdb` / `import polars` count in the engines' times and memory:
end to end is what a user of each tool pays.
"""

from __future__ import annotations

import argparse
import csv
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOP = 10
HIGHLIGHT = 5
FLOWS = (("E", "exports"), ("I", "imports"))
HERE = Path(__file__).resolve()
# The reference files committed with the repository (reference/PROVENANCE.md).
DEFAULT_CROSSWALK = str(HERE.parents[1] / "reference/cog/departements_101_insee_vs_dgddi.csv")
# tradeflows' zone table: the partner codes outside the zone UE27 are extra-EU.
ZONES = HERE.parents[1] / "crates/tradeflows/data/zones.csv"
# The criteria of a dependency (tradeflows::compute::exposure::criteria): imports of a CPF4
# product of at least MIN_IMPORTS_EUR, more than EXTRA_EU_SHARE of them from outside the EU,
# and the extra-EU suppliers' HHI above HHI_EXTRA_EU.
MIN_IMPORTS_EUR = 1_000_000
EXTRA_EU_SHARE = 0.5
HHI_EXTRA_EU = 0.4
# Raw columns of the DGDDI regional file (no header):
# Flux;Trimestre;Année;Code département;Code région;Code A129;Code CPF4;Code Pays;Valeur;Masse
COLUMNS = ("flow", "quarter", "year", "dep", "reg_dgddi", "product", "cpf4", "partner", "value", "mass")


# --------------------------------------------------------------------------------------------
# Territories
# --------------------------------------------------------------------------------------------
def dep_to_region(crosswalk: str) -> dict[str, str]:
    """DGDDI département code -> INSEE région code (101 entries, Monaco 99 in PACA 93)."""
    mapping: dict[str, str] = {}
    with open(crosswalk, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            mapping[row["dep_dgddi"]] = row["reg_insee"]  # 2A and 2B both give 20 -> 94
    mapping["99"] = "93"
    return mapping


def eu_codes() -> list[str]:
    """The partner codes of the zone UE27 in tradeflows' zone table."""
    with open(ZONES, encoding="utf-8", newline="") as f:
        return sorted(r["code"] for r in csv.DictReader(f) if r["zone"] == "UE27")


def territories(mapping: dict[str, str]) -> list[tuple[str, str, str, str | None]]:
    """(key, kind, code, parent région) for every territory: départements, régions, France."""
    out: list[tuple[str, str, str, str | None]] = []
    for dep in sorted(mapping):
        out.append((f"dep-{dep}", "departement", dep, mapping[dep]))
    for reg in sorted(set(mapping.values())):
        out.append((f"reg-{reg}", "region", reg, None))
    out.append(("fr", "france", "FR", None))
    return out


def data_files(data: str) -> list[str]:
    files = sorted(glob.glob(os.path.join(data, "Region_*_Export.txt")) +
                   glob.glob(os.path.join(data, "Region_*_Import.txt")))
    if not files:
        sys.exit(f"compare.py: no Region_*_Export.txt / Region_*_Import.txt in {data}")
    return files


# --------------------------------------------------------------------------------------------
# Final assembly (shared by the DuckDB and polars engines; inputs are small row lists)
# --------------------------------------------------------------------------------------------
def assemble(mapping, totals, tops, flows, partners, deps, out_dir):
    """Write one JSON per territory.

    totals:   (terr, flow, total, share_of_region, share_of_nation)
    tops:     (terr, flow, what 'product'|'partner', code, value), in list order
    flows:    (terr, flow, product, partner, value, highlight), in list order
    partners: (terr, code, imports, exports), in list order
    deps:     (terr, cpf4, imports, extra-EU imports, HHI of the extra-EU suppliers, top
              supplier, its value), in list order
    """
    sheets = {}
    for key, kind, code, reg in territories(mapping):
        sheet = {
            "schema": "tradeflows.factsheet/1",
            "level": "a129",
            "territory": {"kind": kind, "code": code,
                          "region": {"code": reg} if reg is not None else None},
        }
        for _, name in FLOWS:
            sheet[name] = {"total_eur": 0,
                           "share_of_region": None,
                           "share_of_nation": None,
                           "top_partners": [], "top_products": [], "flows": []}
        sheet["partners"] = []
        sheet["exposure"] = {"imports": {"dependencies": []}}
        sheets[key] = sheet
    names = dict(FLOWS)
    for terr, flow, total, s_reg, s_nat in totals:
        block = sheets[terr][names[flow]]
        block["total_eur"] = int(total)
        block["share_of_region"] = s_reg
        block["share_of_nation"] = s_nat
    for terr, flow, what, code, value in tops:
        sheets[terr][names[flow]]["top_" + what + "s"].append({"code": code, "value_eur": int(value)})
    for terr, flow, product, partner, value, hl in flows:
        sheets[terr][names[flow]]["flows"].append(
            {"product": product, "partner": partner, "value_eur": int(value), "highlight": bool(hl)})
    for terr, code, imp, exp in partners:
        sheets[terr]["partners"].append({"code": code, "imports_eur": int(imp), "exports_eur": int(exp),
                                         "balance_eur": int(exp) - int(imp)})
    for terr, cpf4, total, extra, hhi, top, top_v in deps:
        sheets[terr]["exposure"]["imports"]["dependencies"].append(
            {"product": cpf4, "value_eur": int(total), "extra_eu_share": extra / total,
             "hhi_extra_eu": hhi, "top_supplier": {"code": top, "share": top_v / total}})
    json_dir = Path(out_dir) / "json"
    json_dir.mkdir(parents=True, exist_ok=True)
    for key, sheet in sheets.items():
        with open(json_dir / f"{key}.json", "w", encoding="utf-8") as f:
            json.dump(sheet, f, ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# Engine: DuckDB (SQL)
# --------------------------------------------------------------------------------------------
def run_duckdb(data: str, out: str, crosswalk: str) -> None:
    import duckdb

    mapping = dep_to_region(crosswalk)
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE depreg (dep VARCHAR, reg VARCHAR)")
    con.executemany("INSERT INTO depreg VALUES (?, ?)", sorted(mapping.items()))
    columns = ", ".join(f"'{c}': '{'BIGINT' if c == 'value' else 'VARCHAR'}'" for c in COLUMNS)
    files = ", ".join("'" + f.replace("'", "''") + "'" for f in data_files(data))
    con.execute("CREATE TEMP TABLE eu (partner VARCHAR)")
    con.executemany("INSERT INTO eu VALUES (?)", [(c,) for c in eu_codes()])
    con.execute(f"""
        -- one pass over the bytes: (département, flow, product, CPF4, partner) cells
        CREATE TEMP TABLE fine AS
        SELECT dep, flow, product, cpf4, partner, sum(value)::BIGINT AS v
        FROM read_csv([{files}], delim = ';', header = false, auto_detect = false,
                      quote = '', columns = {{{columns}}})
        GROUP BY ALL;
        -- (département, flow, product, partner) cells
        CREATE TEMP TABLE cells AS
        SELECT dep, flow, product, partner, sum(v)::BIGINT AS v FROM fine GROUP BY ALL;
        -- the imports by CPF4 and partner (the dependencies), and each CPF4's imports and
        -- extra-EU imports for every territory: the suppliers are summed only for the
        -- products that pass on these sums (as tradeflows does)
        CREATE TEMP TABLE imp AS
        SELECT dep, cpf4, partner, sum(v)::BIGINT AS v FROM fine WHERE flow = 'I' GROUP BY ALL;
        CREATE TEMP TABLE tsum AS
        WITH d AS (SELECT dep, cpf4, sum(v)::BIGINT AS total,
                          coalesce(sum(v) FILTER (WHERE eu.partner IS NULL), 0)::BIGINT AS extra
                   FROM imp LEFT JOIN eu USING (partner) GROUP BY ALL)
        SELECT 'dep-' || dep AS terr, cpf4, total, extra FROM d
        UNION ALL
        SELECT 'reg-' || m.reg, cpf4, sum(total)::BIGINT, sum(extra)::BIGINT
        FROM d JOIN depreg m USING (dep) GROUP BY ALL
        UNION ALL
        SELECT 'fr', cpf4, sum(total)::BIGINT, sum(extra)::BIGINT FROM d GROUP BY ALL;
        -- the départements of every territory
        CREATE TEMP TABLE members AS
        SELECT DISTINCT 'dep-' || dep AS terr, dep FROM imp
        UNION ALL SELECT DISTINCT 'reg-' || m.reg, dep FROM imp JOIN depreg m USING (dep)
        UNION ALL SELECT DISTINCT 'fr', dep FROM imp;

        -- the same cells for every territory: départements, INSEE régions, France
        CREATE TEMP TABLE tcells AS
        SELECT 'dep-' || dep AS terr, flow, product, partner, v FROM cells
        UNION ALL
        SELECT 'reg-' || m.reg, flow, product, partner, sum(v)::BIGINT
        FROM cells JOIN depreg m USING (dep) GROUP BY ALL
        UNION ALL
        SELECT 'fr', flow, product, partner, sum(v)::BIGINT FROM cells GROUP BY ALL;

        -- products and partners ranked per territory and flow (value desc, then code)
        CREATE TEMP TABLE prod_rank AS
        SELECT terr, flow, product AS code, sum(v)::BIGINT AS v,
               row_number() OVER (PARTITION BY terr, flow ORDER BY sum(v) DESC, product) AS rk
        FROM tcells GROUP BY terr, flow, product;
        CREATE TEMP TABLE part_rank AS
        SELECT terr, flow, partner AS code, sum(v)::BIGINT AS v,
               row_number() OVER (PARTITION BY terr, flow ORDER BY sum(v) DESC, partner) AS rk
        FROM tcells GROUP BY terr, flow, partner;
    """)

    terrs = [(key, kind, f"reg-{reg}" if reg else None) for key, kind, _, reg in territories(mapping)]
    con.execute("CREATE TEMP TABLE terrs (terr VARCHAR, kind VARCHAR, parent VARCHAR)")
    con.executemany("INSERT INTO terrs VALUES (?, ?, ?)", terrs)
    totals = con.execute("""
        WITH t AS (SELECT terr, flow, sum(v)::BIGINT AS total FROM prod_rank GROUP BY ALL)
        SELECT t.terr, t.flow, t.total,
               CASE WHEN k.kind = 'departement' THEN t.total / nullif(r.total, 0) END,
               CASE WHEN k.kind <> 'france' THEN t.total / nullif(n.total, 0) END
        FROM t JOIN terrs k USING (terr)
        LEFT JOIN t r ON r.terr = k.parent AND r.flow = t.flow
        LEFT JOIN t n ON n.terr = 'fr' AND n.flow = t.flow
    """).fetchall()
    tops = con.execute(f"""
        SELECT terr, flow, what, code, v FROM (
            SELECT terr, flow, 'product' AS what, CASE WHEN rk <= {TOP} THEN code ELSE 'autres' END AS code,
                   sum(v)::BIGINT AS v, min(rk) AS rk
            FROM prod_rank GROUP BY ALL
            UNION ALL
            SELECT terr, flow, 'partner', CASE WHEN rk <= {TOP} THEN code ELSE 'autres' END,
                   sum(v)::BIGINT, min(rk)
            FROM part_rank GROUP BY ALL)
        ORDER BY terr, flow, what, rk
    """).fetchall()
    flows = con.execute(f"""
        WITH f AS (
            SELECT c.terr, c.flow, coalesce(p.code, 'autres') AS product,
                   coalesce(q.code, 'autres') AS partner, sum(c.v)::BIGINT AS v,
                   p.code IS NOT NULL AND q.code IS NOT NULL AS named
            FROM tcells c
            LEFT JOIN (SELECT terr, flow, code FROM prod_rank WHERE rk <= {TOP}) p
                   ON c.terr = p.terr AND c.flow = p.flow AND c.product = p.code
            LEFT JOIN (SELECT terr, flow, code FROM part_rank WHERE rk <= {TOP}) q
                   ON c.terr = q.terr AND c.flow = q.flow AND c.partner = q.code
            GROUP BY ALL
            HAVING sum(c.v) <> 0)
        SELECT terr, flow, product, partner, v,
               named AND row_number() OVER (PARTITION BY terr, flow, named
                                            ORDER BY v DESC, product, partner) <= {HIGHLIGHT}
        FROM f
        ORDER BY terr, flow, product, partner
    """).fetchall()
    partners = con.execute(f"""
        WITH top AS (SELECT DISTINCT terr, code FROM part_rank WHERE rk <= {TOP})
        SELECT terr, code,
               coalesce(sum(v) FILTER (WHERE flow = 'I'), 0)::BIGINT AS imports,
               coalesce(sum(v) FILTER (WHERE flow = 'E'), 0)::BIGINT AS exports
        FROM top JOIN part_rank USING (terr, code)
        GROUP BY ALL
        ORDER BY terr, imports + exports DESC, code
    """).fetchall()
    deps = con.execute(f"""
        WITH w AS (
            SELECT * FROM tsum
            WHERE total >= {MIN_IMPORTS_EUR} AND extra::DOUBLE / total > {EXTRA_EU_SHARE}),
        s AS (
            SELECT w.terr, w.cpf4, i.partner, sum(i.v)::BIGINT AS v
            FROM w JOIN members USING (terr) JOIN imp i USING (dep, cpf4)
            ANTI JOIN eu USING (partner)
            GROUP BY ALL HAVING sum(i.v) <> 0)
        SELECT terr, cpf4, total, extra,
               sum((s.v::DOUBLE / extra) * (s.v::DOUBLE / extra)) AS hhi,
               first(s.partner ORDER BY s.v DESC, s.partner), max(s.v)
        FROM w JOIN s USING (terr, cpf4)
        GROUP BY terr, cpf4, total, extra
        HAVING hhi > {HHI_EXTRA_EU}
        ORDER BY terr, total DESC, cpf4
    """).fetchall()
    con.close()
    assemble(mapping, totals, tops, flows, partners, deps, out)


# --------------------------------------------------------------------------------------------
# Engine: polars (lazy expressions)
# --------------------------------------------------------------------------------------------
def run_polars(data: str, out: str, crosswalk: str) -> None:
    import polars as pl

    mapping = dep_to_region(crosswalk)
    schema = {c: (pl.Int64 if c == "value" else pl.String) for c in COLUMNS}
    # one pass over the bytes: (département, flow, product, CPF4, partner) cells
    fine = (
        pl.scan_csv(data_files(data), has_header=False, separator=";", schema=schema, quote_char=None)
        .group_by("dep", "flow", "product", "cpf4", "partner")
        .agg(v=pl.col("value").sum())
        .collect()
        .lazy()
    )
    # (département, flow, product, partner) cells, and the imports by CPF4 and partner
    cells, imp = pl.collect_all([
        fine.group_by("dep", "flow", "product", "partner").agg(pl.col("v").sum()),
        fine.filter(pl.col("flow") == "I").group_by("dep", "cpf4", "partner").agg(pl.col("v").sum()),
    ])
    cells, imp = cells.lazy(), imp.lazy()

    def per_territory(frame: pl.LazyFrame, keys: list[str]) -> pl.LazyFrame:
        """The sums `v` of a frame by département, by `keys`, for every territory."""
        return pl.concat([
            frame.select((pl.lit("dep-") + pl.col("dep")).alias("terr"), *keys, "v"),
            frame.with_columns(terr=pl.lit("reg-") + pl.col("dep").replace_strict(mapping, return_dtype=pl.String))
                 .group_by("terr", *keys).agg(pl.col("v").sum()),
            frame.group_by(*keys).agg(pl.col("v").sum()).with_columns(terr=pl.lit("fr")),
        ], how="diagonal")

    tcells = per_territory(cells, ["flow", "product", "partner"]).collect().lazy()

    def ranked(col: str) -> pl.LazyFrame:
        return (tcells.group_by("terr", "flow", col).agg(pl.col("v").sum())
                .sort(["terr", "flow", "v", col], descending=[False, False, True, False])
                .with_columns(rk=pl.int_range(1, pl.len() + 1).over("terr", "flow"))
                .rename({col: "code"}))

    prod_rank, part_rank = ranked("product"), ranked("partner")
    prod_rank, part_rank = [df.lazy() for df in pl.collect_all([prod_rank, part_rank])]

    terrs = pl.LazyFrame(
        [(key, kind, f"reg-{reg}" if reg else None) for key, kind, _, reg in territories(mapping)],
        schema={"terr": pl.String, "kind": pl.String, "parent": pl.String}, orient="row")
    t = prod_rank.group_by("terr", "flow").agg(total=pl.col("v").sum())
    totals = (
        t.join(terrs, on="terr")
        .join(t.rename({"terr": "parent", "total": "reg_total"}), on=["parent", "flow"], how="left")
        .join(t.filter(pl.col("terr") == "fr").select("flow", fr_total="total"), on="flow", how="left")
        .select("terr", "flow", "total",
                pl.when((pl.col("kind") == "departement") & (pl.col("reg_total") != 0))
                  .then(pl.col("total") / pl.col("reg_total")).alias("s_reg"),
                pl.when((pl.col("kind") != "france") & (pl.col("fr_total") != 0))
                  .then(pl.col("total") / pl.col("fr_total")).alias("s_nat"))
    )

    def top_list(ranked_df: pl.LazyFrame, what: str) -> pl.LazyFrame:
        return (ranked_df
                .group_by("terr", "flow", code=pl.when(pl.col("rk") <= TOP).then("code").otherwise(pl.lit("autres")))
                .agg(pl.col("v").sum(), pl.col("rk").min())
                .select("terr", "flow", what=pl.lit(what), code="code", v="v", rk="rk"))

    tops = (pl.concat([top_list(prod_rank, "product"), top_list(part_rank, "partner")])
            .sort("terr", "flow", "what", "rk").drop("rk"))

    named_prod = prod_rank.filter(pl.col("rk") <= TOP).select("terr", "flow", product="code", p="code")
    named_part = part_rank.filter(pl.col("rk") <= TOP).select("terr", "flow", partner="code", q="code")
    flows = (
        tcells
        .join(named_prod, on=["terr", "flow", "product"], how="left")
        .join(named_part, on=["terr", "flow", "partner"], how="left")
        .group_by("terr", "flow",
                  product=pl.col("p").fill_null("autres"), partner=pl.col("q").fill_null("autres"))
        .agg(pl.col("v").sum())
        .filter(pl.col("v") != 0)
        .with_columns(named=(pl.col("product") != "autres") & (pl.col("partner") != "autres"))
        .sort(["terr", "flow", "v", "product", "partner"], descending=[False, False, True, False, False])
        .with_columns(hl=pl.col("named") & (pl.int_range(1, pl.len() + 1).over("terr", "flow", "named") <= HIGHLIGHT))
        .select("terr", "flow", "product", "partner", "v", "hl")
        .sort("terr", "flow", "product", "partner")
    )
    partners = (
        part_rank.filter(pl.col("rk") <= TOP).select("terr", "code").unique()
        .join(part_rank, on=["terr", "code"])
        .group_by("terr", "code")
        .agg(imports=pl.col("v").filter(pl.col("flow") == "I").sum(),
             exports=pl.col("v").filter(pl.col("flow") == "E").sum())
        .sort([pl.col("terr"), pl.col("imports") + pl.col("exports"), pl.col("code")],
              descending=[False, True, False])
    )
    # the dependencies: the imports by CPF4 and partner of every territory (summed for every
    # product: in polars, faster than joining the départements' rows to the products that
    # pass on their sums, as the DuckDB engine does: 1.29-1.45 against 1.66-1.69 s for the
    # whole engine)
    timp = per_territory(imp, ["cpf4", "partner"]).with_columns(eu=pl.col("partner").is_in(eu_codes()))
    products = (timp.group_by("terr", "cpf4")
                .agg(total=pl.col("v").sum(), extra=pl.col("v").filter(~pl.col("eu")).sum())
                .filter((pl.col("total") >= MIN_IMPORTS_EUR)
                        & (pl.col("extra") / pl.col("total") > EXTRA_EU_SHARE)))
    deps = (timp.filter(~pl.col("eu") & (pl.col("v") != 0))
            .join(products, on=["terr", "cpf4"])
            .with_columns(s=pl.col("v") / pl.col("extra"))
            .sort(["terr", "cpf4", "v", "partner"], descending=[False, False, True, False])
            .group_by("terr", "cpf4", maintain_order=True)
            .agg(pl.col("total").first(), pl.col("extra").first(), hhi=(pl.col("s") * pl.col("s")).sum(),
                 top=pl.col("partner").first(), top_v=pl.col("v").first())
            .filter(pl.col("hhi") > HHI_EXTRA_EU)
            .sort(["terr", "total", "cpf4"], descending=[False, True, False]))
    totals, tops, flows, partners, deps = pl.collect_all([totals, tops, flows, partners, deps])
    assemble(mapping, totals.iter_rows(), tops.iter_rows(), flows.iter_rows(), partners.iter_rows(),
             deps.iter_rows(), out)


# --------------------------------------------------------------------------------------------
# The notebook path: from the files to a DataFrame of every row (what an analyst does first)
# --------------------------------------------------------------------------------------------
def _rows_summary(out: str, rows: int, value: int) -> None:
    os.makedirs(out, exist_ok=True)
    Path(out, "rows.json").write_text(json.dumps({"rows": rows, "value_eur": value}))


def run_nb_tradeflows(data: str, out: str, crosswalk: str) -> None:
    """tradeflows.load_dgddi, then every row as a pyarrow Table (Arrow C stream)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import tradeflows as tf

    table = pa.table(tf.load_dgddi(data).flows())
    _rows_summary(out, table.num_rows, pc.sum(table["value_eur"]).as_py())


def run_nb_tradeflows_polars(data: str, out: str, crosswalk: str) -> None:
    """tradeflows.load_dgddi, then every row as a polars DataFrame."""
    import polars as pl
    import tradeflows as tf

    df = pl.DataFrame(tf.load_dgddi(data).flows())
    _rows_summary(out, df.height, int(df["value_eur"].sum()))


def run_nb_polars(data: str, out: str, crosswalk: str) -> None:
    """polars.read_csv of the same files (codes as strings, as DGDDI writes them)."""
    import polars as pl

    schema = {c: (pl.Int64 if c in ("value", "mass") else pl.Int32 if c in ("quarter", "year")
                  else pl.String) for c in COLUMNS}
    df = pl.concat([pl.read_csv(f, separator=";", has_header=False, schema=schema)
                    for f in data_files(data)])
    _rows_summary(out, df.height, int(df["value"].sum()))


ENGINES = {"duckdb": run_duckdb, "polars": run_polars, "nb-tradeflows": run_nb_tradeflows,
           "nb-tradeflows-polars": run_nb_tradeflows_polars, "nb-polars": run_nb_polars}
NOTEBOOK = ("nb-tradeflows", "nb-tradeflows-polars", "nb-polars")


# --------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------
GNU_TIME = "/usr/bin/time"


def measure(cmd: list[str], log: Path, peak: bool = False) -> dict:
    """Run cmd as a child, one at a time: wall time and CPU time (user+sys), or its peak RSS.

    Wall and CPU come from os.wait4 on the command itself. The peak RSS cannot: on Linux a
    child's ru_maxrss starts from the RSS of the process it was forked from (the kernel
    keeps the pre-exec high-water mark), i.e. this Python process. So with `peak` the
    command runs under `/usr/bin/time -f %M`, a small C process whose own wait4 reports the
    command's peak, in a run of its own (see run_all): timed through that wrapper, every
    engine would also be charged for starting it, about 1 ms, which weighs on the fastest
    one (tradeflows, wrapped: 42.0 against 41.2 ms bare, median of 21 interleaved runs).
    Without GNU time the timed run's wait4 figure is the peak (floor: this script's RSS).
    """
    rss_file = log.with_suffix(".rss")
    full = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *cmd] if peak else cmd
    with open(log, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stderr.write(log.read_text(errors="replace"))
        sys.exit(f"compare.py: {' '.join(cmd)} failed with status {proc.returncode}")
    peak_kib = int(rss_file.read_text().split()[-1]) if peak else ru.ru_maxrss
    return {"wall_s": wall, "cpu_s": ru.ru_utime + ru.ru_stime, "peak_kib": peak_kib}


def engine_cmd(engine: str, args, data: str, out: str) -> list[str]:
    if engine == "read":
        return ["cat", *data_files(data)]
    if engine == "tradeflows":
        return [args.bin, "factsheet", "--data", data, "--all", "--format", "json", "--out", out]
    return [sys.executable, str(HERE), "--engine", engine, "--data", data, "--out", out,
            "--crosswalk", args.crosswalk]


def generate(args, work: Path, years: int = 1) -> dict:
    name = "data" if years == 1 else f"data-{years}y"
    data = work / name
    marker = work / f"{name}.marker.json"
    wanted = {"scale": args.scale, "spread": args.spread, "years": years}
    if marker.exists() and data.is_dir():
        info = json.loads(marker.read_text())
        if all(info.get(k) == v for k, v in wanted.items()) and \
                all(os.path.exists(f) for f in data_files(str(data))):
            print(f"data: reusing {data} (scale {args.scale}, spread {args.spread}, {years} years)")
            return info
    if data.exists():
        shutil.rmtree(data)
    marker.unlink(missing_ok=True)
    cmd = [args.bin, "demo", "--scale", str(args.scale), "--spread", args.spread,
           "--history", str(years - 1), "--out", str(data)]
    print(f"data: {' '.join(cmd[1:])}")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = size = 0
    for f in data_files(str(data)):
        size += os.path.getsize(f)
        with open(f, "rb") as fh:
            while chunk := fh.read(1 << 24):
                rows += chunk.count(b"\n")
    info = {**wanted, "rows": rows, "bytes": size}
    marker.write_text(json.dumps(info))
    return info


# --------------------------------------------------------------------------------------------
# Check
# --------------------------------------------------------------------------------------------
def load_numbers(out: Path) -> dict:
    """The numbers of every factsheet of an output folder, labels left out."""
    result = {}
    for path in sorted((out / "json").glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        t = d["territory"]
        sheet = {"territory": (t["kind"], t["code"], (t.get("region") or {}).get("code"))}
        for _, name in FLOWS:
            b = d[name]
            sheet[name + ".total_eur"] = b["total_eur"]
            sheet[name + ".share_of_region"] = b.get("share_of_region")
            sheet[name + ".share_of_nation"] = b.get("share_of_nation")
            sheet[name + ".top_partners"] = [(e["code"], e["value_eur"]) for e in b["top_partners"]]
            sheet[name + ".top_products"] = [(e["code"], e["value_eur"]) for e in b["top_products"]]
            sheet[name + ".flows"] = [(e["product"], e["partner"], e["value_eur"], e["highlight"])
                                      for e in b["flows"]]
        sheet["partners"] = [(e["code"], e["imports_eur"], e["exports_eur"], e["balance_eur"])
                             for e in d["partners"]]
        deps = ((d.get("exposure") or {}).get("imports") or {}).get("dependencies") or []
        sheet["imports.dependencies"] = [
            (e["product"], e["value_eur"], e["extra_eu_share"], e["hhi_extra_eu"],
             e["top_supplier"]["code"], e["top_supplier"]["share"]) for e in deps]
        result[path.stem] = sheet
    return result


def close(a, b) -> bool:
    """Equal, or two floats within a relative 1e-12 (sums of floats in another order)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b))
    return a == b


def same(field: str, a, b) -> bool:
    if "share_of" in field and a is not None and b is not None:
        return close(float(a), float(b))
    if field.endswith("dependencies"):
        return len(a) == len(b) and all(
            len(x) == len(y) and all(close(p, q) for p, q in zip(x, y)) for x, y in zip(a, b))
    return a == b


def describe(a, b) -> str:
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return f"first difference at [{i}]: {x!r} vs {y!r}"
        return f"lengths {len(a)} vs {len(b)}; extra: {(a[len(b):] or b[len(a):])[:3]!r}"
    return f"{a!r} vs {b!r}"


def check(outs: dict[str, Path]) -> int:
    numbers = {name: load_numbers(path) for name, path in outs.items()}
    names = list(numbers)
    problems = 0
    keys = sorted(set().union(*numbers.values()))
    for name in names:
        missing = [k for k in keys if k not in numbers[name]]
        if missing:
            problems += 1
            print(f"  MISMATCH {name}: missing {len(missing)} factsheets: {missing[:10]}")
    shown = 0
    for key in keys:
        if not all(key in numbers[n] for n in names):
            continue
        for field in numbers[names[0]][key]:
            vals = {n: numbers[n][key].get(field) for n in names}
            pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]
                     if not same(field, vals[a], vals[b])]
            if not pairs:
                continue
            problems += 1
            # the odd one out, if two of the three agree
            odd = [n for n in names if all(n in p for p in pairs)]
            who = f"{odd[0]} disagrees with the others" if len(odd) == 1 else "all differ"
            if shown < 40:
                a, b = pairs[0]
                print(f"  MISMATCH {key} {field}: {who}; {a} vs {b}: {describe(vals[a], vals[b])}")
                shown += 1
    if problems:
        print(f"check: {problems} mismatching fields over {len(keys)} factsheets")
    else:
        print(f"check: OK, {len(keys)} factsheets, all numbers identical across {', '.join(names)}")
    return problems


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------
# Folders to delete once every measurement is done (see `out_of` and `main`).
LATER: list[Path] = []

# Seconds after a deletion during which ext4 may slow the creation of files (see `quiet`):
# the kernel's longest window, RECENTCY_MIN + RECENTCY_DIRTY in fs/ext4/ialloc.c.
QUIET_S = 360


def delete_later(work: Path) -> None:
    """Deletes the folders of LATER and notes when, for the next benchmark's `quiet`."""
    for path in LATER:
        shutil.rmtree(path, ignore_errors=True)
    (work / "deleted-at").write_text(f"{time.time():.3f}\n")


def quiet(work: Path) -> None:
    """Waits until QUIET_S seconds have passed since this benchmark last deleted its outputs.

    On an ext4 file system without a journal (this project's machines), making a file
    scans the inode bitmap of its folder's group from the start and skips, one by one, the
    inodes freed in the last 60 s, or 360 s while their inode table block is not written
    back (`recently_deleted` in fs/ext4/ialloc.c), each skip a look at that block. Right
    after a benchmark deletes its thousands of files, creating files is much slower.
    Measured (creating 120 files of 20 KB and renaming them, as tradeflows does): 2.4-3.3
    ms on a quiet file system; after 4 000 files were deleted, 8-10 ms for the next minute
    and a half, back to 2.0-2.5 ms after 146 s (after an earlier deletion, about 140 s).
    tradeflows' whole run took 59 ms within a minute of a benchmark's deletions (perf:
    10.8% of its CPU time in `__ext4_new_inode`; on a quiet file system, 1% in opening
    files) and 51 ms three minutes after the last deletion (medians of 21 and 15 runs; on
    an earlier machine, 108.5 ms before deleting 1 800 files, 135 then 146 ms just after,
    112.9 ms a minute later). The cost comes from whatever deleted files before, not from
    the engine measured, and weighs most on the fastest one: back-to-back benchmarks wait
    out the kernel's longest window. (Deletions made by other programs are not known here:
    a build, a `pip install`, an `rm -r` of old outputs just before slow the file creations
    of every engine in the same way. Run on a quiet file system.)"""
    try:
        last = float((work / "deleted-at").read_text())
    except (OSError, ValueError):
        return
    wait = last + QUIET_S - time.time()
    if wait > 0:
        print(f"waiting {wait:.0f} s: files deleted {QUIET_S - wait:.0f} s ago slow the "
              f"creation of files (ext4)", flush=True)
        time.sleep(wait)


def out_of(work: Path, tag: str, engine: str, i: int, run: str = "") -> Path:
    """The output folder of an engine's round `i`: a fresh folder every round.

    Nothing is deleted while engines are measured. On an ext4 file system without a journal
    (this project's machines), the kernel skips the inodes freed in the last minutes when it
    makes a file, one by one: deleting each round's 120 files before the next round made
    creating them slower round after round (tradeflows' 121 file creations took 8, 17, 21,
    22, 30 then 41 ms over six rounds), a cost that comes from the benchmark, not from the
    engines. The old rounds are deleted at the end (`main`)."""
    return work / "out" / tag / engine / (f"round-{i}-{run}" if run else f"round-{i}")


def cold_start(data: str) -> None:
    """Drops the data files from the page cache: the warm-up round reads them in again.

    The cache keeps a file in the folios of whatever read it in last, and the engines read
    faster out of large folios: tradeflows took 110.9 ms on files held in 4 KiB pages (as
    its own cold run left them before 79e6e21) and 101.3 ms on the same files read in by
    a sequential read (median of 15 interleaved runs). Without this, a benchmark measures
    the history of the files (which tool, which session, what the kernel evicted since);
    with it, every benchmark measures files read in by the warm-up round, the first reader
    being `cat` (or the engine of the section), as they are after any tool read them whole."""
    for path in data_files(data):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)  # dirty pages are not dropped: a file just generated is written first
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def run_all(args, engines: list[str], data: str, work: Path, tag: str) -> dict[str, list[dict]]:
    """Every engine: one warm-up, then --runs measured rounds, each run in a fresh process.

    A round runs every engine once, one after the other, so a change in the machine's load
    during the benchmark weighs on every engine alike (the paired ratios of `table`). With
    GNU time, a round first runs every engine under it for its peak RSS, then every engine
    again, timed on its own (see measure): an engine's timed run comes after the same
    engines as without the peak runs (after the floor, `cat`, for tradeflows). The warm-up
    round starts from files out of the page cache (see `cold_start`)."""
    results: dict[str, list[dict]] = {engine: [] for engine in engines}
    if hasattr(os, "posix_fadvise"):
        cold_start(data)
    logs = Path(tempfile.mkdtemp(prefix="logs-", dir=work))
    LATER.append(logs)
    peaks = os.access(GNU_TIME, os.X_OK)
    for i in range(args.runs + 1):  # round 0 is the warm-up
        peak = {}
        for engine in engines if peaks else []:
            out = out_of(work, tag, engine, i, "peak")
            LATER.append(out)
            cmd = engine_cmd(engine, args, data, str(out))
            peak[engine] = measure(cmd, logs / f"{engine}-{i}-peak.log", peak=True)
        for engine in engines:
            out = out_of(work, tag, engine, i)
            if i < args.runs:
                LATER.append(out)
            r = measure(engine_cmd(engine, args, data, str(out)), logs / f"{engine}-{i}.log")
            if engine in peak:
                r["peak_kib"] = peak[engine]["peak_kib"]
                r["wrapped_wall_s"] = peak[engine]["wall_s"]
            if i:
                results[engine].append(r)
            print(f"  {engine:<21} {'warm-up' if i == 0 else f'run {i}':<8} {r['wall_s']:7.3f} s wall "
                  f"{r['cpu_s']:7.3f} s cpu {r['peak_kib'] / 1024:8.1f} MiB", flush=True)
    return results


def table(results: dict[str, list[dict]], base: str, floor: str | None,
          paired: bool = True) -> dict[str, dict]:
    """Prints the medians and the ratios to `base` (and to `floor`, the bytes read).

    With `paired` (the engines ran in rounds, see run_all), also the median over the rounds
    of each round's ratio to `base`: the figure least moved by the machine's load."""
    def med(engine, key):
        return statistics.median(r[key] for r in results[engine])

    head = (f"{'engine':<22}{'median s':>9}{'min s':>8}{'max s':>8}{'cpu s':>8}{'peak MiB':>10}"
            f"{'time x base':>12}{'mem x base':>11}" + (f"{'paired x':>10}" if paired else "")
            + (f"{'time x read':>12}" if floor else ""))
    print(head)
    print("-" * len(head))
    summary = {}
    for engine in results:
        walls = [r["wall_s"] for r in results[engine]]
        row = {"median_s": statistics.median(walls), "min_s": min(walls), "max_s": max(walls),
               "cpu_s": med(engine, "cpu_s"), "peak_mib": med(engine, "peak_kib") / 1024,
               "runs": results[engine]}
        row["time_vs_base"] = row["median_s"] / med(base, "wall_s")
        row["mem_vs_base"] = med(engine, "peak_kib") / med(base, "peak_kib")
        if paired:
            row["paired_vs_base"] = statistics.median(
                r["wall_s"] / b["wall_s"] for r, b in zip(results[engine], results[base]))
        if floor:
            row["time_vs_read"] = row["median_s"] / med(floor, "wall_s")
        summary[engine] = row
        name = "cat (read)" if engine == "read" else engine
        print(f"{name:<22}{row['median_s']:>9.3f}{row['min_s']:>8.3f}{row['max_s']:>8.3f}"
              f"{row['cpu_s']:>8.3f}{row['peak_mib']:>10.1f}{row['time_vs_base']:>11.2f}x"
              f"{row['mem_vs_base']:>10.2f}x"
              + (f"{row['paired_vs_base']:>9.2f}x" if paired else "")
              + (f"{row['time_vs_read']:>11.1f}x" if floor else ""))
    wrapped = all("wrapped_wall_s" in r for rs in results.values() for r in rs)
    if wrapped and results:
        # The peak runs' times, for comparison with benchmarks that timed engines through
        # /usr/bin/time (before 2026-12-03): the same ratios, each engine charged its start.
        def wmed(engine):
            return statistics.median(r["wrapped_wall_s"] for r in results[engine])
        print("timed under /usr/bin/time (the peak runs): " + ", ".join(
            f"{e} {wmed(e):.3f} s ({wmed(e) / wmed(base):.2f}x)" for e in results))
        for engine, row in summary.items():
            row["wrapped_median_s"] = wmed(engine)
            row["wrapped_vs_base"] = wmed(engine) / wmed(base)
    return summary


def check_rows(outs: dict[str, Path]) -> bool:
    """The notebook engines (their output folders) read the same rows: same count, same sum
    of values."""
    got = {e: json.loads((out / "rows.json").read_text()) for e, out in outs.items()}
    same_rows = len({(g["rows"], g["value_eur"]) for g in got.values()}) == 1
    print(f"check: {'OK' if same_rows else 'MISMATCH'}, rows and value sums: {got}")
    return same_rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", help="prebuilt tradeflows binary")
    ap.add_argument("--scale", type=float, default=7.0, help="demo data scale (default 7)")
    ap.add_argument("--spread", choices=("real", "compact"), default="real",
                    help="demo --spread: real (like DGDDI's files, default) or compact")
    ap.add_argument("--runs", type=int, default=3, help="measured runs per engine, after a warm-up")
    ap.add_argument("--workdir", default="/tmp/tf-compare")
    ap.add_argument("--check", action="store_true", help="compare the engines' numbers")
    ap.add_argument("--notebook", action="store_true",
                    help="also the notebook path (needs the tradeflows package in this Python)")
    ap.add_argument("--years", type=int, default=0,
                    help="also tradeflows on a folder of this many years vs one year")
    ap.add_argument("--json", help="save the measurements to this file")
    ap.add_argument("--engines", default="tradeflows,duckdb,polars", help=argparse.SUPPRESS)
    ap.add_argument("--crosswalk", default=DEFAULT_CROSSWALK,
                    help="departements_101_insee_vs_dgddi.csv (dep_dgddi -> reg_insee)")
    ap.add_argument("--engine", choices=sorted(ENGINES), help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.engine:  # hidden mode: one engine, one run
        ENGINES[args.engine](args.data, args.out, args.crosswalk)
        return 0
    if not args.bin:
        ap.error("--bin PATH/TO/tradeflows is required")
    args.bin = str(Path(args.bin).resolve())
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    # A previous benchmark's outputs are moved aside (a rename frees no inode) and deleted
    # with this one's old rounds at the end: see `out_of`.
    if (work / "out").exists():
        old = Path(tempfile.mkdtemp(prefix="old-out-", dir=work))
        (work / "out").rename(old / "out")
        LATER.append(old)
    info = generate(args, work)
    data = str(work / "data")
    print(f"data: {info['rows']:,} rows, {info['bytes']:,} bytes ({info['bytes'] / 2**20:.1f} MiB), "
          f"{len(data_files(data))} files, spread {args.spread}")
    quiet(work)
    cores = os.cpu_count()
    record: dict = {"data": info, "runs": args.runs, "cores": cores, "binary": args.bin}
    status = 0

    print("\n== the 120 factsheets (raw files to JSON figures)")
    engines = ["read"] + args.engines.split(",")
    results = run_all(args, engines, data, work, "factsheets")
    print(f"\n{info['rows']:,} rows, {info['bytes'] / 2**20:.1f} MiB (scale {args.scale}, spread "
          f"{args.spread}), 120 factsheets, median of {args.runs} warm runs, {cores} cores; "
          f"base: tradeflows")
    record["factsheets"] = table(results, "tradeflows", "read")
    if args.check:
        print()
        outs = {e: out_of(work, "factsheets", e, args.runs) for e in engines if e != "read"}
        record["check"] = check(outs) == 0
        status |= 0 if record["check"] else 1

    if args.notebook:
        print("\n== the notebook path (files to a DataFrame of every row, in a fresh Python)")
        results = run_all(args, list(NOTEBOOK), data, work, "notebook")
        print(f"\nbase: polars read_csv")
        record["notebook"] = table(results, "nb-polars", None)
        ok = check_rows({e: out_of(work, "notebook", e, args.runs) for e in NOTEBOOK})
        status |= 0 if ok else 1

    if args.years > 1:
        many = generate(args, work, args.years)
        print(f"\n== tradeflows on {args.years} years ({many['rows']:,} rows, "
              f"{many['bytes'] / 2**20:.1f} MiB) vs one year")
        one = run_all(args, ["tradeflows"], data, work, "years-1")
        ten = run_all(args, ["tradeflows"], str(work / f"data-{args.years}y"), work, "years-n")
        results = {"1 year": one["tradeflows"], f"{args.years} years": ten["tradeflows"]}
        print()
        record["years"] = table(results, "1 year", None, paired=False)

    delete_later(work)

    if args.json:
        import duckdb, polars  # noqa: E401 - versions for the record
        record["versions"] = {"python": sys.version.split()[0], "duckdb": duckdb.__version__,
                              "polars": polars.__version__}
        Path(args.json).write_text(json.dumps(record, indent=2))
        print(f"saved {args.json}")
    return status


if __name__ == "__main__":
    sys.exit(main())
