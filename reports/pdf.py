"""The monthly report as a PDF (Chinese headings, charts drawn as SVG on the server)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from followups.models import Department
from servicedesk.core.pdf import render_pdf

from .charts import Series, bar_chart, line_chart
from .tables import business_tables, churn_tables, complaint_tables, satisfaction_tables, workshop_tables


def charts(figures: dict) -> dict:
    satisfaction = figures["satisfaction"]
    departments = [(code, label) for code, label in Department.choices if code != Department.OVERALL]
    trend = satisfaction["trend"]
    return {
        "departments": bar_chart(_("Department scores"), [str(label) for _, label in departments],
                                 [satisfaction["departments"].get(code) for code, _label in departments]),
        "trend": line_chart(_("Satisfaction over twelve months"), [row["month"][2:] for row in trend],
                            [Series(str(label), [row["scores"].get(code) for row in trend])
                             for code, label in departments]),
    }


def monthly_report_pdf(*, site, figures: dict) -> bytes:
    """In the site's language (the default), whoever's request or task renders it."""
    with translation.override(settings.LANGUAGE_CODE):
        return _render(site, figures)


def _render(site, figures: dict) -> bytes:
    return render_pdf("pdf/reports/monthly.html", {
        "site": site, "figures": figures, "charts": charts(figures),
        "tables": {"satisfaction": satisfaction_tables(figures), "complaints": complaint_tables(figures),
                   "churn": churn_tables(figures), "workshop": workshop_tables(figures),
                   "business": business_tables(figures)},
        "document_title": _("Monthly service report"), "document_number": figures["month"],
    })
