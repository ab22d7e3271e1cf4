"""The shapes of the dicts some properties return: the JSON contract's ``history``,
``quarterly`` and ``change`` fields, as ``typing.TypedDict`` classes for type checkers."""

from __future__ import annotations

from typing import TypedDict


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


__all__ = ["Change", "Driver", "FlowChange", "QuarterFigures", "YearFigures"]
