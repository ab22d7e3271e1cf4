"""Rich display in Jupyter, the charts and the self-contained page."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow as pa
import pytest
from IPython.core.formatters import DisplayFormatter

import tradeflows as tf

from _support import GOOD_EXPORT, GOOD_IMPORT, Rows, millions, write_regional

SVG = "{http://www.w3.org/2000/svg}"
KINDS = ("balance", "activities", "exports", "imports", "evolution", "exposure")


@pytest.fixture(scope="module")
def sheet(demo: tf.Data) -> tf.Factsheet:
    return demo.factsheet("22")


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_repr_html_has_sentences_and_charts(sheet: tf.Factsheet, demo_rows: Rows) -> None:
    page = sheet._repr_html_()
    assert "Côtes-d'Armor (2024)" in page
    for sentence in sheet.exports.sentences + sheet.imports.sentences:
        assert html.escape(sentence, quote=False) in page
    total = millions(demo_rows.total("E", "22"))
    assert f"Total des exportations : {total} millions d'euros" in page
    assert page.count("<svg") == 6
    for sentence in sheet.change_sentences + sheet.watch_sentences:
        assert html.escape(sentence, quote=False) in page
    for kind in KINDS:
        assert getattr(sheet, f"{kind}_chart").svg in page
    assert "Données de démonstration synthétiques" in page  # the demo says so


def test_repr_html_of_real_files_has_no_demo_warning(tmp_path: Path) -> None:
    data = tf.load_dgddi(write_regional(tmp_path, GOOD_EXPORT, GOOD_IMPORT))
    page = data.factsheet("22")._repr_html_()
    assert "démonstration" not in page
    assert "Total des exportations : 0.0 millions d'euros" in page  # 3 500 €


def test_jupyter_picks_the_rich_formats(sheet: tf.Factsheet) -> None:
    formatter = DisplayFormatter()
    data, _ = formatter.format(sheet)
    assert set(data) >= {"text/plain", "text/html"}
    assert data["text/plain"] == repr(sheet)
    data, _ = formatter.format(sheet.exports_chart)
    assert data["image/svg+xml"].startswith("<svg")
    assert "<svg" in data["text/html"]


@pytest.mark.parametrize("kind", KINDS)
def test_charts(sheet: tf.Factsheet, kind: str) -> None:
    chart: tf.Chart = getattr(sheet, f"{kind}_chart")
    assert isinstance(chart, tf.Chart)
    assert chart.kind == kind
    assert chart.svg.startswith("<svg") and chart.svg.rstrip().endswith("</svg>")
    assert chart._repr_svg_() == chart.svg == str(chart)
    assert chart._repr_html_().startswith("<div") and chart.svg in chart._repr_html_()
    assert repr(chart) == f"<tradeflows.Chart {kind} ({len(chart.svg.encode())} bytes of SVG)>"
    root = ET.fromstring(chart.svg)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    assert "http" not in re.sub(r'xmlns(:\w+)?="[^"]*"', "", chart.svg)  # nothing fetched


def test_charts_name_the_figures(sheet: tf.Factsheet) -> None:
    balance = " ".join(texts(sheet.balance_chart.svg))
    for partner in sheet.partners[:5]:
        assert partner.label in balance
    exports = " ".join(texts(sheet.exports_chart.svg))
    for r in sheet.exports.top_partners[:3]:
        assert r.label in exports


def test_to_html_is_a_self_contained_page(sheet: tf.Factsheet) -> None:
    page = sheet.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in page and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page
    assert "<title>Les indicateurs clés : commerce extérieur — Côtes-d'Armor (2024)</title>" in page
    assert "<style>" in page
    # Six charts of the département, then the région's and France's sankeys.
    assert page.count("<svg") == 10
    for kind in KINDS:
        assert getattr(sheet, f"{kind}_chart").svg in page
    # Text is escaped as HTML wants it (`&`, `<`, `>`), apostrophes kept: the sentences are in
    # the page's source exactly as html.escape without quotes writes them.
    for sentence in sheet.exports.sentences + sheet.imports.sentences:
        assert html.escape(sentence, quote=False) in page
    # Nothing is fetched: no script, stylesheet link, external image, font or CSS import.
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r'\bsrc\s*=\s*"(https?:)?//', page)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert "démonstration" in page.lower()


def test_to_html_of_region_and_france(demo: tf.Data) -> None:
    for spec, name in (("reg:53", "Bretagne"), ("fr", "France")):
        page = demo.factsheet(spec).to_html()
        assert page.startswith("<!DOCTYPE html>") and f"— {name} (2024)</title>" in page


def test_tf_map_displays_in_jupyter(demo: tf.Data) -> None:
    rows = pa.table(demo.totals()).to_pylist()
    values = {
        r["code"]: r["share_of_nation"]
        for r in rows
        if r["kind"] == "departement" and r["flow"] == "exports"
    }
    chart = tf.map(values, title="Part des exportations nationales", unit="share")
    assert chart.kind == "map" and chart._repr_svg_() == chart.svg
    assert chart.svg.count("<path data-code=") == 100
    assert "Part des exportations nationales" in chart.svg
    with pytest.raises(tf.CodeError, match="00"):
        tf.map({"00": 1.0})
    with pytest.raises(tf.RequestError, match="both DGDDI département 20"):
        tf.map({"2A": 1.0, "2B": 2.0})
    with pytest.raises(tf.RequestError, match="unit"):
        tf.map({"22": 1.0}, unit="kg")  # type: ignore[arg-type]
