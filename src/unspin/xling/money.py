"""Currency signs written as words before an amount: "Rs 2,500" is money, not a name.

English news from South Asia writes rupees as "Rs" before the amount, and a translation
writes the currency's word after it ("2500 рупий"); capitalised and no English word, "Rs"
would otherwise be taken for a name the translation lost (docs/benchmarks.md 18.21). The
signs are CLDR's (babel): every currency symbol of every English locale that is written in
letters ("Rs" of en_PK, "Ksh" of en_KE, "Rp" of en_ID).

>>> is_money_sign("Rs", " 2,500"), is_money_sign("Rs", " said"), is_money_sign("Ross", " 5")
(True, False, False)
"""

from __future__ import annotations

import re
from functools import lru_cache

# An amount right after the sign: "Rs 100", "Rs10,000".
_AMOUNT = re.compile(r"\s?\d")
# Signs of one letter are left out (see :func:`currency_signs`).
_SHORTEST = 2


@lru_cache(maxsize=1)
def currency_signs() -> frozenset[str]:
    """The currency symbols of English locales (CLDR, babel) written in two Latin letters or
    more: "Rs", "Ksh", "Rp", "USD", "INR". One letter says too little: "D" (the dalasi) is
    also the "D" of "Gallery D 137"."""
    from babel import Locale, localedata

    signs: set[str] = set()
    for identifier in localedata.locale_identifiers():
        if identifier != "en" and not identifier.startswith("en_"):
            continue
        for sign in Locale.parse(identifier).currency_symbols.values():
            if sign.isascii() and sign.isalpha() and len(sign) >= _SHORTEST:
                signs.add(sign)
    return frozenset(signs)


def is_money_sign(word: str, following: str) -> bool:
    """Whether ``word`` is a currency sign (:func:`currency_signs`) and ``following``, the
    text right after it, starts with an amount."""
    return word in currency_signs() and bool(_AMOUNT.match(following))
