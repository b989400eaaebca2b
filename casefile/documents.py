"""Documents issued from a case, rendered from its data: HTML kept in the case file, PDF on
request (printed by headless Chromium, the same browser the web tests use)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from models.calendar import CST
from models.case import CaseDocument
from models.case.service import METHODS_ZH
from models.clauses import Clause
from models.errors import MinecaseError
from models.kinds import DeadlineKind
from models.units import unit_name

PLAN = "上高县人民政府办公室《关于印发上高县停产非煤矿山生态环境整治专项行动方案的通知》（上府办发〔2023〕35号）"
"""The act every document rests on: the county plan (seed 004), as its own title and number read."""

CLAUSES_ZH = {
    Clause.disposition: "第四部分第1项（因地制宜，分类处置矿权）",
    Clause.fixed_dates: "第四部分第2项（注重实效，优化矿山环境）",
    Clause.cancellation: "第四部分第3项（依法依规，明确注销程序）",
    Clause.acceptance: "第五部分第1项（完善矿山生态环境整治验收机制）",
    Clause.litigation: "第五部分第2项（明确生态公益诉讼机制）",
    Clause.collective: "第五部分第3项（建立集体研究机制）",
    Clause.division_of_work: "第六部分（工作分工）",
}


def remedy(document: str = "决定书") -> str:
    """The remedies a decision addressed to the holder names (行政复议法 art. 20, 行政诉讼法 art. 46)."""
    return f"如不服本决定，可在收到本{document}之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"


DUTIES_ZH = {
    DeadlineKind.rectification: "完善审批手续、完成矿山生态环境整治任务",
    DeadlineKind.extension: "整改期限内完善审批手续、完成矿山生态环境整治任务",
    DeadlineKind.restoration_plan: "编制完生态修复方案",
    DeadlineKind.restoration_works: "采区、厂区、堆料区等裸露区环境整治并通过验收",
    DeadlineKind.unused_bare_area: "不使用区的裸露区环境整治",
    DeadlineKind.correction: "补正",
}

_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def chinese_date(value: dt.date | str | None) -> str:
    """A date as a Chinese document writes it (GB/T 9704: the year in full, no leading zeros):
    ``2027-05-24`` → ``2027年5月24日``. An instant is taken on China's calendar; in text, every
    ISO date is rewritten (``于2030-11-01前`` → ``于2030年11月1日前``); nothing gives ``""``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(CST).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return _ISO_DATE.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", str(value))


def legal_basis(*clauses: str) -> str:
    """The plan and the parts of it a document applies: ``legal_basis("四.3")``."""
    parts = "、".join(CLAUSES_ZH.get(Clause(c), c) if c in set(Clause) else c for c in clauses)
    return f"{PLAN}所附方案{parts}" if parts else PLAN


def duty_zh(duty: str) -> str:
    """The holder's duty a period was for, by its deadline kind (the code itself when unknown)."""
    return DUTIES_ZH.get(DeadlineKind(duty), duty) if duty in set(DeadlineKind) else duty


_env = Environment(loader=PackageLoader("casefile", "templates"), autoescape=select_autoescape(["html"]))
_env.filters.update(zh_date=chinese_date, unit_name=unit_name, duty_zh=duty_zh,
                    service_method=lambda method: METHODS_ZH.get(method, method or ""))
_env.globals.update(legal_basis=legal_basis, remedy=remedy)


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
