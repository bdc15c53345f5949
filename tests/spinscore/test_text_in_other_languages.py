"""Text in another language than English is not judged by the English spin models.

Before (robust26): untouched French news scored 1.0 with the lexical model (0.93 contextual)
and 12 spans that "corrected" French words into English ones ("peines" -> "pines"), Chinese
news 0.89 and Arabic 0.76 with the lexical model, and ``unspin trace`` of a Chinese
paragraph with no source reported "no source found (spin score 0.80)".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from unspin.cli import main
from unspin.spinscore.score import score_text

# News-style paragraphs written for this test.
FRENCH = (
    "Le tribunal correctionnel de Lyon a prononcé mardi des peines de prison avec sursis contre "
    "trois anciens dirigeants de la société, reconnus coupables d'abus de biens sociaux. "
    "L'annulation de la procédure, demandée par la défense en octobre, a été rejetée. "
    "Les juges ont estimé qu'il aurait fallu statuer plus tôt sur l'inculpation du directeur "
    "financier, mais que la vengeance invoquée par les plaignants n'était pas démontrée."
)
CHINESE = (
    "中国国家统计局周二公布的数据显示，今年前十个月全国居民消费价格同比上涨百分之二点一，"
    "其中食品价格上涨百分之三点五。分析人士认为，随着冬季到来，蔬菜和猪肉价格可能继续上升，"
    "但全年通胀目标仍有望实现。央行表示将保持货币政策稳定，并加大对小微企业的支持力度。"
)
ARABIC = (
    "أعلنت وزارة المالية يوم الثلاثاء أن عجز الميزانية تراجع خلال الأشهر التسعة الأولى من "
    "العام بفضل ارتفاع عائدات النفط وتحسن تحصيل الضرائب، وفق ما ذكرت وكالة الأنباء الرسمية."
)
ENGLISH = (
    "The central bank raised its main interest rate by half a point on Tuesday, saying that "
    "prices had risen faster than expected over the summer and that wages were following."
)


@pytest.mark.parametrize(("text", "language"), [(FRENCH, "fr"), (CHINESE, "zh"), (ARABIC, "ar")])
def test_a_text_in_another_language_is_not_judged(text: str, language: str) -> None:
    got = score_text(text, "lexical")
    assert (got.probability, got.spans, got.language) == (0.0, (), language)
    assert got.note is not None and "not English" in got.note
    assert got.to_dict()["language"] == language


def test_english_is_judged_as_before() -> None:
    got = score_text(ENGLISH, "lexical")
    assert got.language is None and got.to_dict()["language"] is None
    assert got.note is None or "not English" not in got.note


def test_score_and_trace_say_so(tmp_path: Path) -> None:
    article = tmp_path / "fr.txt"
    article.write_text(FRENCH, encoding="utf-8")
    res = CliRunner().invoke(main, ["score", "--model", "lexical", str(article)])
    assert res.exit_code == 0, res.output
    assert "spin probability 0.00 (0 spans" in res.output
    assert "note: the text reads as language 'fr', not English" in res.output
    (tmp_path / "zh.txt").write_text(CHINESE, encoding="utf-8")
    db = tmp_path / "s.db"
    store = tmp_path / "story.txt"
    store.write_text(ENGLISH, encoding="utf-8")
    assert CliRunner().invoke(main, ["ingest", str(store), "--db", str(db), "-q"]).exit_code == 0
    res = CliRunner().invoke(main, ["trace", str(tmp_path / "zh.txt"), "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    spins = [s.get("spin") for s in json.loads(res.stdout)["segments"]]
    # Not scored at all: a 0.00 would read as "judged not spun".
    assert spins and all(s is None for s in spins), spins
    res = CliRunner().invoke(main, ["trace", str(tmp_path / "zh.txt"), "--db", str(db)])
    assert res.exit_code == 0 and "no source found" in res.output
    assert "spin score" not in res.output
