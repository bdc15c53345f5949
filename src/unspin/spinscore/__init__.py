"""Spin scoring without a source: lexical evidence that a text went through an article spinner.

:mod:`unspin.spin` is the public face (``score_text``, ``spin_probability``, ``explain``); this
package holds its parts: the reverse thesaurus (:mod:`.index`), per-token evidence and text
features (:mod:`.features`) and the calibrated logistic model (:mod:`.model`).
"""
