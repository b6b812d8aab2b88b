"""Read answers: survey exports (CSV, TSV, XLSX) of any supported tool and the response files of
`cxassess run`, into one columnar answers frame.

`read_responses(paths, q)` is the entry point; see `reader` for how inputs are found and mixed,
`exports` for the tools' layouts, `matching` for headers and labels, and `mapfile` for `--map`.
Importing this package does not import polars: the work happens inside the functions.
"""

from __future__ import annotations

from cxassess.inputs.reader import read_inputs, read_responses

__all__ = ["read_inputs", "read_responses"]
