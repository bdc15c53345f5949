"""What was changed: token-level edit labels between a source passage and its reuse.

``label_edits`` returns the differences (identical stretches omitted; see ``alignment_counts``),
``sort_edits`` puts distortions first, ``restore`` puts the source wording back.
"""

from .labels import alignment_counts, label_edits, sort_edits
from .restore import RESTORED_LABELS, restore, restore_suggestions

__all__ = [
    "RESTORED_LABELS",
    "alignment_counts",
    "label_edits",
    "restore",
    "restore_suggestions",
    "sort_edits",
]
