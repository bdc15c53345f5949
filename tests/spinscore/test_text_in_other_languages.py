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


# --explain of a phrase in another language. Before: "Die Regierung hat gestern beschlossen"
# got the guesses "die regierung shoe gestern beschlossen" (English "hat" -> "shoe"), and a
# French phrase in French context English "originals".


def test_a_phrase_in_another_language_gets_no_english_originals() -> None:
    from unspin.spinscore.score import explain, phrase_language

    assert phrase_language("Die Regierung hat gestern beschlossen") == "de"
    assert phrase_language("правительство решило") == "ru"
    assert explain("Die Regierung hat gestern beschlossen", 3, None, "lexical") == []
    # Read in its context: a French sentence says more than two words.
    assert phrase_language("voiture rouge", FRENCH) == "fr"
    assert explain("peines de prison", 3, FRENCH, "lexical") == []
    # English phrases, alone or in English context, are restored as before.
    assert phrase_language("counterfeit consciousness") is None
    assert phrase_language("interest rate", ENGLISH) is None
    assert explain("counterfeit consciousness", 3, None, "lexical")


def test_explain_says_why_it_does_not_restore_another_language(tmp_path: Path) -> None:
    context = tmp_path / "fr.txt"
    context.write_text(FRENCH, encoding="utf-8")
    args = ["score", "--model", "lexical", "--explain", "peines de prison", "--context"]
    res = CliRunner().invoke(main, [*args, str(context)])
    assert res.exit_code == 0, res.output
    assert "cannot restore: the context reads as language 'fr'" in res.output
    res = CliRunner().invoke(main, [*args, str(context), "--json"])
    (row,) = json.loads(res.stdout)  # a note on stderr without the spinners extra
    assert row == {
        "phrase": "peines de prison",
        "restored": False,
        "suggestions": [],
        "language": "fr",
    }
    res = CliRunner().invoke(
        main, ["score", "--model", "lexical", "--explain", "counterfeit consciousness", "--json"]
    )
    (row,) = json.loads(res.stdout)  # a note on stderr without the spinners extra
    assert row["language"] is None and row["suggestions"]


def test_english_tortured_phrases_are_not_taken_for_another_language(shared_data: Path) -> None:
    import csv
    import re

    from unspin.spinscore.score import phrase_language

    path = shared_data / "realspin" / "tortured-phrases-dev.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    phrases = [p for r in rows for p in re.findall(r'"([^"]+)"', r["tortured_phrase"])]
    phrases += [r["expected_phrase"] for r in rows if r["expected_phrase"] != "???"]
    taken = [p for p in phrases if phrase_language(p) is not None]
    # 1 of 7,869 when written ("cerebrum tumefaction", read as Latin).
    assert len(phrases) > 7_000 and len(taken) <= 3, taken


def test_a_wire_table_of_figures_is_judged_as_english() -> None:
    # Before: py3langid read such tables as Nigerian Pidgin at 0.57 odds, so the spin score
    # took them for another language and gave them 0 whether spun or not (24 of the 3,120
    # held-apart texts of bench_spinners.py; docs 17.12, 7.6).
    table = (
        "Shr one ct vs three cts Net 123,000 vs 371,000 Revs 2,944,000 vs 2,138,000 "
        "Avg shrs 11.4 mln vs 11.2 mln"
    )
    found = score_text(table, model="lexical")
    assert found.language is None and found.features["content_words"] > 0
    # Real prose in another language is still told apart.
    assert score_text(FRENCH, model="lexical").language == "fr"
