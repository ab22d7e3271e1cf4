"""Exposure and dependence: zones, countries watched, concentration, dependencies and
specialisation, against the rows read with plain Python (`_support.Rows`)."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest

import tradeflows as tf

from _support import Rows

# Eurostat's EU27_2020 with DGDDI's codes: the independent source of the UE27 zone here.
EU27 = set("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())
ZONES = ["UE27", "EUROPE_HORS_UE", "AFRIQUE", "AMERIQUE", "ASIE", "OCEANIE", "NON_DETERMINE"]


def hhi(values: dict[str, int]) -> float | None:
    total = sum(values.values())
    return None if total == 0 else sum((v / total) ** 2 for _, v in sorted(values.items()))


def close(got: float | None, want: float | None) -> bool:
    if got is None or want is None:
        return got is want
    return math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-15)


def test_zones_watch_and_concentration_equal_the_rows(demo: tf.Data, demo_rows: Rows) -> None:
    fs = demo.factsheet("22")
    e = fs.exposure
    assert e == fs.to_dict()["exposure"]
    for flow, name in (("E", "exports"), ("I", "imports")):
        block = e[name]
        partners = demo_rows.sums(flow, 7, dep="22")
        total = sum(partners.values())
        assert [z["code"] for z in block["zones"]] == ZONES
        assert sum(z["value_eur"] for z in block["zones"]) == total
        assert block["zones"][0]["value_eur"] == sum(v for c, v in partners.items() if c in EU27)
        americas = sum(v for c, v in partners.items() if c in {"US", "CA", "BR", "MX"})
        assert block["zones"][3]["value_eur"] >= americas > 0
        assert [(w["code"], w["value_eur"]) for w in block["watch"]] == [
            (c, partners.get(c, 0)) for c in ("US", "CN", "GB")
        ]
        assert [w["label"] for w in block["watch"]] == ["Etats-Unis", "Chine", "Royaume-Uni"]
        for part in block["zones"] + block["watch"]:
            assert part["share"] == part["value_eur"] / total
        assert close(block["partners_hhi"], hhi(partners))
        assert close(block["products_hhi"], hhi(demo_rows.sums(flow, 5, dep="22")))
        assert block["partners_count"] == sum(1 for v in partners.values() if v > 0)
        code, value = Rows.top(partners, 1)[0]
        assert block["top_partner"] == {"code": code, "share": value / total}
    assert "dependencies" not in e["exports"]


def test_dependencies_follow_the_commission_s_criteria(demo: tf.Data, demo_rows: Rows) -> None:
    found = 0
    for dep in ("22", "29", "13", "59", "75"):
        want = []
        imports = [r for r in demo_rows.rows if r[0] == "I" and r[3] == dep and r[2] == "2024"]
        for product in sorted({r[6] for r in imports}):
            rows = [r for r in imports if r[6] == product]
            total = sum(int(r[8]) for r in rows)
            suppliers: dict[str, int] = {}
            for r in rows:
                if r[7] not in EU27:
                    suppliers[r[7]] = suppliers.get(r[7], 0) + int(r[8])
            extra = sum(suppliers.values())
            concentration = hhi(suppliers)
            if total < 1_000_000 or extra / total <= 0.5 or concentration is None:
                continue
            if concentration <= 0.4:
                continue
            top, v = Rows.top(suppliers, 1)[0]
            want.append((product, total, extra / total, concentration, top, v / total))
        want.sort(key=lambda d: (-d[1], d[0]))
        got = demo.factsheet(dep).exposure["imports"]["dependencies"]
        assert [(d["product"], d["value_eur"], d["top_supplier"]["code"]) for d in got] == [
            (w[0], w[1], w[4]) for w in want
        ], dep
        for d, w in zip(got, want):
            assert close(d["extra_eu_share"], w[2]) and close(d["hhi_extra_eu"], w[3])
            assert close(d["top_supplier"]["share"], w[5])
            assert d["label"] == tf.Cpf4(d["product"]).label
        # The same as an Arrow table.
        table = pa.table(demo.dependencies(dep)).to_pylist()
        assert [
            (r["product"], r["value_eur"], r["top_supplier"], r["top_supplier_share"])
            for r in table
        ] == [(d["product"], d["value_eur"], d["top_supplier"]["code"], d["top_supplier"]["share"]) for d in got]
        found += len(got)
    assert found > 0, "the demonstration data has dependencies to compare"


def test_specialisation_is_the_location_quotient(demo: tf.Data, demo_rows: Rows) -> None:
    national = demo_rows.sums("E", 5)
    nation = sum(national.values())
    mine = demo_rows.sums("E", 5, dep="22")
    total = sum(mine.values())
    want = sorted(
        (
            (p, v / total, national[p] / nation)
            for p, v in mine.items()
            if v / total >= 0.01
        ),
        key=lambda x: (-(x[1] / x[2]), x[0]),
    )[:5]
    got = demo.factsheet("22").exposure["specialisation"]
    assert [s["product"] for s in got] == [w[0] for w in want]
    for s, (p, share, national_share) in zip(got, want):
        assert s["value_eur"] == mine[p]
        assert close(s["share"], share) and close(s["national_share"], national_share)
        assert close(s["lq"], share / national_share) and s["lq"] == s["share"] / s["national_share"]
    assert demo.factsheet("fr").exposure["specialisation"] == []
    assert len(demo.factsheet("reg:53").exposure["specialisation"]) == 5


def test_exposure_table_and_watch(demo: tf.Data) -> None:
    fs = demo.factsheet("22", watch=["JP", "XK"])
    table = pa.table(demo.exposure("22", watch=["JP", "XK"])).to_pylist()
    assert len(table) == 2 * (7 + 2)
    assert list(table[0]) == ["flow", "kind", "code", "label", "value_eur", "share"]
    for flow in ("exports", "imports"):
        block = fs.exposure[flow]
        rows = [r for r in table if r["flow"] == flow]
        assert [(r["kind"], r["code"], r["value_eur"], r["share"]) for r in rows] == [
            ("zone", z["code"], z["value_eur"], z["share"]) for z in block["zones"]
        ] + [("watch", w["code"], w["value_eur"], w["share"]) for w in block["watch"]]
    assert [w["label"] for w in fs.exposure["exports"]["watch"]] == ["Japon", "Kosovo"]
    assert pa.table(demo.exposure("fr")).num_rows == 20  # US, CN, GB by default
    with pytest.raises(tf.CodeError, match='"ZY"'):
        demo.factsheet("22", watch=["ZY"])
    with pytest.raises(tf.CodeError, match='"U1"'):
        demo.exposure("22", watch=["U1"])


def test_watch_sentences_and_chart(demo: tf.Data) -> None:
    fs = demo.factsheet("22")
    share = fs.exposure["exports"]["watch"][0]["share"]
    assert share is not None
    imported = fs.exposure["imports"]["watch"][0]["share"]
    assert imported is not None
    assert fs.watch_sentences[0] == (
        f"Les États-Unis reçoivent {share * 100:.1f}% des exportations du département"
        f" et fournissent {imported * 100:.1f}% de ses importations."
    )
    assert fs.watch_sentences[1].startswith("La Chine reçoit ")
    assert fs.exposure_chart.kind == "exposure"
    for zone in ("Union européenne (27)", "Amérique", "Asie"):
        assert zone in fs.exposure_chart.svg


def test_country_zones_and_membership() -> None:
    zones = {c: tf.Country(c).zone for c in ("DE", "FR", "GB", "XK", "XC", "TW", "QU", "US", "AU", "NG")}
    assert zones == {
        "DE": "UE27",
        "FR": "UE27",
        "GB": "EUROPE_HORS_UE",
        "XK": "EUROPE_HORS_UE",
        "XC": "AFRIQUE",
        "TW": "ASIE",
        "QU": "NON_DETERMINE",
        "US": "AMERIQUE",
        "AU": "OCEANIE",
        "NG": "AFRIQUE",
    }
    gb = tf.Country("GB")
    assert gb.in_eu_on(2020, 1, 31) and not gb.in_eu_on(2020, 2, 1)
    assert not tf.Country("BG").in_euro_area_on(2025, 12, 31)
    assert tf.Country("BG").in_euro_area_on(2026, 1, 1)
