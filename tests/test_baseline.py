"""Baselines: fingerprints, suppression, expiry, stale entries, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from listguard.baseline import Baseline, BaselineEntry, BaselineError, fingerprints
from listguard.cli import main
from listguard.model import Finding, ListingResult, Location, Severity
from listguard.testing import base_manifest, write_package

AS_OF = "2026-11-22"


def _listing(*findings: Finding, package: str = "catalog/a") -> ListingResult:
    return ListingResult(package, "A-1", list(findings))


def _missing(file: str, pointer: str = "/manuals/0/file") -> Finding:
    return Finding(
        "LG003", f"{file} is missing", Severity.ERROR, location=Location(file=file, pointer=pointer)
    )


def test_fingerprint_ignores_message_and_line_but_not_file() -> None:
    base = Finding("TST002", "odd", Severity.WARNING, location=Location(file="d.html", line=3))
    moved = Finding("TST002", "odder", Severity.WARNING, location=Location(file="d.html", line=9))
    other = Finding("TST002", "odd", Severity.WARNING, location=Location(file="e.html", line=3))
    [a], [b], [c] = (fingerprints(_listing(f)) for f in (base, moved, other))
    assert a == b
    assert a != c


def test_fingerprint_depends_on_the_package() -> None:
    finding = _missing("m.pdf")
    assert fingerprints(_listing(finding)) != fingerprints(_listing(finding, package="catalog/b"))


def test_same_path_spelled_differently_gives_the_same_fingerprint(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    finding = _missing("m.pdf")
    spellings = ["catalog/a", "./catalog/a", "catalog/a/", str(tmp_path / "catalog" / "a")]
    assert len({fingerprints(_listing(finding, package=p))[0] for p in spellings}) == 1


def test_findings_sharing_a_location_get_distinct_fingerprints() -> None:
    first = Finding("TST002", "one", Severity.WARNING, location=Location(file="d.html", line=3))
    second = Finding("TST002", "two", Severity.WARNING, location=Location(file="d.html", line=8))
    prints = fingerprints(_listing(first, second))
    assert len(set(prints)) == 2


def test_apply_suppresses_recorded_findings_and_counts_them() -> None:
    known, new = _missing("a.pdf"), _missing("b.pdf", "/manuals/1/file")
    baseline = Baseline.from_results([_listing(known)], reason="accepted")
    result = baseline.apply(_listing(known, new), as_of=_date(AS_OF))
    assert [f.location.file for f in result.findings] == ["b.pdf"]
    assert baseline.suppressed == 1 and baseline.stale == []


def test_an_entry_past_its_until_date_no_longer_suppresses() -> None:
    known = _missing("a.pdf")
    baseline = Baseline.from_results([_listing(known)], reason="r", until=_date("2026-11-21"))
    result = baseline.apply(_listing(known), as_of=_date(AS_OF))
    assert len(result.findings) == 1
    assert baseline.suppressed == 0 and baseline.expired_matches == 1
    assert baseline.stale == []  # it still matches something


def test_until_is_inclusive() -> None:
    known = _missing("a.pdf")
    baseline = Baseline.from_results([_listing(known)], reason="r", until=_date(AS_OF))
    assert baseline.apply(_listing(known), as_of=_date(AS_OF)).findings == []


def test_entries_matching_nothing_are_stale() -> None:
    baseline = Baseline.from_results([_listing(_missing("gone.pdf"))], reason="r")
    baseline.apply(_listing(), as_of=_date(AS_OF))
    assert [e.file for e in baseline.stale] == ["gone.pdf"]


def test_kept_findings_keep_their_full_run_fingerprint() -> None:
    # Two findings share rule/file/pointer; suppressing the first must not hand
    # its fingerprint to the second.
    first = Finding("TST002", "one", Severity.WARNING, location=Location(file="d.html", line=3))
    second = Finding("TST002", "two", Severity.WARNING, location=Location(file="d.html", line=8))
    full = fingerprints(_listing(first, second))
    baseline = Baseline(entries=[BaselineEntry(full[0], "r")])
    kept = baseline.apply(_listing(first, second), as_of=_date(AS_OF))
    assert fingerprints(kept) == [full[1]]


def test_round_trip_through_the_file(tmp_path: Path) -> None:
    baseline = Baseline.from_results(
        [_listing(_missing("a.pdf"))], reason="supplier fix due", until=_date("2027-01-31")
    )
    path = tmp_path / "baseline.json"
    path.write_text(baseline.dumps(), encoding="utf-8")
    loaded = Baseline.load(path)
    assert loaded.entries == baseline.entries
    entry = json.loads(path.read_text())["entries"][0]
    assert entry["reason"] == "supplier fix due" and entry["until"] == "2027-01-31"


@pytest.mark.parametrize(
    "text, complaint",
    [
        ("{", "not valid JSON"),
        ('{"entries": [{"fingerprint": "x"}]}', "needs a 'reason'"),
        ('{"entries": [{"fingerprint": "x", "reason": "r", "until": "soon"}]}', "not a date"),
        ('{"baseline_version": "9", "entries": []}', "not supported"),
    ],
)
def test_a_broken_baseline_is_a_clear_error(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BaselineError, match=complaint):
        Baseline.load(path)


# -- the command line ----------------------------------------------------------


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch) -> Path:
    """Two packages with one missing manual each; only the core plugin runs."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LISTGUARD_DISABLE_PLUGINS", "watermark,certificates,manuals,video,listing")
    for name in ("a", "b"):
        write_package(
            tmp_path / "catalog" / name,
            base_manifest(sku=name, manuals=[{"file": "manuals/m.pdf"}]),
        )
    return tmp_path / "catalog"


