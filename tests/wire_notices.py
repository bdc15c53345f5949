"""Rating notices written in one template frame, other companies and numbers in each (made up):
another company's notice shares with the best of them only the frame, which the others hold
too (``SourceMatch.shared_wording``; tests/test_shared_wording.py, tests/web)."""

NOTICE = (
    "Moody's Investors Service Inc said it may downgrade {0} Inc's {1} mln dlrs of {2} pct "
    "subordinated debentures due {3}. Moody's said the review was prompted by {0}'s plan to "
    "{4}. The agency cited {0}'s weaker cash flow and higher debt levels."
)
NOTICES = [
    ("Harwick Foods", 80, 12, 1996, "buy back 20 pct of its common stock"),
    ("Tellmark Systems", 65, 11, 1998, "acquire Orrin Data Corp for 310 mln dlrs"),
    ("Brevard Textile", 120, 13, 2001, "sell its carpet division"),
    ("Quintell Mining", 45, 14, 1995, "borrow 200 mln dlrs for a smelter"),
    ("Sadler Homes", 95, 10, 1999, "take on debt to pay a special dividend"),
]
# Another company's notice in the frame.
ARTICLE = NOTICE.format("Crestline Paper", 150, 9, 2003, "merge with Ostrow Pulp Co")
