"""Codes as Python classes: validated, round-tripping, hashable, ordered, with their parents."""

from __future__ import annotations

import polars as pl
import pytest

import tradeflows as tf

CODE_CLASSES = [
    (tf.Country, ["DE", "BE", "XS", "QU", "FR"]),
    (tf.Cpf4, ["0111", "1011", "2910", "0300", "7200"]),
    (tf.Cpf6, ["014310", "101110"]),
    (tf.Nc8, ["01012100", "87032110"]),
    (tf.A129, ["A01Z", "C10A", "C29A", "C32C"]),
    (tf.A88, ["01", "10", "29"]),
    (tf.A64, ["CA0", "CL1"]),
    (tf.A38, ["AZ", "CA", "CL"]),
    (tf.A21, ["A", "C"]),
    (tf.A17, ["AZ", "C1", "C5", "DE"]),
    (tf.A10, ["AZ", "BE"]),
    (tf.Departement, ["01", "22", "20", "9D", "99"]),
    (tf.Region, ["53", "11", "94", "04"]),
]


@pytest.mark.parametrize(("cls", "codes"), CODE_CLASSES, ids=[c.__name__ for c, _ in CODE_CLASSES])
def test_round_trip_hash_order(cls: type, codes: list[str]) -> None:
    objs = [cls(c) for c in codes]
    for code, obj in zip(codes, objs, strict=True):
        assert obj.code == code and str(obj) == code
        assert repr(obj) == f"{cls.__name__}('{code}')"
        assert eval(repr(obj), {cls.__name__: cls}) == obj
        assert cls(str(obj)) == obj and hash(cls(code)) == hash(obj)
        assert obj != code  # a code is not its text
    assert len({*objs, *(cls(c) for c in codes)}) == len(codes)
    lookup = {obj: i for i, obj in enumerate(objs)}
    assert [lookup[cls(c)] for c in codes] == list(range(len(codes)))
    assert [o.code for o in sorted(objs)] == sorted(codes)
    assert sorted(objs)[0] < sorted(objs)[-1] and sorted(objs)[-1] >= sorted(objs)[0]
    assert max(objs).code == max(codes)


def test_codes_are_immutable_and_typed() -> None:
    de = tf.Country("DE")
    with pytest.raises(AttributeError):
        de.code = "BE"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        de.other = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        _ = de < tf.Cpf4("0111")  # type: ignore[operator]
    assert tf.Country("DE") != tf.A88("10")


def test_every_code_of_the_demo_round_trips(demo: tf.Data) -> None:
    rows = pl.DataFrame(demo.flows())
    for column, cls in (
        ("departement", tf.Departement),
        ("region", tf.Region),
        ("a129", tf.A129),
        ("cpf4", tf.Cpf4),
        ("country", tf.Country),
    ):
        codes = rows[column].unique().sort().to_list()
        objs = [cls(c) for c in codes]
        assert [str(o) for o in objs] == codes
        assert sorted(objs) == objs
        assert len(set(objs)) == len(codes)


def test_cpf4_parents_agree_with_the_rows(demo: tf.Data) -> None:
    """The file's A129 column is the CPF4's A129 (DGDDI's non-NAF codes have none)."""
    pairs = pl.DataFrame(demo.flows()).select("cpf4", "a129").unique().iter_rows()
    for cpf4, a129 in pairs:
        parent = tf.Cpf4(cpf4).a129
        if parent is not None:
            assert parent == tf.A129(a129), cpf4


def test_parents() -> None:
    wheat = tf.Cpf4("0111")
    assert wheat.label == "Céréales (à l'exclusion du riz), légumineuses et oléagineux"
    assert wheat.a129 == tf.A129("A01Z")
    assert wheat.a129 is not None and wheat.a129.a17 == tf.A17("AZ")
    meat = tf.A129("C10A")
    assert (meat.label, meat.goods) == ("Viande et produits à base de viande", True)
    assert (meat.a88, meat.a64, meat.a38, meat.a21, meat.a17, meat.a10) == (
        tf.A88("10"),
        tf.A64("CA0"),
        tf.A38("CA"),
        tf.A21("C"),
        tf.A17("C1"),
        tf.A10("BE"),
    )
    # A17 from A38 (DESIGN.md §2): CL→C4, CI→C3, CB→C5, MA→MN, OZ→OQ, RZ→RU.
    assert tf.A129("C29A").a17 == tf.A17("C4")
    assert tf.A129("C26A").a38 == tf.A38("CI") and tf.A129("C26A").a17 == tf.A17("C3")
    assert tf.A129("C13Z").a17 == tf.A17("C5")
    assert tf.Cpf6("014310").cpf4 == tf.Cpf4("0143")
    # DGDDI's five CPF4 codes that are not NAF classes have a label but no A129.
    for code in ("0300", "3100", "4100", "4700", "7200"):
        assert tf.Cpf4(code).a129 is None
    assert tf.Cpf4("0300").label is not None


def test_departements_and_regions() -> None:
    cotes = tf.Departement("22")
    assert (cotes.name, cotes.region, cotes.region.name, cotes.insee_codes) == (
        "Côtes-d'Armor",
        tf.Region("53"),
        "Bretagne",
        ["22"],
    )
    assert tf.Region("53").departements == [tf.Departement(c) for c in ("22", "29", "35", "56")]
    # DGDDI codes and their INSEE aliases.
    assert tf.Departement("2A") == tf.Departement("2B") == tf.Departement("20")
    assert tf.Departement("20").insee_codes == ["2A", "2B"]
    assert tf.Departement("974") == tf.Departement("9D")
    assert tf.Departement("974").name == "La Réunion" and tf.Departement("974").region == tf.Region(
        "04"
    )
    assert tf.Departement("99").name == "Monaco" and tf.Departement("99").region.code == "93"
    # Every département is in exactly its région's list.
    regions = [
        "01",
        "02",
        "03",
        "04",
        "06",
        "11",
        "24",
        "27",
        "28",
        "32",
        "44",
        "52",
        "53",
        "75",
        "76",
        "84",
        "93",
        "94",
    ]
    seen = [d for r in regions for d in tf.Region(r).departements]
    assert len(seen) == len(set(seen)) == 101
    assert all(d.region in {tf.Region(r) for r in regions} for d in seen)
    assert all(d in d.region.departements for d in seen)


def test_country_labels() -> None:
    assert tf.Country("DE").label() == "Allemagne"
    assert tf.Country("XS").label() == "Serbie"
    assert tf.Country("QU").label(2010) == "Pays et territoires non déterminés"


def test_codes_pickle_round_trip() -> None:
    """Codes survive pickling (pandas object columns, multiprocessing)."""
    import pickle

    for code in [tf.Country("DE"), tf.Cpf4("0111"), tf.A129("C10A"), tf.Departement("2A"), tf.Region("53")]:
        again = pickle.loads(pickle.dumps(code))
        assert again == code and type(again) is type(code) and hash(again) == hash(code)
