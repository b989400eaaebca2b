"""Charts for the desk and the bulletin, rendered on the server as SVG (issue 14 item 6).

No script and no library: the desk's Content-Security-Policy forbids inline script, and an SVG in the page
prints to PDF as it is. Each function returns markup (``Markup``) with a ``<title>`` and a text table of
its numbers in ``<desc>`` for screen readers; every mark carries a ``data-value`` the tests read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

PALETTE = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#b7791f", "#718096", "#e53e3e", "#4a5568"]


def _svg(width: int, height: int, title: str, body: list[str], kind: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{escape(kind)}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="sans-serif" font-size="11">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def _legend(names: Sequence[str], x: int, y: int) -> list[str]:
    out = []
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        yy = y + i * 14
        out.append(f'<rect x="{x}" y="{yy - 9}" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{x + 14}" y="{yy}">{escape(name)}</text>')
    return out


def area_bars(targets: list[dict[str, Any]], area: dict[str, Any], width: int = 560, title: str = "修复面积与目标（公顷）") -> Markup:
    """Per target year: the target and the area restored that year so far (hm²); and the campaign's total."""
    years = [t["year"] for t in targets]
    restored = {area["year"]: area["restored_this_year_hm2"]} if area.get("year") in years else {}
    rows: list[tuple[str, float, float | None]] = [(str(y), float(t["hectares"]), restored.get(y))
                                                   for y, t in zip(years, targets, strict=True)]
    rows.append(("累计 total", float(area.get("target_to_date_hm2") or 0.0), float(area.get("restored_hm2") or 0.0)))
    top = max([1.0] + [max(t, r or 0.0) for _, t, r in rows])
    height, left, bar = 40 + 34 * len(rows), 90, 12
    body = []
    scale = (width - left - 80) / top
    for i, (name, target, done) in enumerate(rows):
        y = 20 + i * 34
        body.append(f'<text x="4" y="{y + 14}">{escape(name)}</text>')
        body.append(f'<rect class="target" data-value="{target}" x="{left}" y="{y}" width="{target * scale:.1f}" '
                    f'height="{bar}" fill="#cbd5e0"/>'
                    f'<text x="{left + target * scale + 4:.1f}" y="{y + 10}">{target:g} 目标</text>')
        if done is not None:
            body.append(f'<rect class="restored" data-value="{done}" x="{left}" y="{y + bar + 2}" width="{done * scale:.1f}" '
                        f'height="{bar}" fill="#38a169"/><text x="{left + done * scale + 4:.1f}" y="{y + 2 * bar}">{done:g} 已修复</text>')
    return _svg(width, height, title, body, "area")


def stacked_bars(labels: list[str], series: dict[str, list[int]], names: dict[str, str], width: int = 640,
                 title: str = "各阶段案件数（按周）") -> Markup:
    """One stacked bar per week: the cases of each stage group at its end."""
    n = max(len(labels), 1)
    height, left, bottom = 220, 36, 40
    totals = [sum(series[k][i] for k in series) for i in range(len(labels))]
    top = max([1, *totals])
    plot_w, plot_h = width - left - 170, height - bottom - 10
    step = plot_w / n
    body = [f'<line x1="{left}" y1="{10 + plot_h}" x2="{left + plot_w}" y2="{10 + plot_h}" stroke="#4a5568"/>',
            f'<text x="2" y="18">{top}</text><text x="2" y="{10 + plot_h}">0</text>']
    for i, label in enumerate(labels):
        x, base = left + i * step + 2, float(10 + plot_h)
        for j, key in enumerate(series):
            value = series[key][i]
            h = value / top * plot_h
            base -= h
            body.append(f'<rect class="bar" data-series="{escape(key)}" data-value="{value}" x="{x:.1f}" y="{base:.1f}" '
                        f'width="{max(step - 4, 1):.1f}" height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}"/>')
        if i % max(1, n // 6) == 0:
            body.append(f'<text x="{x:.1f}" y="{height - bottom + 14}">{escape(label[5:])}</text>')
    body += _legend([names[k] for k in series], left + plot_w + 10, 24)
    return _svg(width, height, title, body, "stages")


def lines(labels: list[str], series: dict[str, list[float]], width: int = 640, title: str = "各乡镇修复率（按周）") -> Markup:
    """One line per township: a share (0–1) at the end of each week."""
    n = max(len(labels) - 1, 1)
    height, left, bottom = 220, 36, 40
    plot_w, plot_h = width - left - 150, height - bottom - 10
    body = [f'<line x1="{left}" y1="{10 + plot_h}" x2="{left + plot_w}" y2="{10 + plot_h}" stroke="#4a5568"/>',
            '<text x="2" y="18">100%</text>', f'<text x="2" y="{10 + plot_h}">0</text>']
    for j, (name, values) in enumerate(series.items()):
        colour = PALETTE[j % len(PALETTE)]
        points = " ".join(f"{left + i * plot_w / n:.1f},{10 + plot_h - v * plot_h:.1f}" for i, v in enumerate(values))
        body.append(f'<polyline class="line" data-series="{escape(name)}" data-value="{values[-1] if values else 0}" fill="none" '
                    f'stroke="{colour}" stroke-width="2" points="{points}"/>')
    for i, label in enumerate(labels):
        if i % max(1, len(labels) // 6) == 0:
            body.append(f'<text x="{left + i * plot_w / n:.1f}" y="{height - bottom + 14}">{escape(label[5:])}</text>')
    body += _legend(list(series)[:10], left + plot_w + 10, 24)
    return _svg(width, height, title, body, "townships")


def rate_bars(rows: list[tuple[str, float | None]], width: int = 560, title: str = "按期率") -> Markup:
    """Horizontal bars of rates (0–1), one per row (the campaign, then each township)."""
    left, bar = 110, 14
    height = 10 + 22 * max(len(rows), 1)
    plot_w = width - left - 60
    body = []
    for i, (name, rate) in enumerate(rows):
        y = 6 + i * 22
        body.append(f'<text x="4" y="{y + 11}">{escape(name)}</text>'
                    f'<rect x="{left}" y="{y}" width="{plot_w}" height="{bar}" fill="#edf2f7"/>')
        if rate is not None:
            colour = "#38a169" if rate >= 0.9 else "#d69e2e" if rate >= 0.7 else "#e53e3e"
            body.append(f'<rect class="rate" data-value="{rate}" x="{left}" y="{y}" width="{rate * plot_w:.1f}" '
                        f'height="{bar}" fill="{colour}"/>'
                        f'<text x="{left + plot_w + 4}" y="{y + 11}">{rate * 100:.0f}%</text>')
        else:
            body.append(f'<text x="{left + plot_w + 4}" y="{y + 11}">—</text>')
    return _svg(width, height, title, body, "on-time")
