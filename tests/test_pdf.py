"""The result as a PDF (WeasyPrint): it looks like the result page, chart and plan included."""

import os
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
from audit_helpers import walk
from django.urls import reverse
from task_helpers import DATABASE_TASKS, run_worker

from audits.reports import plan_in_words

# The task worker closes a connection it finds inside a transaction: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)

PDFTOPPM = "/usr/bin/pdftoppm"


@pytest.fixture
def member_client(client, member, settings):
    settings.TASKS = DATABASE_TASKS
    client.force_login(member)
    return client


def made_pdf(client, audit):
    """The PDF as the member downloads it, once the task worker has made it."""
    url = reverse("audits:export_pdf", args=[audit.id])
    assert client.get(url).status_code == 302  # asked for: the worker makes it
    run_worker()
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def pdf_of(client):
    audit = walk(client)
    return audit, made_pdf(client, audit)


def page_pixels(pdf, dpi=60):
    """Each page of `pdf` as (width, height, grey bytes), as pdftoppm draws it."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "result.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            [PDFTOPPM, "-gray", "-r", str(dpi), str(path), str(Path(directory) / "page")],
            check=True,
            timeout=60,
        )
        if os.environ.get("CAREERGUIDE_KEEP_PDF"):
            Path(os.environ["CAREERGUIDE_KEEP_PDF"]).write_bytes(pdf)
        pages = []
        for page in sorted(Path(directory).glob("page-*.pgm")):
            data = page.read_bytes()
            _magic, width, height, _max, pixels = re.match(
                rb"(P5)\s+(\d+)\s+(\d+)\s+(\d+)\s(.*)", data, re.S
            ).groups()
            pages.append((int(width), int(height), pixels))
        return pages


@pytest.mark.skipif(not Path(PDFTOPPM).exists(), reason="pdftoppm (poppler-utils) is needed")
def test_the_pdf_chart_has_no_black_bars(member_client):
    """The empty part of each bar is light, as on screen: no run of near-black pixels as
    long as a bar anywhere on the pages (text strokes are short)."""
    _audit, pdf = pdf_of(member_client)

    for width, _height, pixels in page_pixels(pdf):
        rows = [pixels[i : i + width] for i in range(0, len(pixels), width)]
        longest = max(
            (len(run) for row in rows for run in re.findall(rb"[\x00-\x30]+", row)), default=0
        )
        assert longest < width // 10, f"a dark run {longest} px long on a {width} px page"


def page_texts(pdf):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "result.pdf"
        path.write_bytes(pdf)
        pages = []
        for number in range(1, 4):
            text = subprocess.run(
                ["/usr/bin/pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
                capture_output=True,
                text=True,
                timeout=60,
            )
            if text.returncode:
                break
            pages.append(" ".join(text.stdout.split()))
        return pages


@pytest.mark.skipif(not Path(PDFTOPPM).exists(), reason="poppler-utils is needed")
@pytest.mark.parametrize("answers", ["RETRIEVAL_ANSWERS", "EVALS_ANSWERS"])
def test_the_plan_starts_and_ends_on_one_page(member_client, answers):
    import answers as walks

    audit = walk(member_client, getattr(walks, answers))
    pdf = made_pdf(member_client, audit)
    pages = page_texts(pdf)
    plan = plan_in_words(audit.result["next_steps"][0])
    first = f"90-day plan for {plan['name']}"
    last = " ".join(plan["stages"][-1]["items"][-1]["text"].split()[-4:])

    if os.environ.get("CAREERGUIDE_KEEP_PDF"):
        Path(f"{os.environ['CAREERGUIDE_KEEP_PDF']}.{answers}.pdf").write_bytes(pdf)
    assert len(pages) <= 2
    starts = [n for n, text in enumerate(pages) if first in text]
    ends = [n for n, text in enumerate(pages) if last in text]
    assert starts and starts == ends, (first, last, pages)
