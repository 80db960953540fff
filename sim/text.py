"""Reading a user's text file (a CSV, a YAML file) as UTF-8, and saying what it is when it
is not: a spreadsheet's plain "CSV" is often Windows-1252 (Excel on Windows), its "Unicode
Text" UTF-16; either is refused with one message naming the encoding, the first byte that
is not UTF-8 (with its row), and how to save the file as UTF-8.

Examples:
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d) / "r.csv"
    ...     _ = p.write_bytes("name,cost\\nChoir,\\u00a32\\n".encode("cp1252"))
    ...     try:
    ...         read_text(p)
    ...     except InputError as err:
    ...         print(err.reason.split(";")[0])
    the file is in Windows-1252, not UTF-8 (byte 0xa3, '£', in row 2)
"""

from __future__ import annotations

import codecs
from pathlib import Path

from netmob.sim.errors import InputError

HOW = (
    "a UTF-8 file: in Excel, Save As 'CSV UTF-8 (Comma delimited)'; in LibreOffice, "
    "Character set 'Unicode (UTF-8)'; or convert it: iconv -f {code} -t UTF-8 FILE > NEW"
)
NAMES = {"cp1252": "Windows-1252", "utf-16": "UTF-16", "latin-1": "Latin-1 (ISO-8859-1)"}
ICONV = {"cp1252": "WINDOWS-1252", "utf-16": "UTF-16", "latin-1": "ISO-8859-1"}


def read_text(path: Path) -> str:
    """The text of ``path``, UTF-8 (a byte-order mark is fine).

    Raises:
        InputError: for a file in another encoding, naming it and how to save as UTF-8.
    """
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _not_utf8(path, data, err) from None


def _not_utf8(path: Path, data: bytes, err: UnicodeDecodeError) -> InputError:
    """What the file is, in one message."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        code = "utf-16"
        where = "it starts with UTF-16's byte-order mark (Excel's 'Unicode Text')"
    else:
        code = "cp1252"
        try:
            char = data[err.start : err.start + 1].decode("cp1252")
        except UnicodeDecodeError:
            code, char = "latin-1", data[err.start : err.start + 1].decode("latin-1")
        row = data[: err.start].count(b"\n") + 1
        where = f"byte 0x{data[err.start]:02x}, {char!r}, in row {row}"
    return InputError(
        f"the file is in {NAMES[code]}, not UTF-8 ({where}); netmob reads UTF-8",
        file=str(path),
        allowed=HOW.format(code=ICONV[code]),
    )
