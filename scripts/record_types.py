"""Write ``gulou_desk/record_types.py``: every synced record of ``gulou_desk/records.py``
as a ``TypedDict``, so that mypy sees a record's field names and value types.

    python scripts/record_types.py          # rewrite the module
    python scripts/record_types.py --check  # fail if it is behind records.py

``tests/unit/test_record_types.py`` runs the check, so a field added to ``records.py``
without regenerating fails the tests.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gulou_desk import records  # noqa: E402 - needs the repository on the path
from gulou_desk.records import Kind  # noqa: E402

TARGET = ROOT / "gulou_desk" / "record_types.py"

PYTHON_TYPES = {
    Kind.STR: "str", Kind.TEXT: "str", Kind.REF: "str", Kind.INT: "int",
    Kind.FLOAT: "float", Kind.BOOL: "bool", Kind.DATE: "dt.date",
    Kind.DATETIME: "dt.datetime", Kind.JSON_LIST: "list[Any]",
    Kind.JSON_OBJECT: "dict[str, Any]",
}


def class_name(entity: str) -> str:
    return "".join(part.capitalize() for part in entity.split("_")) + "Record"


def render() -> str:
    out = [
        '"""The synced records as typed dicts: generated from ``gulou_desk/records.py`` by',
        "``scripts/record_types.py``; do not edit (``tests/unit/test_record_types.py`` fails",
        "when this file is behind ``records.py``).",
        "",
        "A row as the stores hold it in Python values (``id``, every field, and the",
        "``sync_version`` of the copy: ``None`` for a record not yet on the server).",
        ":func:`typed` gives a row read by entity name its type::",
        "",
        '    household = typed("household", queries.get_record(s, "household", hid))',
        '    household["head_name"]  # str; a misspelt field is a mypy error',
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "import datetime as dt",
        "from collections.abc import Mapping",
        "from typing import Any, Literal, TypedDict, cast, overload",
        "",
    ]
    names = sorted(records.ENTITIES)
    for name in names:
        spec = records.ENTITIES[name]
        out += ["", f"class {class_name(name)}(TypedDict):",
                f'    """``{name}`` ({spec.label_zh}, {spec.label_en})."""', "",
                "    id: str"]
        for f in spec.fields:
            python = PYTHON_TYPES[f.kind]
            if not f.required:
                python += " | None"
            out.append(f"    {f.name}: {python}")
        out += ["    sync_version: int | None", ""]
    out += ["", "ENTITY_TYPES: dict[str, type] = {"]
    out += [f'    "{name}": {class_name(name)},' for name in names]
    out += ["}", ""]
    for name in names:
        out += ["", "@overload",
                f'def typed(entity: Literal["{name}"],',
                f"          row: Mapping[str, Any]) -> {class_name(name)}: ...",
                "@overload",
                f'def typed(entity: Literal["{name}"], row: None) -> None: ...']
    out += [
        "", "",
        "def typed(entity: str, row: Mapping[str, Any] | None) -> Any:",
        '    """``row`` (a row of ``entity``, or ``None``) as its typed dict; no copy, no',
        '    check at run time: the store built the row from the same spec."""',
        "    if entity not in ENTITY_TYPES:",
        '        raise KeyError(f"no synced record {entity!r}")',
        "    return cast(Any, row)",
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not TARGET.is_file() or TARGET.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"{TARGET.relative_to(ROOT)} is behind records.py: "
                             "run python scripts/record_types.py\n")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
