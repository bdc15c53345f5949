"""The suite leaves nothing in the system's temporary folder (pytest's own tmp_path aside)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def test_torch_keeps_its_compile_cache_out_of_the_temporary_folder(tmp_path: Path) -> None:
    # transformers' BERT imports torch._dynamo, which makes $TMPDIR/torchinductor_<user>;
    # the suite's tests that compare with transformers left it behind, empty, every run.
    pytest.importorskip("torch")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    subprocess.run(
        [sys.executable, "-c", "import torch._dynamo"], env=env, check=True, capture_output=True
    )
    assert sorted(os.listdir(temp)) == []
