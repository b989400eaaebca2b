"""Documents issued from a case, rendered from its data: HTML kept in the case file, PDF on
request (printed by headless Chromium, the same browser the web tests use)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from models.case import CaseDocument
from models.errors import MinecaseError

_env = Environment(loader=PackageLoader("casefile", "templates"), autoescape=select_autoescape(["html"]))


def render_html(document: CaseDocument) -> str:
    return _env.get_template(f"{document.kind}.html").render(doc=document, f=document.fields)


def html_to_pdf(html: str) -> bytes:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        raise MinecaseError("生成 PDF 需要 Chromium（apt-get install chromium）", "PDF needs Chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "doc.html", Path(tmp) / "doc.pdf"
        source.write_text(html, encoding="utf-8")
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp}/profile",
             "--no-pdf-header-footer", f"--print-to-pdf={target}", source.as_uri()],
            check=True, capture_output=True, timeout=60,
        )
        return target.read_bytes()
