"""The shapes of the dicts some properties return: the JSON contract's ``history``,
``quarterly``, ``change`` and ``exposure`` fields, as ``typing.TypedDict`` classes for type
checkers."""

from __future__ import annotations

from typing import Literal, TypedDict


class YearFigures(TypedDict):
    """A year of a territory's history (the JSON's ``history``)."""

    year: int
    quarters: list[int]
    exports_eur: int
    imports_eur: int
    balance_eur: int


class QuarterFigures(TypedDict):
    """A quarter of a territory's series (the JSON's ``quarterly``)."""

    year: int
    quarter: int
    exports_eur: int
    imports_eur: int


class Driver(TypedDict):
    """A partner or product that drove a change."""

    code: str
    label: str
    previous_eur: int
    value_eur: int
    change_eur: int
    contribution: float | None


class FlowChange(TypedDict):
    previous_eur: int
    value_eur: int
    growth: float | None
    partners: list[Driver]
    products: list[Driver]


class Change(TypedDict):
    """The change against the year before (the JSON's ``change``)."""

    previous_year: int
    quarters: list[int]
    exports: FlowChange
    imports: FlowChange


ZoneCode = Literal[
    "UE27", "EUROPE_HORS_UE", "AFRIQUE", "AMERIQUE", "ASIE", "OCEANIE", "NON_DETERMINE"
]


class Part(TypedDict):
    """A zone or a country watched, and its share of the flow (null when the flow is 0)."""

    code: str
    label: str
    value_eur: int
    share: float | None


class CountryShare(TypedDict):
    code: str
    share: float


class Dependency(TypedDict):
    """An imported CPF4 product that depends on few suppliers outside the EU."""

    product: str
    label: str
    value_eur: int
    extra_eu_share: float
    hhi_extra_eu: float
    top_supplier: CountryShare


class FlowExposure(TypedDict):
    zones: list[Part]
    watch: list[Part]
    partners_hhi: float | None
    products_hhi: float | None
    partners_count: int
    top_partner: CountryShare | None


class ImportExposure(FlowExposure):
    """The imports' exposure, with the dependencies (by value descending, then code)."""

    dependencies: list[Dependency]


class Specialisation(TypedDict):
    """A product of the specialisation: lq = share / national_share."""

    product: str
    label: str
    value_eur: int
    share: float
    national_share: float
    lq: float


class Exposure(TypedDict):
    """Exposure and dependence (the JSON's ``exposure``)."""

    exports: FlowExposure
    imports: ImportExposure
    specialisation: list[Specialisation]


__all__ = [
    "Change",
    "CountryShare",
    "Dependency",
    "Driver",
    "Exposure",
    "FlowChange",
    "FlowExposure",
    "ImportExposure",
    "Part",
    "QuarterFigures",
    "Specialisation",
    "YearFigures",
    "ZoneCode",
]
