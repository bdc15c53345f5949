"""py3langid's model, read from an uncompressed copy in unspin's cache.

py3langid ships its model as an LZMA-compressed ``.npz`` (4.6 MB) and decompresses all of
it (68 MB) whenever a process first detects a language: about 0.4 s of CPU, more than the
rest of a cold ``compare`` or ``trace``, which detect the language of every article (a
translation is traced another way). The decompressed arrays are kept once in the cache
(:func:`unspin.cache.cached_arrays`, keyed by the model file's path, size and time) and read
back in about 0.05 s. The identifier is built from them exactly as py3langid's
``LanguageIdentifier.from_model_file`` builds it from its own file, so every label and
probability is the same.
"""

from __future__ import annotations

import lzma
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import cached_arrays

if TYPE_CHECKING:
    import numpy as np
    from py3langid.langid import LanguageIdentifier

_CACHE_VERSION = 1
# The arrays of py3langid 0.4's model file (its ``modelio.load_model`` reads these).
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def load_identifier() -> LanguageIdentifier:
    """py3langid's identifier with probabilities that sum to 1, read from the cached copy of
    its model; from py3langid's own file where its layout is not the one this reads."""
    from py3langid import modelio
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    path = Path(MODEL_DIR) / MODEL_FILE
    to_array = getattr(modelio, "_to_array", None)
    if to_array is None or not path.is_file():  # another py3langid: its own loader
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    stat = path.stat()
    source = f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}"

    def build() -> dict[str, np.ndarray]:
        import numpy as np

        # Streamed through a temporary file, as py3langid does, so that the 68 MB of the
        # uncompressed file and its arrays are not in memory at once.
        with tempfile.TemporaryFile(suffix=".npz") as tmp:
            with lzma.open(path) as compressed:
                shutil.copyfileobj(compressed, tmp, length=1 << 20)
            tmp.seek(0)
            with np.load(tmp, allow_pickle=False) as data:
                arrays = {name: data[name] for name in _ARRAYS}  # KeyError: not this layout
        return {**arrays, "source": np.array(source)}

    def read(data: Mapping[str, np.ndarray]) -> LanguageIdentifier:
        import numpy as np

        if str(data["source"]) != source:
            raise ValueError("cached for another model file")  # rebuilt by cached_arrays
        # As LanguageIdentifier.from_model_file (py3langid 0.4) makes it from load_model's tuple.
        return LanguageIdentifier(
            np.asarray(data["ptc"]),
            np.asarray(data["pc"]),
            data["classes"].tolist(),
            to_array(data["nextmove"]),
            data["out_feat"].tolist(),
            norm_probs=True,
            tk_row=to_array(data["nextmove_row"]),
        )

    try:
        return cached_arrays(
            f"py3langid-model-v{_CACHE_VERSION}.npz",
            build,
            read,
            what="an uncompressed copy of py3langid's language model",
        )
    except (KeyError, ValueError):  # a model file of another layout
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
