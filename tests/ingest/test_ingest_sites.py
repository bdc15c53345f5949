"""Sites are registrable domains, from the public suffix list tld ships (never fetched)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from unspin.read.meta import (
    _suffix_list,
    normalise_site,
    registrable_domain,
    site_of,
    suffix_lookup,
)


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("http://news.bbc.co.uk/1/hi/world/123.stm", "bbc.co.uk"),
        ("https://www.bbc.co.uk/news/world-123", "bbc.co.uk"),
        ("https://WWW.Reuters.COM:443/article/x", "reuters.com"),
        ("https://edition.cnn.com/2021/03/04/x", "cnn.com"),
        ("https://www.abc.net.au/news/x", "abc.net.au"),
        ("https://example.blogspot.com/2021/03/x.html", "example.blogspot.com"),  # private suffix
        ("http://www.wire.example/1", "wire.example"),  # no public suffix: host less www.
        ("http://127.0.0.1:8080/x", "127.0.0.1"),
        ("not a url", None),
        ("http://[::1", None),
    ],
)
def test_site_of_a_url_is_its_registrable_domain(url: str, site: str | None) -> None:
    assert site_of(url) == site


def test_sites_given_as_hosts_are_normalised_and_names_kept() -> None:
    assert normalise_site("news.bbc.co.uk") == normalise_site("www.bbc.co.uk") == "bbc.co.uk"
    assert normalise_site("https://www.reuters.com/x") == "reuters.com"
    assert normalise_site("Reuters") == "Reuters"
    assert normalise_site("BBC News") == "BBC News"


def test_a_site_is_one_name_however_its_host_is_written() -> None:
    # Before (robust26): a host in Unicode and the same host in the ASCII form of the DNS
    # ("xn--" labels) were two sites, and a Unicode host given as a site kept its "www.".
    forms = [
        site_of("https://bücher.de/a"),
        site_of("https://xn--bcher-kva.de/a"),
        site_of("https://www.XN--BCHER-KVA.DE/a"),
        normalise_site("www.bücher.de"),
        normalise_site("xn--bcher-kva.de"),
        normalise_site("https://news.bücher.de/x"),
    ]
    assert forms == ["bücher.de"] * 6
    assert site_of("https://news.xn--fsqu00a.xn--fiqs8s/x") == site_of("https://例子.中国/x")
    assert site_of("https://例子.中国/x") == "例子.中国"
    assert registrable_domain("xn--zz.example") == "xn--zz.example"  # not Punycode: kept
    assert normalise_site("Spiegel Online") == "Spiegel Online"


@contextmanager
def _network_events() -> Iterator[list[str]]:
    """Audit events of any attempt to resolve or connect (audit hooks cannot be removed, so
    the hook records only while this block runs)."""
    events: list[str] = []
    active = [True]

    def hook(event: str, _args: object) -> None:
        if active[0] and event.startswith(("socket.", "urllib.Request")):
            events.append(event)

    sys.addaudithook(hook)
    try:
        yield events
    finally:
        active[0] = False


def test_the_suffix_list_is_read_offline_and_never_fetched() -> None:
    registrable_domain.cache_clear()
    with _network_events() as events:
        assert registrable_domain("news.bbc.co.uk") == "bbc.co.uk"
        # tld fetches the list from publicsuffix.org when its file cannot be read; the
        # parser unspin uses refuses, so a missing file is a failed lookup, not a download.
        offline = _suffix_list()

        class Missing(offline):  # type: ignore[misc, valid-type]
            uid = "unspin-offline-missing-test"
            local_path = "/nonexistent/public_suffix_list.dat"

        assert suffix_lookup("news.bbc.co.uk", Missing) is None
        assert suffix_lookup("news.bbc.co.uk", offline) == "bbc.co.uk"
    assert events == []


def test_a_store_from_before_unicode_sites_has_them_renamed_once(tmp_path: Path) -> None:
    # Before: a store written before robust26 kept "xn--bcher-kva.de" while new documents of
    # that site were stored as "bücher.de": one site under two names, two graph nodes.
    import sqlite3

    from click.testing import CliRunner

    from unspin.api import Corpus
    from unspin.cli import main
    from unspin.store import SITE_NAMES, Store
    from unspin.types import Document

    db = tmp_path / "old.db"
    with Corpus(db) as corpus:
        corpus.add(
            [
                Document("Storms closed the port on Tuesday.", id="a", site="bücher.de"),
                Document("Rain is expected in Bremen later.", id="b", site="Reuters"),
            ]
        )
    with sqlite3.connect(db) as con:  # as an older unspin left it
        con.execute("UPDATE documents SET site = 'xn--bcher-kva.de' WHERE id = 'a'")
        con.execute("DELETE FROM meta WHERE key = ?", (SITE_NAMES,))
    con.close()
    with Store(db, create=False, readonly=True) as store:  # reading changes nothing
        assert store.sites_renamed == 0
    res = CliRunner().invoke(main, ["upgrade", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "1 site names written in Unicode" in res.output
    with sqlite3.connect(db) as con:
        sites = dict(con.execute("SELECT id, site FROM documents"))
        stamp = con.execute("SELECT value FROM meta WHERE key = ?", (SITE_NAMES,)).fetchone()
    con.close()
    assert sites == {"a": "bücher.de", "b": "Reuters"} and stamp == ("unicode",)
    res = CliRunner().invoke(main, ["upgrade", "--db", str(db)])  # once only
    assert res.exit_code == 0 and "site names" not in res.output
