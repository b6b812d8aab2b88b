"""Builders of hostile and broken input files, each named for the fault it holds, shared by the
bounded-reading, input-fault and fuzz tests."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

QUESTIONNAIRE = "three-abilities"
NS = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def good_csv_text(rows: int = 12, seed: int = 1) -> str:
    """A valid export of `three-abilities` (the template's headers, one row per respondent)."""
    from cxassess.format.catalog import resolve_questionnaire
    from cxassess.outputs.template import template_csv

    header = template_csv(resolve_questionnaire(QUESTIONNAIRE)).splitlines()[0]
    names = header.split(",")
    pick = random.Random(seed)
    lines = [header]
    for i in range(rows):
        cells = [f"r{i}", pick.choice(["sales", "support"]), "Front line"]
        cells += [str(pick.randint(1, 5)) for _ in names[3:-3]]
        cells += ["8", "better tools", "yes"]
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def write_xlsx(path: Path, sheet_xml: str, shared: str | None = None) -> Path:
    """A minimal workbook of one sheet whose XML is given (and, optionally, shared strings)."""
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/></Types>'
    )
    rels = (
        f'<?xml version="1.0"?><Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f'<?xml version="1.0"?><workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
        '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    book_rels = (
        f'<?xml version="1.0"?><Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
        + (
            f'<Relationship Id="rId2" Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/>'
            if shared
            else ""
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared:
            archive.writestr("xl/sharedStrings.xml", shared)
    return path


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def far_cell_xlsx(folder: Path) -> Path:
    """7 KB at most: one header and one cell at XFD1048576 (a grid of 17 billion cells)."""
    body = f'<row r="1">{_inline("A1", "respondent")}</row>'
    body += f'<row r="1048576">{_inline("XFD1048576", "x")}</row>'
    return write_xlsx(folder / "far-cell.xlsx", f"{NS}<sheetData>{body}</sheetData></worksheet>")


def declared_dimension_xlsx(folder: Path) -> Path:
    """A sheet whose `<dimension>` declares A1:XFD1048576 though it holds one cell."""
    body = f'<row r="1">{_inline("A1", "respondent")}</row>'
    xml = f'{NS}<dimension ref="A1:XFD1048576"/><sheetData>{body}</sheetData></worksheet>'
    return write_xlsx(folder / "declared-dimension.xlsx", xml)


def shared_string_amplified_xlsx(folder: Path) -> Path:
    """One shared text of 40,000 characters referred to by 200,000 cells (8 billion)."""
    body = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c></row>' for i in range(1, 200_001))
    shared = f'<?xml version="1.0"?><sst xmlns="{_MAIN}"><si><t>{"A" * 40_000}</t></si></sst>'
    xml = f"{NS}<sheetData>{body}</sheetData></worksheet>"
    return write_xlsx(folder / "shared-string-amplified.xlsx", xml, shared)


def zip_bomb_rows_xlsx(folder: Path) -> Path:
    """Two million numbered-less rows packed hundreds of times."""
    body = "<row><c><v>1</v></c></row>" * 2_000_000
    return write_xlsx(
        folder / "zip-bomb-rows.xlsx", f"{NS}<sheetData>{body}</sheetData></worksheet>"
    )


def too_many_rows_xlsx(folder: Path) -> Path:
    """1,100,000 numbered rows: more than Excel allows, packed no more than a real sheet."""
    body = "".join(
        f'<row r="{i}"><c r="A{i}"><v>{(i * 7919) % 100003}</v></c></row>'
        for i in range(1, 1_100_001)
    )
    return write_xlsx(
        folder / "too-many-rows.xlsx", f"{NS}<sheetData>{body}</sheetData></worksheet>"
    )


def good_xlsx(folder: Path) -> Path:
    """A valid export as a workbook (inline strings), as a survey tool would write it."""
    rows = [line.split(",") for line in good_csv_text().splitlines()]
    body = ""
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{_letter(c)}{r}"><v>{v}</v></c>'
            if v.isdigit()
            else _inline(f"{_letter(c)}{r}", v)
            for c, v in enumerate(row)
        )
        body += f'<row r="{r}">{cells}</row>'
    return write_xlsx(folder / "good.xlsx", f"{NS}<sheetData>{body}</sheetData></worksheet>")


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def lying_size_xlsx(folder: Path) -> Path:
    """The zip bomb of `zip_bomb_rows_xlsx` with its directory declaring the sheet 1,000 bytes."""
    import struct

    bomb = zip_bomb_rows_xlsx(folder)
    with zipfile.ZipFile(bomb) as archive:
        real = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    data = bomb.read_bytes().replace(struct.pack("<I", real), struct.pack("<I", 1000))
    path = folder / "lying-size.xlsx"
    path.write_bytes(data)
    return path
