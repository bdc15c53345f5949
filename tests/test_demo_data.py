"""The shipped example articles match examples.json and the demo corpus they were made from."""

from __future__ import annotations

import json

from unspin.datasets import demo_dir, iter_demo


def test_examples_record_true_sources_and_origins() -> None:
    folder = demo_dir()
    manifest = json.loads((folder / "examples.json").read_text(encoding="utf-8"))
    corpus = {d.id: d.text for d in iter_demo()}
    assert set(manifest) == {
        "example-article.txt",
        "example-verbatim.txt",
        "example-spun60.txt",
        "example-noise.txt",
    }
    assert (folder / "NOTICE").read_text().count("Reuters-21578, Distribution 1.0") >= 1
    for name, entry in manifest.items():
        text = (folder / name).read_text(encoding="utf-8").rstrip("\n")
        sources = [corpus[i] for i in entry["sources"]]
        assert {o[2] for o in entry["origins"]} == {0, 1}
        for t_start, t_end, which, s_start, s_end in entry["origins"]:
            assert 0 <= t_start < t_end <= len(text)
            assert 0 <= s_start < s_end <= len(sources[which])
            if name == "example-verbatim.txt":
                assert text[t_start:t_end] == sources[which][s_start:s_end]