def _check(*extra: str) -> int:
    return main(["check", "catalog", "--as-of", AS_OF, "-j", "0", "--no-entrypoints", *extra])


def test_baseline_write_then_check_reports_nothing_new(catalog: Path, capsys) -> None:
    assert (
        main(
            [
                "baseline",
                "write",
                "catalog",
                "-o",
                "baseline.json",
                "--as-of",
                AS_OF,
                "-j",
                "0",
                "--no-entrypoints",
                "--reason",
                "known",
            ]
        )
        == 0
    )
    entries = json.loads(Path("baseline.json").read_text())["entries"]
    assert [(e["rule"], e["package"], e["reason"]) for e in entries] == [
        ("LG003", "catalog/a", "known"),
        ("LG003", "catalog/b", "known"),
    ]
    capsys.readouterr()
    assert _check("--baseline", "baseline.json", "--format", "json") == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)["summary"]
    assert summary["suppressed"] == 2 and summary["stale_baseline_entries"] == 0
    assert summary["findings"]["error"] == 0
    assert "baseline suppressed 2 finding(s)" in captured.err


def test_a_fixed_finding_leaves_a_stale_entry_and_a_new_one_fails(catalog: Path, capsys) -> None:
    main(
        [
            "baseline",
            "write",
            "catalog",
            "-o",
            "baseline.json",
            "--as-of",
            AS_OF,
            "-j",
            "0",
            "--no-entrypoints",
        ]
    )
    (catalog / "a" / "manuals").mkdir()
    (catalog / "a" / "manuals" / "m.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    manifest = base_manifest(
        sku="b", manuals=[{"file": "manuals/m.pdf"}, {"file": "manuals/new.pdf"}]
    )
    write_package(catalog / "b", manifest)
    capsys.readouterr()
    assert _check("--baseline", "baseline.json", "--format", "json") == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["summary"]["suppressed"] == 1
    assert report["summary"]["stale_baseline_entries"] == 1
    [new] = [
        f for listing in report["listings"] for f in listing["findings"] if f["rule"] == "LG003"
    ]
    assert new["location"]["file"] == "manuals/new.pdf"


def test_an_unreadable_baseline_exits_2(catalog: Path, capsys) -> None:
    Path("baseline.json").write_text("[]", encoding="utf-8")
    assert _check("--baseline", "baseline.json") == 2
    assert "baseline" in capsys.readouterr().err


def test_report_with_baseline_fields_matches_the_report_schema(catalog: Path, capsys) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    main(
        [
            "baseline",
            "write",
            "catalog",
            "-o",
            "baseline.json",
            "--as-of",
            AS_OF,
            "-j",
            "0",
            "--no-entrypoints",
        ]
    )
    capsys.readouterr()
    _check("--baseline", "baseline.json", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    schema_path = Path(__file__).resolve().parents[1] / "schemas" / "report.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)


def _date(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)
