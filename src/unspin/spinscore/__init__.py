"""Spin scoring without a source: lexical evidence that a text went through an article spinner.

:mod:`.score` is the public face (``score_text``, ``spin_probability``, ``explain``); the
other modules are its parts: the reverse thesaurus (:mod:`.reverse_thesaurus`), English word pairs
(:mod:`.bigrams`), the text features (:mod:`.features`), the suspicious spans
(:mod:`.evidence`), the ranking of likely originals (:mod:`.originals`, and in the sentence
:mod:`.restorer`), the per-word model (:mod:`.words`, with :mod:`.contextual` when the ``embed``
extra is installed) and the calibrated logistic text model (:mod:`.model`).
"""
