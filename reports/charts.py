"""Charts as SVG text, drawn on the server: WeasyPrint runs no JavaScript, so the monthly PDF gets these
(the screens draw the same series with Chart.js). Only what the report needs: lines over months and bars."""

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape  # nosec B406 # escapes text we write into SVG; parses nothing

PALETTE = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997"]
WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 640, 260, 40, 40, 20, 120


@dataclass
class Series:
    label: str
    values: list[Decimal | float | None]


def _y(value, top_value) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return TOP + plot - (float(value) / float(top_value)) * plot if top_value else HEIGHT - BOTTOM


def _frame(labels: list[str], top_value, step_x: float, offset: float) -> list[str]:
    parts = [f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" '
             'stroke="#999" stroke-width="1"/>']
    for tick in range(0, 5):
        value = float(top_value) * tick / 4
        y = _y(value, top_value)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{value:g}</text>')
    for index, label in enumerate(labels):
        x = LEFT + offset + index * step_x
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10" text-anchor="middle">'
                     f'{escape(label)}</text>')
    return parts


def _legend(series: list[Series]) -> list[str]:
    parts = []
    for index, line in enumerate(series):
        y = TOP + 14 * index
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{WIDTH - RIGHT + 10}" y="{y}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{WIDTH - RIGHT + 24}" y="{y + 9}" font-size="10">{escape(line.label)}</text>')
    return parts


def _svg(parts: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
            f'height="{HEIGHT}" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
            + "".join(parts) + "</svg>")


def line_chart(title: str, labels: list[str], series: list[Series], *, top_value=100) -> str:
    step = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    parts = _frame(labels, top_value, step, step / 2)
    for index, line in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        points = [(LEFT + step / 2 + i * step, _y(v, top_value)) for i, v in enumerate(line.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points]
    return _svg(parts + _legend(series), title)


def bar_chart(title: str, labels: list[str], values: list, *, top_value=100) -> str:
    step = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    parts = _frame(labels, top_value, step, step / 2)
    for index, value in enumerate(values):
        if value is None:
            continue
        x, y = LEFT + index * step + step * 0.2, _y(value, top_value)
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.6:.1f}" height="{HEIGHT - BOTTOM - y:.1f}" '
                     f'fill="{PALETTE[0]}"/>')
        parts.append(f'<text x="{x + step * 0.3:.1f}" y="{y - 3:.1f}" font-size="10" text-anchor="middle">'
                     f'{value}</text>')
    return _svg(parts, title)
