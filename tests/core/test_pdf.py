import shutil
import subprocess

from servicedesk.core.pdf import render_pdf
from tests.conftest import skip_or_fail


def test_a_chinese_page_renders_with_an_embedded_subset_font(tmp_path):
    if not shutil.which("pdftotext") or not shutil.which("fc-list"):
        skip_or_fail("poppler-utils / fontconfig not installed")
    if "Noto Sans CJK" not in subprocess.run(["fc-list"], capture_output=True, text=True).stdout:
        skip_or_fail("fonts-noto-cjk not installed")
    pdf = render_pdf("pdf/sample.html", {"title": "接车单", "body": "客户张伟，车牌沪A12345，保养"})
    path = tmp_path / "sample.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "接车单" in text and "沪A12345" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all("+" in line.split()[0] and " yes " in line for line in cjk), fonts  # ABCDEF+Name: a subset
