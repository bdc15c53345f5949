"""Chinese for the cross-language fact check (:mod:`.facts`): numerals written in characters
read as digits (cn2an, of the ``xling`` extra), clock times, and how a foreign name sounds
when Chinese spells it ("Montgomery" as 蒙哥马利, meng-ge-ma-li).

>>> chinese_digits("每天出动近两千名医护人员，上升七成")
'每天出动近2000名医护人员，上升7成'
>>> sounds_in("Montgomery", "蒙哥马利说"), sounds_in("Bolsonaro", "蒙哥马利说")
(True, False)
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rapidfuzz.fuzz import ratio

from ..errors import require
from .sentences import CJK

# A clock in Chinese once numerals are digits: "14时", "14时40分", "9点半" (half past).
_CLOCK = re.compile(r"(\d{1,2})[时点](?:(\d{1,2})分|(半))?")


def _cn2an() -> Any:
    return require("cn2an", "xling", "The fact check of numbers written in Chinese")


@lru_cache(maxsize=4096)
def chinese_digits(text: str) -> str:
    """``text`` with its Chinese numerals in digits (cn2an): "两千名" is "2000名", "第二十三届"
    "第23届", "百分之三十五" "35%", "2千" "2000", "四五厘米" (four or five) "4至5厘米".
    cn2an also reads a lone "一" of a word ("统一" as "统1"): these digits only ever excuse
    or stand for a number of the English side, never add one."""
    import warnings

    cn2an = _cn2an()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns of every writing it leaves as it is
        digits = str(cn2an.transform(_ranges(text), "cn2an"))
        # Digits before a unit character ("2千多只", "38.5万"), which transform leaves.
        return re.sub(_smart_pattern(), lambda m: _smart(m.group()), digits)


@lru_cache(maxsize=1)
def _smart_pattern() -> str:
    return str(_cn2an().Transform().smart_cn_pattern)


def _smart(writing: str) -> str:
    """cn2an's value of digits with unit characters ("2千" is 2000), in digits."""
    try:
        value = float(_cn2an().cn2an(writing, "smart"))
    except (ValueError, KeyError):
        return writing
    return str(int(value)) if value == int(value) else str(value)


def _ranges(text: str) -> str:
    """Two numerals in a row that count up by one are a range ("四五厘米", four or five
    centimetres; cn2an reads 45): written with 至 (to) between them."""
    out = []
    for a, b in zip(text, text[1:] + " ", strict=True):
        out.append(a)
        if CJK.match(a) and CJK.match(b) and _digit(a) + 1 == _digit(b) > 1:
            out.append("至")
    return "".join(out)


@lru_cache(maxsize=4096)
def _digit(char: str) -> int:
    """The value of one Chinese numeral from one to nine (cn2an), else -1."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = _cn2an().cn2an(char, "strict")
        except (ValueError, KeyError):
            return -1
    return int(value) if 1 <= value <= 9 and value == int(value) else -1


def spelled_extras(digits: str) -> set[float]:
    """Values a Chinese text (its :func:`chinese_digits`) says without writing them as
    numbers: tenths ("7成" is 70%) and the half hour of a clock ("9点半" is 9:30)."""
    out = {round(float(n) * 10, 6) for n in re.findall(r"(\d+(?:\.\d+)?)成", digits)}
    return out | {30.0 for m in _CLOCK.finditer(digits) if m.group(3)}


def clock_hours(text: str) -> set[int]:
    """The hours a Chinese text writes as a clock ("14时", "9点半"): its minutes are said
    there, or are none ("14时" is 14:00)."""
    return {int(m.group(1)) for m in _CLOCK.finditer(chinese_digits(text))}


# Letters by the consonant they sound as, coarse enough that a Chinese spelling of a
# foreign name keeps them ("Houston" 休斯敦 xiu-si-dun, "Grigory" 格里戈里 ge-li-ge-li): the
# hisses of pinyin (j, q, x, z, c, zh, ch, sh) and English (s, z, soft c) are one, r is l,
# voiced and voiceless stops are one, h and vowels say nothing.
_SOUND = str.maketrans("bpfvwdtgkqcxjzslrmn", "ppffwttkkssssssllmn", "aeiouyh")


def sound_code(word: str, english: bool = False) -> str:
    """The consonants of ``word`` as they sound (``english``: an English spelling, else
    pinyin), doubles merged: "Conway" and "kangwei" (康威) are both "knw".

    >>> sound_code("Conway", True), sound_code("kangwei"), sound_code("Houston", True), sound_code("xiusidun")
    ('knw', 'knw', 'stn', 'stn')
    """
    w = word.lower()
    if english:
        w = re.sub(r"c(?=[eiy])", "s", w).replace("ck", "k").replace("c", "k")
        w = w.replace("ph", "f").replace("th", "t").replace("sh", "s").replace("ch", "s")
        w = re.sub(r"(?<=[aeiou])w", "", w)  # "Lewis" is 刘易斯 (liu-yi-si)
        w = re.sub(r"(?<=[aeiou])r(?![aeiouy])", "", w)  # "Mark" is 马克 (ma-ke)
    w = w.replace("ng", "n").replace("zh", "z").replace("ch", "c").replace("sh", "s")
    code = re.sub(r"[^a-z]", "", w).translate(_SOUND)
    return re.sub(r"(.)\1+", r"\1", code)


@lru_cache(maxsize=1024)
def _window_codes(text: str, longest: int = 8) -> frozenset[str]:
    """The :func:`sound_code` of every run of one to ``longest`` Chinese characters of
    ``text`` (anyascii's pinyin)."""
    from anyascii import anyascii

    out: set[str] = set()
    for m in re.finditer(f"{CJK.pattern}+", text):
        syllables = [anyascii(c).lower() for c in m.group()]
        for i in range(len(syllables)):
            for j in range(i + 1, min(len(syllables), i + longest) + 1):
                out.add(sound_code("".join(syllables[i:j])))
    return frozenset(out)


def sounds_exactly_in(word: str, text: str) -> bool:
    """Whether a run of two or three Chinese characters of ``text`` has the very
    consonants of ``word``, of three or more ("Biden" is 拜登, bai-deng: "ptn"); stricter
    than :func:`sounds_in`, for a word that may also be pinyin.

    >>> sounds_exactly_in("Biden", "然后拜登会见了"), sounds_exactly_in("Hualian", "凯莉安·康威")
    (True, False)
    """
    want = sound_code(word, english=True)
    return len(want) >= 3 and want in _window_codes(text, 3)


def sounds_in(word: str, text: str) -> bool:
    """Whether the Chinese ``text`` may spell the foreign name ``word`` by its sound: some
    run of its characters has the same consonants, nearly the same (ratio >= 75, from three
    consonants), or the consonants in order less at most one, from the same first one
    (Chinese drops a final consonant: "Petersburg" 彼得堡 bi-de-bao)."""
    want = sound_code(word, english=True)
    if len(want) <= 1:
        return True  # too little to tell
    codes = _window_codes(text)
    if want in codes:
        return True
    for code in codes:
        if len(want) >= 3 and abs(len(code) - len(want)) <= 1 and ratio(code, want) >= 75:
            return True
        if len(code) >= max(2, len(want) - 1) and code[0] == want[0] and _in_order(code, want):
            return True
    return False


def _in_order(part: str, whole: str) -> bool:
    """Whether the letters of ``part`` appear in ``whole`` in the same order."""
    rest = iter(whole)
    return all(ch in rest for ch in part)
