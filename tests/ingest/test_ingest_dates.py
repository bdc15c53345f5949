"""Dates as real sources write them: feeds, wire services, CMS exports, archives, aggregators.

``real_dates.jsonl`` holds 307 date strings copied from real sources, each with where it was
seen: RSS/Atom feeds of real sites (the chardet project's test feeds, c. 2005: ``pubDate``,
``dc:date``, Atom ``issued``/``modified``...), Debian changelog trailers (RFC 2822, one per
time zone offset found), git's date formats (truth from the commit's epoch seconds), and a
hand-collected set (Reuters-21578, WordPress, WARC, HTTP, sitemaps, Open Graph, NewsAPI,
YouTube, the UCI News Aggregator, GDELT). Each expectation was checked against a reading that
does not share unspin's route (python-dateutil's own parse, or git's epoch); the one
disagreement is noted in its row, the hand-collected rows were checked by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from unspin.datasets.reuters import iso_date as reuters_day
from unspin.dates import compare_dates, parse_date, precision_of

FIXTURE = Path(__file__).with_name("real_dates.jsonl")
ROWS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def test_the_fixture_is_a_few_hundred_strings_from_many_sources() -> None:
    assert len(ROWS) >= 300
    kinds = {r["source"].split(",")[0].split(" <")[0] for r in ROWS}
    assert len(kinds) >= 15


@pytest.mark.parametrize("row", ROWS, ids=[r["raw"] for r in ROWS])
def test_real_world_date_strings(row: dict[str, str | None]) -> None:
    found = parse_date(row["raw"])
    got = (found.value, found.precision, found.raw) if found else (None, None, None)
    raw = row["raw"] if row["value"] is not None else None
    assert got == (row["value"], row["precision"], raw)
    if found is not None:
        assert precision_of(found.value) == found.precision


@pytest.mark.corpus
def test_every_reuters_date(shared_data: Path) -> None:
    """All 21,578 <DATE> fields of Reuters-21578 as the wire wrote them, against the day the
    corpus reader takes from them and the time written in them."""
    folder = shared_data / "reuters21578"
    raws = [
        m.group(1)
        for path in sorted(folder.glob("reut2-*.sgm"))
        for m in re.finditer(r"<DATE>([^<]*)</DATE>", path.read_bytes().decode("latin-1"))
    ]
    assert len(raws) == 21578
    wrong, unread = [], []
    for raw in raws:
        found = parse_date(raw)
        if found is None:
            unread.append(raw)
            continue
        time = re.search(r"\s(\d\d:\d\d:\d\d)", raw)
        assert time is not None
        if found.value != f"{reuters_day(raw)}T{time.group(1)}":
            wrong.append((raw, found.value))
    assert wrong == []
    # Two are not dates as written: one carries an annotator's comment, one an hour of 605.
    assert unread == [
        "9-APR-1987 00:00:00.00    # date added by S Finch as guesswork ",
        "31-MAR-1987 605:12:19.12",
    ]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("9/12/2022", "2022-09-12"),  # slashes: month first
        ("09-12-2022", "2022-09-12"),  # dashes: month first
        ("13/09/2022", "2022-09-13"),  # ... unless the first number cannot be a month
        ("9/13/2022", "2022-09-13"),
        ("12.09.2022", "2022-09-12"),  # dots: day first
        ("09.13.2022", "2022-09-13"),  # ... unless the second number cannot be a month
        ("2022/09/12", "2022-09-12"),  # year first: year, month, day
        ("Mon, 09/12/2022 - 11:12", "2022-09-12T11:12:00"),  # Drupal's default format
    ],
)
def test_day_and_month_order_follows_the_documented_rule(raw: str, value: str) -> None:
    found = parse_date(raw)
    assert found is not None and found.value == value


def test_numbers_are_epoch_seconds_or_milliseconds() -> None:
    assert parse_date(1614852000) == parse_date("1614852000")
    assert parse_date(1614852000000.0) is not None
    assert parse_date(1614852000000.0).value == "2021-03-04T10:00:00Z"  # type: ignore[union-attr]
    assert parse_date(True) is None and parse_date(12345) is None


def test_compare_dates_at_the_coarser_precision() -> None:
    assert compare_dates("1987-02-26", "1987-02-27") == -1
    assert compare_dates("1987-03", "1987-02-27") == 1
    assert compare_dates("1987", "1987-12-31T23:59:59Z") == 0
    assert compare_dates("1987-02-26T10:00:00Z", "1987-02-26T09:00:00Z") == 1
    assert compare_dates("1987-02-26T23:00:00Z", "1987-02-26T01:00:00") == 0  # zone unknown


def test_ingest_stores_every_record_and_counts_unreadable_dates(tmp_path: Path) -> None:
    """Issue 21: an export with Reuters' and an aggregator's dates ingested nothing."""
    import sqlite3

    from click.testing import CliRunner

    from unspin.cli import main

    src = tmp_path / "export.jsonl"
    records = [
        {
            "id": "r1",
            "text": "Cocoa talks ended without agreement.",
            "date": "26-FEB-1987 15:01:01.79",
        },
        {"id": "a1", "text": "Markets rallied on Monday morning.", "date": "9/12/2022 11:12"},
        {"id": "x1", "text": "A story with a date nobody can read.", "date": "last Tuesday-ish"},
        {"id": "x2", "text": "A story with a title that is a list.", "title": ["a", "b"]},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    db = tmp_path / "s.db"
    res = CliRunner().invoke(main, ["ingest", str(src), "--db", str(db), "-q", "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("4 documents added")
    assert "0 inputs failed" in res.output
    assert (
        f"warning: 1 documents stored without their date (first: {src}#3: field 'date' is not "
        "a date unspin reads: 'last Tuesday-ish')"
    ) in res.output
    assert "warning: 1 documents stored without their title" in res.output
    rows = sqlite3.connect(db).execute(
        "SELECT id, date, date_precision, date_raw FROM documents ORDER BY key"
    )
    assert rows.fetchall() == [
        ("r1", "1987-02-26T15:01:01", "datetime", "26-FEB-1987 15:01:01.79"),
        ("a1", "2022-09-12T11:12:00", "datetime", "9/12/2022 11:12"),
        ("x1", None, None, "last Tuesday-ish"),
        ("x2", None, None, None),
    ]


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-05T10:00:00+99:00",  # a zone offset of a day or more
        "2024-03-05 10:00 +2400",
        "2024-03-05 10:00 UTC+25",
        "9999-12-31T23:00:00-05:00",  # in UTC, after the last date Python has
        "Fri, 31 Dec 9999 23:00:00 -0500",
        "0001-01-01T00:00:00+05:00",  # in UTC, before the first
        "2024-13-01",  # year first is year, month, day: there is no month 13
        "2024/13/01",
    ],
)
def test_a_date_that_cannot_be_is_none(raw: str) -> None:
    # Before (robust26): ValueError or OverflowError from putting the time in UTC; and
    # "2024-13-01" read as 13 January, against the documented year-first rule.
    assert parse_date(raw) is None


def test_a_date_that_cannot_be_costs_only_its_field(tmp_path: Path) -> None:
    # Before (robust26): ingest stopped at that record with "internal error ValueError",
    # and every record after it in the file was lost.
    from click.testing import CliRunner

    from unspin.cli import main

    src = tmp_path / "export.jsonl"
    dates = ["2024-03-05", "2024-03-05T10:00:00+99:00", "2024-03-06"]
    src.write_text(
        "".join(
            json.dumps({"id": f"r{i}", "text": f"Story number {i} about rain.", "date": d}) + "\n"
            for i, d in enumerate(dates)
        )
    )
    db = tmp_path / "s.db"
    res = CliRunner().invoke(main, ["ingest", str(src), "--db", str(db), "-q"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("3 documents added") and "0 inputs failed" in res.output
    assert "warning: 1 documents stored without their date" in res.output


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        # Before: read as year 2403 and month 05 (six digits as YYYYMM), a date no page has.
        ("240305", "is after today"),
        ("2403", "is after today"),
        # Before: dateutil read the written year 0001 as 2001. Up to robust31 the reason was
        # "is not a date unspin reads"; it is read as the year 1, before the year 1000.
        ("Jan 1 0001", "is before the year 1000"),
        ("0999-01-01", "is before the year 1000"),
    ],
)
def test_a_date_after_today_or_a_year_read_as_another_is_none(raw: str, why: str) -> None:
    from unspin.dates import why_not_a_date

    assert parse_date(raw) is None
    assert why_not_a_date(raw) == why


def test_today_and_tomorrow_in_utc_are_dates_the_day_after_is_not() -> None:
    import datetime as dt

    today = dt.datetime.now(dt.UTC).date()
    # A place ahead of UTC is already in tomorrow: a day of grace.
    for day in (today, today + dt.timedelta(days=1)):
        found = parse_date(day.isoformat())
        assert found is not None and found.value == day.isoformat()
    assert parse_date((today + dt.timedelta(days=3)).isoformat()) is None
    assert parse_date(str(today.year)) is not None
    assert parse_date(str(today.year + 1)) is None


def test_a_four_digit_year_beside_other_numbers_is_kept() -> None:
    found = parse_date("1 March 2021, 1500 GMT")
    assert found is not None and found.value == "2021-03-01T15:00:00Z"
    found = parse_date("Jan 1 1001")
    assert found is not None and found.value == "1001-01-01"


def test_a_date_after_today_is_warned_as_such(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from unspin.cli import main

    src = tmp_path / "export.jsonl"
    src.write_text(
        json.dumps({"id": "a", "text": "Rain fell on the city all night.", "date": "240305"}) + "\n"
    )
    res = CliRunner().invoke(
        main, ["ingest", str(src), "--db", str(tmp_path / "s.db")], catch_exceptions=False
    )
    assert res.exit_code == 0, res.output
    assert "field 'date' is after today: '240305'" in res.output
