"""The github format: workflow annotations, escaped as the runner expects."""

from __future__ import annotations

from pathlib import Path

from test_format_fixtures import catalog_run, render

from listguard.model import Finding, ListingResult, Location, Severity
from listguard.reporters.github import GitHubWriter, annotation, escape_property


def test_one_annotation_per_finding_with_file_line_and_title(tmp_path: Path) -> None:
    lines = render(catalog_run(tmp_path), GitHubWriter).splitlines()
    assert len(lines) == 5  # four findings and the closing notice
    line = next(line for line in lines if "TST002" in line and "a-fail" in line)
    assert line.startswith("::warning file=")
    assert "catalog/a-fail/detail.html,line=3,col=5,title=TST002::" in line
    page = next(line for line in lines if "TST001" in line)
    assert page.startswith("::error ") and "title=TST001 (page 2)::" in page
    assert lines[-1] == "::notice title=listguard::3 listing(s): 1 fail, 1 warn, 1 pass"


def test_message_newlines_and_percent_are_escaped() -> None:
    finding = Finding(
        "LG006", "100% broken\r\nsecond line", Severity.ERROR, location=Location(file="a.jpg")
    )
    line = annotation(ListingResult("pkg"), finding)
    assert line.endswith("::100%25 broken%0D%0Asecond line")
    assert line.count("\n") == 0


def test_colons_and_commas_in_properties_are_escaped() -> None:
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    finding = Finding("LG003", "missing", Severity.ERROR, location=Location(file="x,y:z.pdf"))
    line = annotation(ListingResult("pkg"), finding)
    assert "file=pkg/x%2Cy%3Az.pdf," in line


def test_a_zipped_package_points_at_the_zip_and_names_the_member() -> None:
    finding = Finding(
        "LG006", "bad", Severity.WARNING, location=Location(file="images/a.jpg", line=4)
    )
    line = annotation(ListingResult("shop/p.zip"), finding)
    assert line.startswith("::warning file=shop/p.zip,title=LG006 in images/a.jpg::")
