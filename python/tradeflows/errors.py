"""The exceptions of tradeflows.

Every error the library raises is a :class:`TradeflowsError`. Errors about the content of
the files or about codes are also :class:`ValueError`; a missing file is also a
:class:`FileNotFoundError`, other I/O failures (reading or writing) an :class:`OSError`, a
bug of the library a :class:`RuntimeError`. One class per kind of error; the extension
module binds them once, when it is imported.
"""

from __future__ import annotations


class TradeflowsError(Exception):
    """Base class of every error raised by tradeflows."""


class ParseError(TradeflowsError, ValueError):
    """A malformed value in a DGDDI file.

    Attributes:
        path: the file (``dir/archive.zip!member.txt`` for a zip member).
        line: 1-based line number.
        column: 1-based field number (0 when the whole line is concerned).
        field: the field's name as DGDDI documents it (``Code CPF4``).
        value: the offending value.
    """

    path: str
    line: int
    column: int
    field: str
    value: str


class CodeError(TradeflowsError, ValueError):
    """A code that is malformed or not in its nomenclature.

    Attributes:
        kind: what was expected (``CPF4 code``).
        value: the refused text.
    """

    kind: str
    value: str


class FileFormatError(TradeflowsError, ValueError):
    """A file that cannot be used whole: empty, binary, a broken zip, no DGDDI file found.

    Attributes:
        path: the file or folder.
    """

    path: str


class RequestError(TradeflowsError, ValueError):
    """A request the data cannot answer (a year not in the files, an unknown flow …)."""


class DataFileNotFoundError(TradeflowsError, FileNotFoundError):
    """A file or folder that does not exist.

    Attributes:
        path: the path asked for.
    """

    path: str


class DataIOError(TradeflowsError, OSError):
    """A file that exists but cannot be read.

    Attributes:
        path: the file.
    """

    path: str


class OutputError(TradeflowsError, OSError):
    """An output file that could not be written (nothing partial is left under its name).

    Attributes:
        path: the file.
    """

    path: str


class CancelledError(TradeflowsError):
    """Work interrupted before its end; the files written before are complete."""


class InternalError(TradeflowsError, RuntimeError):
    """An invariant of the library does not hold: a bug, reported instead of a wrong figure."""


__all__ = [
    "CancelledError",
    "CodeError",
    "DataFileNotFoundError",
    "DataIOError",
    "FileFormatError",
    "InternalError",
    "OutputError",
    "ParseError",
    "RequestError",
    "TradeflowsError",
]
