"""A typed use of the public API, checked by `mypy --strict python/tests/typed_usage.py`.

Not a test module (pytest collects `test_*.py` only): it exists so that the stubs
(`tradeflows/_tradeflows.pyi`) are checked against the way a user writes code. Running it
also works (`python python/tests/typed_usage.py`) and checks the same facts at run time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import tradeflows as tf
from tradeflows.errors import CodeError, ParseError, TradeflowsError
from tradeflows.types import Change, Dependency, Exposure, YearFigures, ZoneCode

Flow = Literal["exports", "imports"]


def totals(fs: tf.Factsheet) -> dict[Flow, int]:
    return {"exports": fs.exports.total_eur, "imports": fs.imports.total_eur}


def main_partners(figures: tf.FlowFigures, n: int = 3) -> list[tuple[str, str, int]]:
    named: list[tf.Ranked] = [r for r in figures.top_partners if r.code != "autres"]
    return [(r.code, r.label, r.value_eur) for r in named[:n]]


def highlighted(figures: tf.FlowFigures) -> list[tf.FlowCell]:
    return [c for c in figures.flows if c.highlight]


def describe(t: tf.TerritoryInfo) -> str:
    region: str | None = t.region_name
    return f"{t.kind} {t.code} {t.name}" + (f" ({region})" if region is not None else "")


def shares(fs: tf.Factsheet) -> tuple[float | None, float | None]:
    return fs.exports.share_of_region, fs.exports.share_of_nation


def growth_of_exports(fs: tf.Factsheet) -> float | None:
    change: Change | None = fs.change
    return None if change is None else change["exports"]["growth"]


def dependent_products(fs: tf.Factsheet) -> list[tuple[str, str, float]]:
    exposure: Exposure = fs.exposure
    deps: list[Dependency] = exposure["imports"]["dependencies"]
    return [(d["product"], d["top_supplier"]["code"], d["extra_eu_share"]) for d in deps]


def zone_of(code: str) -> ZoneCode:
    return tf.Country(code).zone


def charts(fs: tf.Factsheet) -> dict[str, str]:
    out: dict[str, str] = {}
    for chart in (
        fs.balance_chart,
        fs.activities_chart,
        fs.exports_chart,
        fs.imports_chart,
        fs.evolution_chart,
        fs.exposure_chart,
    ):
        out[chart.kind] = chart.svg
        assert chart._repr_svg_() == chart.svg
    return out


def table_summary(t: tf.Table) -> tuple[int, list[str]]:
    return t.num_rows, t.column_names


def a17_of(cpf4: str) -> str | None:
    parent: tf.A129 | None = tf.Cpf4(cpf4).a129
    group: tf.A17 | None = None if parent is None else parent.a17
    return None if group is None else group.code


def region_names(codes: list[str]) -> dict[tf.Region, list[str]]:
    out: dict[tf.Region, list[str]] = {}
    for code in codes:
        d = tf.Departement(code)
        out.setdefault(d.region, []).append(d.name)
    return out


def sorted_countries(codes: list[str]) -> list[tf.Country]:
    return sorted({tf.Country(c) for c in codes})


def load_or_none(path: str | Path) -> tf.Data | None:
    try:
        return tf.load_dgddi(path, on_error="fail")
    except FileNotFoundError:
        return None
    except ParseError as e:
        line: int = e.line
        field: str = e.field
        raise ValueError(f"{e.path}:{line} {field}={e.value!r}") from e


def safe_country(code: str) -> tf.Country | None:
    try:
        return tf.Country(code)
    except CodeError as e:
        kind: str = e.kind
        assert kind and e.value == code
        return None


def main() -> None:
    data: tf.Data = tf.demo()
    years: list[int] = data.years
    assert data.demo and years
    rows_read = data.report["rows_read"]
    assert isinstance(rows_read, int)

    fs = data.factsheet("22", level="a129", top=10, highlight=5, year=years[-1])
    assert totals(fs)["exports"] > 0
    assert main_partners(fs.exports)[0][0] == "BE"
    assert len(highlighted(fs.exports)) == 5
    assert describe(fs.territory) == "departement 22 Côtes-d'Armor (Bretagne)"
    assert all(s is not None for s in shares(fs))
    assert set(charts(fs)) == {
        "balance", "activities", "exports", "imports", "evolution", "exposure"
    }
    growth = growth_of_exports(fs)
    assert growth is not None and -1.0 < growth
    assert all(share > 0.5 for _, _, share in dependent_products(fs))
    assert zone_of("GB") == "EUROPE_HORS_UE" and tf.Country("HR").in_euro_area_on(2023, 1, 1)
    watched = data.factsheet("22", watch=["JP", "DE"]).exposure["exports"]["watch"]
    assert [w["code"] for w in watched] == ["JP", "DE"]
    assert data.exposure("22").num_rows == 20 and data.dependencies("22").num_rows >= 0
    history: list[YearFigures] = fs.history
    assert [y["year"] for y in history] == data.years
    assert data.history("22").num_rows == len(history)
    quarters: list[int] = fs.quarters
    assert quarters == [1, 2, 3, 4]
    sentences: list[str] = fs.exports.sentences
    assert sentences[0].startswith("Total des exportations")
    partners: list[tf.PartnerFigures] = fs.partners
    assert all(p.balance_eur == p.exports_eur - p.imports_eur for p in partners)
    as_dict = fs.to_dict()
    assert as_dict["schema"] == fs.schema == "tradeflows.factsheet/1"
    page: str = fs.to_html()
    assert page.startswith("<!DOCTYPE html>") and fs.to_json().startswith("{")

    flow: Flow = "imports"
    top = data.top("fr", flow=flow, by="products", n=5, level="a17")
    assert table_summary(top) == (6, ["code", "label", "value_eur"])
    assert len(data.balance("reg:53")) > 0
    assert data.matrix("22", flow="exports", n=3, highlight=2).num_rows > 0
    assert len(data.flows()) > 0 and len(data.totals()) == 240
    assert len(data.rejected()) == 0 and len(data.national_flows()) > 0

    assert a17_of("0111") == "AZ" and a17_of("0300") is None
    assert list(region_names(["22", "29"])) == [tf.Region("53")]
    assert [c.code for c in sorted_countries(["IT", "BE", "IT"])] == ["BE", "IT"]
    assert safe_country("de") is None
    de = safe_country("DE")
    assert de is not None and de.label() == "Allemagne" and de.label(2020) == "Allemagne"
    assert load_or_none("/nonexistent/dgddi") is None
    try:
        data.factsheet("dep:00")
    except TradeflowsError as e:
        assert isinstance(e, ValueError)
    else:
        raise AssertionError("dep:00 is not a département of DGDDI's list: an error was expected")
    assert tf.__version__


if __name__ == "__main__":
    main()
