"""Write ``gulou_desk/store/name_phrases.py``: the phrases of pypinyin's dictionary that a
name may hold and that read otherwise than their characters do one by one.

    .venv/bin/python scripts/name_phrases.py

The app leaves pypinyin's whole phrase dictionary out (47,000 phrases: 44 MB in memory and a
fifth of a second of every start; :mod:`gulou_desk.store.search_names`) and gives it these
instead: phrases of two or three characters (a given name read alone is one to three),
those that would read otherwise without them — ``长江`` changjiang, not zhangjiang;
``朝阳`` zhaoyang, not chaoyang. ``tests/unit/test_search.py`` checks that the
module is what this script makes from the pypinyin installed, and that names read the same
with it as with the whole dictionary.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["PYPINYIN_NO_PHRASES"] = "1"  # as the app runs pypinyin (search_names)
TARGET = Path(__file__).resolve().parents[1] / "gulou_desk" / "store" / "name_phrases.py"
LENGTHS = (2, 3)


def phrases() -> dict[str, list[list[str]]]:
    """The phrases to keep: grown until every phrase of two or three characters of
    pypinyin's dictionary reads, alone, as the whole dictionary reads it — a phrase that
    reads as its characters do may still need keeping, when without it a shorter one
    inside it would be read instead (瞎琢磨 xiazhuomo, not xia + 琢磨 zuomo)."""
    from pypinyin import lazy_pinyin, load_phrases_dict
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.phrases_dict import phrases_dict  # the data, loaded whatever the switch
    from pypinyin.seg import mmseg

    candidates = {p: r for p, r in phrases_dict.items() if len(p) in LENGTHS}
    before = dict(PHRASES_DICT)  # what this process loaded (the test's: maybe all)
    PHRASES_DICT.clear()
    mmseg.seg._prefix_set._set.clear()  # the segmenter's prefixes only ever grow
    kept: dict[str, list[list[str]]] = {}
    try:
        while True:
            load_phrases_dict(kept)
            more = {p: [list(x) for x in r] for p, r in candidates.items() if p not in kept
                    and lazy_pinyin(p) != [to_normal(x[0]) for x in r]}
            if not more:
                return dict(sorted(kept.items()))
            kept.update(more)
    finally:
        PHRASES_DICT.clear()
        PHRASES_DICT.update(before)
        mmseg.seg._prefix_set._set.clear()
        mmseg.retrain(mmseg.seg)


def source(kept: dict[str, list[list[str]]] | None = None) -> str:
    import pypinyin

    kept = phrases() if kept is None else kept
    lines = [
        '"""Phrases a name may hold that read otherwise than their characters one by one',
        f"(pypinyin {pypinyin.__version__}; made by scripts/name_phrases.py, do not edit).",
        '"""',
        "",
        "PHRASES: dict[str, list[list[str]]] = {",
    ]
    lines += [f"    {phrase!r}: {readings!r}," for phrase, readings in kept.items()]
    lines += ["}", ""]
    return "\n".join(lines)


def main() -> int:
    kept = phrases()
    TARGET.write_text(source(kept), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET} ({len(kept):,} phrases)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
