"""The Python API: loading, factsheets, typed attributes, parameters and documentation."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pyarrow as pa
import pytest

import tradeflows as tf
from tradeflows import errors

from _support import GOOD_EXPORT, GOOD_IMPORT, Rows, millions, write_regional

BRETAGNE = "Bretagne"


@pytest.fixture
def small(tmp_path: Path) -> tf.Data:
    """Six hand-written rows: every figure below is computed by hand from them."""
    return tf.load_dgddi(write_regional(tmp_path / "small", GOOD_EXPORT, GOOD_IMPORT))


def sq(x: float) -> float:
    return x * x


ZONE_LABELS = {
    "UE27": "Union européenne (27)",
    "EUROPE_HORS_UE": "Europe hors UE",
    "AFRIQUE": "Afrique",
    "AMERIQUE": "Amérique",
    "ASIE": "Asie",
    "OCEANIE": "Océanie",
    "NON_DETERMINE": "Non déterminé",
}


def zones(eu: int, total: int) -> list[dict[str, object]]:
    """The seven zones when every partner is in the EU."""
    return [
        {"code": c, "label": label, "value_eur": eu if c == "UE27" else 0, "share": (eu if c == "UE27" else 0) / total}
        for c, label in ZONE_LABELS.items()
    ]


def watch(total: int) -> list[dict[str, object]]:
    """US, CN, GB (the default) with no trade."""
    names = {"US": "Etats-Unis", "CN": "Chine", "GB": "Royaume-Uni"}
    return [{"code": c, "label": n, "value_eur": 0, "share": 0 / total} for c, n in names.items()]


def test_small_dataset_factsheet_is_the_hand_computed_one(small: tf.Data) -> None:
    # Exports of 22: DE 1000 + BE 2500 (C10A); Bretagne also has 29 (DE 700) and 35 (ES 300).
    # Imports of 22: DE 400 (C10A) + NL 50 (C20B), the only imports in France.
    assert small.factsheet("22").to_dict() == {
        "schema": "tradeflows.factsheet/1",
        "year": 2024,
        "level": "a129",
        "quarters": [1, 2],
        "source": {
            "demo": False,
            "description": "DGDDI, statistiques régionales et départementales du commerce "
            "extérieur (open data)",
        },
        "territory": {
            "kind": "departement",
            "code": "22",
            "name": "Côtes-d'Armor",
            "region": {"code": "53", "name": BRETAGNE},
        },
        "exports": {
            "total_eur": 3500,
            "share_of_region": 3500 / 4500,
            "share_of_nation": 3500 / 4500,
            "top_partners": [
                {"code": "BE", "label": "Belgique", "value_eur": 2500},
                {"code": "DE", "label": "Allemagne", "value_eur": 1000},
            ],
            "top_products": [
                {"code": "C10A", "label": "Viande et produits à base de viande", "value_eur": 3500}
            ],
            "flows": [
                {"product": "C10A", "partner": "BE", "value_eur": 2500, "highlight": True},
                {"product": "C10A", "partner": "DE", "value_eur": 1000, "highlight": True},
            ],
        },
        "imports": {
            "total_eur": 450,
            "share_of_region": 1.0,
            "share_of_nation": 1.0,
            "top_partners": [
                {"code": "DE", "label": "Allemagne", "value_eur": 400},
                {"code": "NL", "label": "Pays-Bas", "value_eur": 50},
            ],
            "top_products": [
                {"code": "C10A", "label": "Viande et produits à base de viande", "value_eur": 400},
                {
                    "code": "C20B",
                    "label": "Parfums, cosmétiques et produits d\u2019entretien",
                    "value_eur": 50,
                },
            ],
            "flows": [
                {"product": "C10A", "partner": "DE", "value_eur": 400, "highlight": True},
                {"product": "C20B", "partner": "NL", "value_eur": 50, "highlight": True},
            ],
        },
        "partners": [
            {
                "code": "BE",
                "label": "Belgique",
                "imports_eur": 0,
                "exports_eur": 2500,
                "balance_eur": 2500,
            },
            {
                "code": "DE",
                "label": "Allemagne",
                "imports_eur": 400,
                "exports_eur": 1000,
                "balance_eur": 600,
            },
            {
                "code": "NL",
                "label": "Pays-Bas",
                "imports_eur": 50,
                "exports_eur": 0,
                "balance_eur": -50,
            },
        ],
        # One year, T1 and T2 (the rows of 22 are all in T1); no year before: no change.
        "history": [
            {
                "year": 2024,
                "quarters": [1, 2],
                "exports_eur": 3500,
                "imports_eur": 450,
                "balance_eur": 3050,
            }
        ],
        "quarterly": [
            {"year": 2024, "quarter": 1, "exports_eur": 3500, "imports_eur": 450},
            {"year": 2024, "quarter": 2, "exports_eur": 0, "imports_eur": 0},
        ],
        "change": None,
        # Every partner is in the EU; nothing reaches 1 M€ (no dependency); 22 exports only
        # C10A, which is 4 200 / 4 500 of France's exports.
        "exposure": {
            "exports": {
                "zones": zones(3500, 3500),
                "watch": watch(3500),
                "partners_hhi": sq(2500 / 3500) + sq(1000 / 3500),
                "products_hhi": 1.0,
                "partners_count": 2,
                "top_partner": {"code": "BE", "share": 2500 / 3500},
            },
            "imports": {
                "zones": zones(450, 450),
                "watch": watch(450),
                "partners_hhi": sq(400 / 450) + sq(50 / 450),
                "products_hhi": sq(400 / 450) + sq(50 / 450),
                "partners_count": 2,
                "top_partner": {"code": "DE", "share": 400 / 450},
                "dependencies": [],
            },
            "specialisation": [
                {
                    "product": "C10A",
                    "label": "Viande et produits à base de viande",
                    "value_eur": 3500,
                    "share": 1.0,
                    "national_share": 4200 / 4500,
                    "lq": 1.0 / (4200 / 4500),
                }
            ],
        },
    }


def test_small_dataset_region_and_france(small: tf.Data) -> None:
    reg = small.factsheet("reg:53")
    assert (reg.territory.kind, reg.territory.code, reg.territory.name) == (
        "region",
        "53",
        BRETAGNE,
    )
    assert reg.territory.region_code is None and reg.territory.region_name is None
    assert reg.exports.total_eur == 4500
    assert reg.exports.share_of_region is None
    assert reg.exports.share_of_nation == 1.0
    assert [(r.code, r.value_eur) for r in reg.exports.top_partners] == [
        ("BE", 2500),
        ("DE", 1700),
        ("ES", 300),
    ]
    assert [(r.code, r.value_eur) for r in reg.exports.top_products] == [
        ("C10A", 4200),
        ("C29A", 300),
    ]

    fr = small.factsheet("fr")
    assert (fr.territory.kind, fr.territory.code, fr.territory.name) == ("france", "FR", "France")
    assert fr.exports.total_eur == 4500 and fr.imports.total_eur == 450
    assert fr.exports.share_of_region is None and fr.exports.share_of_nation is None

    # A département without rows has zero totals and empty lists, not an error.
    empty = small.factsheet("01")
    assert empty.exports.total_eur == 0
    assert empty.exports.top_partners == [] and empty.exports.flows == []
    # Its exposure: values 0, shares and concentrations null, no dependency, no specialisation.
    for flow in ("exports", "imports"):
        block = empty.exposure[flow]
        assert [(z["value_eur"], z["share"]) for z in block["zones"]] == [(0, None)] * 7
        assert [w["share"] for w in block["watch"]] == [None] * 3
        assert (block["partners_hhi"], block["products_hhi"], block["top_partner"]) == (None,) * 3
        assert block["partners_count"] == 0
    assert empty.exposure["imports"]["dependencies"] == []
    assert empty.exposure["specialisation"] == []
    assert "NaN" not in empty.to_html() and "NaN" not in empty.exposure_chart.svg
    # France's HHI of partners: BE 2500, DE 1700, ES 300 over 4500.
    assert fr.exposure["exports"]["partners_hhi"] == sum(
        sq(v / 4500) for v in (2500, 1700, 300)
    )


def test_data_properties(demo: tf.Data, small: tf.Data, demo_rows: Rows) -> None:
    assert demo.demo is True and small.demo is False
    assert demo.years == [2021, 2022, 2023, 2024] and small.years == [2024]
    report = demo.report
    assert set(report) == {
        "rows_read",
        "rows_loaded",
        "rows_rejected",
        "rows_superseded",
        "files",
        "notes",
    }
    assert report["notes"] == []
    assert report["rows_rejected"] == 0 and report["rows_superseded"] == 0
    assert report["rows_read"] == report["rows_loaded"]
    # Every loaded row is either a regional or a national row.
    assert report["rows_loaded"] == len(demo.flows()) + len(demo.national_flows())
    n = len(demo_rows.rows)
    assert n > 100_000 and len(demo.flows()) == n
    assert {"demo/Region_2024_Export.txt", "demo/Region_2024_Import.txt"} <= set(report["files"])
    assert len(demo.rejected()) == 0
    assert small.report["rows_read"] == 6 and small.report["rows_loaded"] == 6
    assert sorted(Path(f).name for f in small.report["files"]) == [
        "Region_2024_Export.txt",
        "Region_2024_Import.txt",
    ]
    assert repr(demo) == (
        f"<tradeflows.Data demonstration data (synthetic): {n} regional rows, years [2021, 2022, 2023, 2024]>"
    )
    assert repr(small).endswith("small: 6 regional rows, years [2024]>")


def test_demo_factsheet_22(demo: tf.Data, demo_rows: Rows) -> None:
    fs = demo.factsheet("22")
    assert isinstance(fs, tf.Factsheet)
    assert (fs.schema, fs.year, fs.level, fs.quarters, fs.demo) == (
        "tradeflows.factsheet/1",
        2024,
        "a129",
        [1, 2, 3, 4],
        True,
    )
    t = fs.territory
    assert isinstance(t, tf.TerritoryInfo)
    assert (t.kind, t.code, t.name, t.region_code, t.region_name) == (
        "departement",
        "22",
        "Côtes-d'Armor",
        "53",
        BRETAGNE,
    )

    # Expected figures: the rows read with plain Python (Bretagne is DGDDI région 07).
    exports, imports = demo_rows.total("E", "22"), demo_rows.total("I", "22")
    assert (fs.exports.total_eur, fs.imports.total_eur) == (exports, imports)
    assert exports > 0 and imports > 0
    share_region = exports / demo_rows.total("E", region="07")
    share_nation = exports / demo_rows.total("E")
    assert fs.exports.sentences == [
        f"Total des exportations : {millions(exports)} millions d'euros",
        f"soit {share_region * 100:.1f}% de la valeur exportée par la région Bretagne",
        f"soit {share_nation * 100:.2f}% de la valeur exportée au niveau national",
    ]
    assert fs.imports.sentences[0] == f"Total des importations : {millions(imports)} millions d'euros"
    top_exports = Rows.top(demo_rows.by_partner("E", "22"), 10)
    assert [(p.code, p.value_eur) for p in fs.exports.top_partners[:10]] == top_exports
    assert fs.exports.top_partners[0].label == tf.Country(top_exports[0][0]).label(2024)
    assert fs.exports.top_partners[-1].code == "autres"
    assert len(fs.exports.top_partners) == 11 and len(fs.exports.top_products) == 11
    # The main partner of the balance: the largest imports + exports among the ten main
    # partners of each flow.
    ex, im = demo_rows.by_partner("E", "22"), demo_rows.by_partner("I", "22")
    named = {c for c, _ in Rows.top(ex, 10)} | {c for c, _ in Rows.top(im, 10)}
    main = min(named, key=lambda c: (-(ex.get(c, 0) + im.get(c, 0)), c))
    p0 = fs.partners[0]
    assert (p0.code, p0.imports_eur, p0.exports_eur, p0.balance_eur) == (
        main,
        im.get(main, 0),
        ex.get(main, 0),
        ex.get(main, 0) - im.get(main, 0),
    )
    assert repr(fs) == (
        f"<tradeflows.Factsheet departement 22 2024: exports {exports} €, "
        f"imports {imports} € (demonstration data)>"
    )


def test_typed_attributes_mirror_to_dict(demo: tf.Data) -> None:
    for spec in ("22", "reg:53", "fr"):
        fs = demo.factsheet(spec)
        d = fs.to_dict()
        assert d == json.loads(fs.to_json())
        assert (d["schema"], d["year"], d["level"], d["quarters"]) == (
            fs.schema,
            fs.year,
            fs.level,
            fs.quarters,
        )
        assert d["source"]["demo"] is fs.demo is True
        assert d["territory"]["code"] == fs.territory.code
        assert d["territory"]["name"] == fs.territory.name
        for flow in ("exports", "imports"):
            figures: tf.FlowFigures = getattr(fs, flow)
            assert isinstance(figures, tf.FlowFigures)
            want = d[flow]
            assert figures.total_eur == want["total_eur"]
            assert figures.share_of_region == want["share_of_region"]
            assert figures.share_of_nation == want["share_of_nation"]
            assert [
                {"code": r.code, "label": r.label, "value_eur": r.value_eur}
                for r in figures.top_partners
            ] == want["top_partners"]
            assert [
                {"code": r.code, "label": r.label, "value_eur": r.value_eur}
                for r in figures.top_products
            ] == want["top_products"]
            assert [
                {
                    "product": c.product,
                    "partner": c.partner,
                    "value_eur": c.value_eur,
                    "highlight": c.highlight,
                }
                for c in figures.flows
            ] == want["flows"]
            assert all(isinstance(r, tf.Ranked) for r in figures.top_partners)
            assert all(isinstance(c, tf.FlowCell) for c in figures.flows)
        assert [
            {
                "code": p.code,
                "label": p.label,
                "imports_eur": p.imports_eur,
                "exports_eur": p.exports_eur,
                "balance_eur": p.balance_eur,
            }
            for p in fs.partners
        ] == d["partners"]
        assert all(isinstance(p, tf.PartnerFigures) for p in fs.partners)


def test_money_is_int_and_shares_are_float(demo: tf.Data) -> None:
    d = demo.factsheet("22").to_dict()
    for flow in ("exports", "imports"):
        assert type(d[flow]["total_eur"]) is int
        assert all(
            type(r["value_eur"]) is int for r in d[flow]["top_partners"] + d[flow]["top_products"]
        )
        assert type(d[flow]["share_of_region"]) is float
        assert 0.0 <= d[flow]["share_of_region"] <= 1.0
    assert all(
        type(p[k]) is int
        for p in d["partners"]
        for k in ("imports_eur", "exports_eur", "balance_eur")
    )


def test_territory_spec_aliases(demo: tf.Data) -> None:
    assert demo.factsheet("dep:22").to_dict() == demo.factsheet("22").to_dict()
    corse = demo.factsheet("2A")
    assert corse.territory.code == "20"
    assert corse.to_dict() == demo.factsheet("2B").to_dict() == demo.factsheet("20").to_dict()
    reunion = demo.factsheet("974")
    assert (reunion.territory.code, reunion.territory.name) == ("9D", "La Réunion")
    # DOM départements are their own INSEE région.
    assert reunion.territory.region_code == "04"
    assert reunion.exports.share_of_region == 1.0


def test_factsheet_parameters(demo: tf.Data) -> None:
    fs = demo.factsheet("22", top=3, highlight=2)
    assert [r.code for r in fs.exports.top_partners] == ["BE", "DE", "IT", "autres"]
    assert len(fs.exports.top_products) == 4
    assert sum(c.highlight for c in fs.exports.flows) == 2
    assert fs.exports.total_eur == demo.factsheet("22").exports.total_eur

    a17 = demo.factsheet("22", level="a17")
    assert a17.level == "a17"
    codes = [r.code for r in a17.exports.top_products if r.code != "autres"]
    assert codes and all(tf.A17(c).code == c for c in codes)

    assert demo.factsheet("22", year=2024).to_dict() == demo.factsheet("22").to_dict()
    with pytest.raises(errors.RequestError, match="2019"):
        demo.factsheet("22", year=2019)


def test_public_names() -> None:
    assert sorted(tf.__all__) == sorted(set(tf.__all__))
    for name in tf.__all__:
        assert hasattr(tf, name), name
    assert set(errors.__all__) <= set(tf.__all__)
    assert tf.__version__ == "0.1.0"


# Plain record classes whose fields are documented by the class docstring.
RECORDS = {"Ranked", "FlowCell", "PartnerFigures", "FlowFigures", "TerritoryInfo"}


def _documented() -> list[tuple[str, object]]:
    """Every public class and function, and the methods and properties of the classes."""
    out: list[tuple[str, object]] = []
    for name in tf.__all__:
        if name.startswith("__"):
            continue
        obj = getattr(tf, name)
        out.append((name, obj))
        if not isinstance(obj, type) or obj.__module__ == "tradeflows.errors":
            continue
        for attr, value in vars(obj).items():
            if attr.startswith("_"):
                continue
            is_field = type(value).__name__ == "getset_descriptor"
            if inspect.isroutine(value) or (is_field and name not in RECORDS):
                out.append((f"{name}.{attr}", value))
    return out


@pytest.mark.parametrize(("name", "obj"), _documented(), ids=[n for n, _ in _documented()])
def test_docstrings(name: str, obj: object) -> None:
    """`help()` shows something for every public class, function, method and property."""
    assert (getattr(obj, "__doc__", None) or "").strip(), f"{name} has no docstring"


def test_signatures_are_visible() -> None:
    assert str(inspect.signature(tf.load_dgddi)) == "(path, on_error='fail')"
    assert (
        str(inspect.signature(tf.Data.factsheet))
        == "(self, /, spec, level='a129', top=10, highlight=5, year=None, watch=None)"
    )


def test_territoires_industrie(demo: tf.Data) -> None:
    """A Territoire d'industrie gives its départements' factsheets, most communes first."""
    assert ("ti-9902", "Dinan Agglomération") in demo.territoires_industrie
    sheets = demo.territoire_industrie("ti:ti-9902")
    assert [fs.territory.code for fs in sheets] == ["22", "35"]
    assert sheets[0].to_dict() == demo.factsheet("22").to_dict()
    with pytest.raises(tf.RequestError, match="ti-0000"):
        demo.territoire_industrie("ti-0000")


def test_history_quarterly_and_change_equal_the_rows(demo: tf.Data, demo_rows: Rows) -> None:
    fs = demo.factsheet("22")
    years = demo_rows.years()
    assert len(years) == 4 and years[-1] == 2024 == fs.year
    assert fs.history == [
        {
            "year": y,
            "quarters": [1, 2, 3, 4],
            "exports_eur": demo_rows.total("E", "22", year=y),
            "imports_eur": demo_rows.total("I", "22", year=y),
            "balance_eur": demo_rows.total("E", "22", year=y) - demo_rows.total("I", "22", year=y),
        }
        for y in years
    ]
    assert fs.quarterly == [
        {
            "year": y,
            "quarter": q,
            "exports_eur": demo_rows.total("E", "22", year=y, quarter=q),
            "imports_eur": demo_rows.total("I", "22", year=y, quarter=q),
        }
        for y in years
        for q in (1, 2, 3, 4)
    ]
    change = fs.change
    assert change is not None
    assert (change["previous_year"], change["quarters"]) == (2023, [1, 2, 3, 4])
    before, now = demo_rows.total("E", "22", year=2023), demo_rows.total("E", "22", year=2024)
    assert (change["exports"]["previous_eur"], change["exports"]["value_eur"]) == (before, now)
    assert change["exports"]["growth"] == now / before - 1
    old, new = demo_rows.by_partner("E", "22", 2023), demo_rows.by_partner("E", "22", 2024)
    moves = sorted(
        ((c, new.get(c, 0) - old.get(c, 0)) for c in set(old) | set(new)),
        key=lambda cv: (-abs(cv[1]), cv[0]),
    )[:5]
    assert [(d["code"], d["change_eur"]) for d in change["exports"]["partners"]] == moves
    assert change["exports"]["partners"][0]["contribution"] == moves[0][1] / before
    verb = "augmenté" if now > before else "diminué"
    assert fs.change_sentences[0] == (
        f"Les exportations ont {verb} de {abs(now / before - 1) * 100:.1f}% par rapport à 2023 (T1–T4)"
    )
    # The same figures as Arrow tables, and in the JSON.
    table = pa.table(demo.history("22")).to_pylist()
    assert [(r["year"], r["exports_eur"], r["full_year"]) for r in table] == [
        (y["year"], y["exports_eur"], True) for y in fs.history
    ]
    assert pa.table(demo.quarterly("22")).num_rows == 16
    assert fs.to_dict()["change"] == change
