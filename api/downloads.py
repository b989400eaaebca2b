"""Files the API hands out (the ledger's .xlsx, documents as HTML or PDF): their media type and a
Content-Disposition that keeps the Chinese file name."""

from __future__ import annotations

import re
from urllib.parse import quote

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_disposition(filename: str, fallback: str, inline: bool = False) -> str:
    """A Content-Disposition with an ASCII ``filename`` and the real name as RFC 5987 ``filename*``."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", fallback) or "download"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
