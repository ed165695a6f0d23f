"""PDFs from templates with WeasyPrint. Slow I/O: call it after commit or in a task, never inside a
transaction. Chinese needs Debian's fonts-noto-cjk (and libharfbuzz-subset0 to stay fast)."""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML  # imported late: it loads Pango, which costs start-up time

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request else str(settings.BASE_DIR)
    return HTML(string=html, base_url=base_url).write_pdf()
