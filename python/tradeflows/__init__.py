"""tradeflows: French customs (DGDDI) foreign-trade open data in notebooks.

Exact figures of ANCT's factsheet « Les indicateurs clés : commerce extérieur » for every
département, région and France, its four charts, and the rows and computations as Arrow
tables for pandas and polars::

    import tradeflows as tf

    data = tf.load_dgddi("path/to/dgddi")   # or tf.demo()
    fs = data.factsheet("22")              # Côtes-d'Armor
    fs.exports.total_eur                   # exact euros
    fs.to_dict()                           # the JSON contract
    fs                                     # rich display in Jupyter
    polars.DataFrame(data.flows())         # the rows, through the Arrow C stream

The computations run in Rust (the ``tradeflows`` crate); this package is a thin layer.
"""

from __future__ import annotations

from tradeflows._tradeflows import (
    A10,
    A17,
    A21,
    A38,
    A64,
    A88,
    A129,
    Chart,
    Country,
    Cpf4,
    Cpf6,
    Data,
    Departement,
    Factsheet,
    FlowCell,
    FlowFigures,
    Nc8,
    PartnerFigures,
    Ranked,
    Region,
    Table,
    TerritoryInfo,
    __version__,
    demo,
    load_dgddi,
    map,
)
from tradeflows.errors import (
    CancelledError,
    CodeError,
    DataFileNotFoundError,
    DataIOError,
    FileFormatError,
    InternalError,
    OutputError,
    ParseError,
    RequestError,
    TradeflowsError,
)

__all__ = [
    "A10",
    "A17",
    "A21",
    "A38",
    "A64",
    "A88",
    "A129",
    "CancelledError",
    "Chart",
    "CodeError",
    "Country",
    "Cpf4",
    "Cpf6",
    "Data",
    "DataFileNotFoundError",
    "DataIOError",
    "Departement",
    "Factsheet",
    "FileFormatError",
    "FlowCell",
    "FlowFigures",
    "InternalError",
    "Nc8",
    "OutputError",
    "ParseError",
    "PartnerFigures",
    "Ranked",
    "Region",
    "RequestError",
    "Table",
    "TerritoryInfo",
    "TradeflowsError",
    "__version__",
    "demo",
    "load_dgddi",
    "map",
]
