"""The words a household is found by: names and their pinyin, and typed text normalised.

A person is found by the name itself, its full pinyin (one per reading of a surname read
otherwise as a surname: ``单丽`` is ``shanli`` and ``danli``), its initials (``zs``, and
``zhs`` for zh/ch/sh typed in full) and its given name and the ends of it (``小梅``,
``梅``). :func:`name_keys` makes them; the index (:mod:`gulou_desk.store.search_index`)
stores them and the query (:mod:`gulou_desk.store.search`) looks for them.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

# pypinyin's dictionary of 47,000 phrases reads words: 44 MB in memory and a fifth of a
# second of the app's start. A name is read surname apart from given name, so only its
# phrases of two or three characters that read otherwise than their characters one by one
# matter (长江 changjiang, 朝阳 zhaoyang): those 1,740 (gulou_desk/store/name_phrases.py,
# made by scripts/name_phrases.py) replace it, and every name reads as with the whole
# dictionary (tests/unit/test_search.py). The switch is pypinyin's own, read at its first
# import, which is this one (nothing else in the app imports it).
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")

from pypinyin import lazy_pinyin, load_phrases_dict

from gulou_desk.store.name_phrases import PHRASES

load_phrases_dict(PHRASES)

SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    # Surnames read otherwise than the character's everyday reading (pypinyin's default).
    # The first reading is the surname's usual one (used to sort); pypinyin's default is
    # indexed too, so a user who types the everyday reading still finds the person.
    "单": ("shan",), "曾": ("zeng",), "解": ("xie",), "仇": ("qiu",), "查": ("zha",),
    "区": ("ou",), "朴": ("piao",), "盖": ("ge", "gai"), "覃": ("qin", "tan"),
    "乐": ("yue", "le"), "缪": ("miao",), "翟": ("zhai", "di"), "员": ("yun",),
    "召": ("shao",), "种": ("chong",), "秘": ("bi",), "繁": ("po",), "能": ("nai",),
    "句": ("gou",), "都": ("du",), "隗": ("wei",), "折": ("she",), "黑": ("he",),
    "蕃": ("pi",), "卜": ("bu",), "祭": ("zhai",), "藏": ("zang",), "重": ("chong",),
    "洗": ("xian",), "薄": ("bo",), "阚": ("kan",), "牟": ("mou", "mu"), "柏": ("bai",),
    "尉": ("wei",), "长": ("chang",), "沈": ("shen",), "贾": ("jia",), "宿": ("su",),
    "相": ("xiang",), "莘": ("shen", "xin"), "谌": ("chen",), "訾": ("zi",),
    "尉迟": ("yu chi",), "万俟": ("mo qi",), "长孙": ("zhang sun",),
    "单于": ("chan yu",), "澹台": ("tan tai",), "令狐": ("ling hu",),
    "欧阳": ("ou yang",), "司马": ("si ma",), "上官": ("shang guan",),
    "诸葛": ("zhu ge",), "皇甫": ("huang fu",), "东方": ("dong fang",),
    "慕容": ("mu rong",), "夏侯": ("xia hou",), "公孙": ("gong sun",),
    "宇文": ("yu wen",), "司徒": ("si tu",), "端木": ("duan mu",),
    "呼延": ("hu yan",), "南宫": ("nan gong",), "西门": ("xi men",),
    "独孤": ("du gu",), "轩辕": ("xuan yuan",), "钟离": ("zhong li",),
    "闻人": ("wen ren",), "赫连": ("he lian",), "申屠": ("shen tu",),
    "太史": ("tai shi",), "宗政": ("zong zheng",), "濮阳": ("pu yang",),
    "淳于": ("chun yu",), "闾丘": ("lv qiu",), "公冶": ("gong ye",),
    "司空": ("si kong",), "拓跋": ("tuo ba",), "百里": ("bai li",),
}
"""Surname → its readings as a surname (syllables separated by spaces). Two-character
entries are compound surnames: a name of three or more characters that starts with one
has it as its surname."""

COMPOUND_SURNAMES = frozenset(s for s in SURNAME_READINGS if len(s) == 2)

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_HAN_CHAR = re.compile(f"[{HAN}]")
_NAME_PARTS = re.compile(f"[{HAN}]+|[a-z]+")
_SH = ("zh", "ch", "sh")


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The tokens a name is found by."""

    full: tuple[str, ...]
    """The name itself and its full pinyin, one per reading of the surname."""
    initials: tuple[str, ...]
    parts: tuple[str, ...]
    """The given name, its ends, their pinyin (and each part of a name with a dot)."""
    sort_key: str
    """The name's usual pinyin, for sorting."""


def normalize_text(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=100_000)
def _syllables(han: str) -> list[str]:
    """pypinyin's reading of a run of Chinese characters (cached: ~50 µs a call, and
    given names repeat far more than whole names). Callers must not change the list."""
    return [s for s in lazy_pinyin(han, errors="ignore") if s.isascii() and s.isalpha()]


def _initials(syllables: Sequence[str]) -> list[str]:
    plain = "".join(s[0] for s in syllables)
    sh = _sh_initials(syllables)
    return [plain] if sh is None else [plain, sh]


def _sh_initials(syllables: Sequence[str]) -> str | None:
    """The initials with zh/ch/sh typed in full (``zhangsan``: ``zhs``); ``None`` when
    no syllable begins with one."""
    if not any(s.startswith(_SH) for s in syllables):
        return None
    return "".join(s[:2] if s.startswith(_SH) else s[0] for s in syllables)


def unique(items: Iterable[str]) -> tuple[str, ...]:
    """The non-empty items, each once, in their order."""
    return tuple(filter(None, dict.fromkeys(items)))


def _split_surname(han: str) -> tuple[str, str]:
    if len(han) >= 3 and han[:2] in COMPOUND_SURNAMES:
        return han[:2], han[2:]
    return han[:1], han[1:]


@lru_cache(maxsize=50_000)
def name_keys(name: str) -> NameKeys:
    """The tokens of a person's name (cached: names repeat a lot)."""
    return make_name_keys(name)


def make_name_keys(name: str) -> NameKeys:
    """:func:`name_keys`, not cached (for a caller that keeps what it needs its own way)."""
    text = normalize_text(name)
    pieces = _NAME_PARTS.findall(text)
    if len(pieces) == 1 and _HAN_CHAR.match(pieces[0]):
        return _chinese_name_keys(pieces[0])
    return _name_keys(pieces)


# A name of Chinese characters alone (almost every name) is its surname's words followed
# by its given name's: each is worked out once, and a name joins them.
_SurnameWords = tuple[tuple[tuple[str, str, str | None], ...], str]
"""Per reading of a surname: its pinyin, its initials, its initials with zh/ch/sh typed
in full (``None``: no such syllable); and its first reading, syllables apart."""
_GivenWords = tuple[str, str, str | None, tuple[str, ...], str]
"""A given name's pinyin, initials, initials with zh/ch/sh (``None``: none), parts, and
its syllables apart."""
_SURNAME_WORDS: dict[str, _SurnameWords] = {}
_GIVEN_WORDS: dict[str, _GivenWords] = {}
_WORDS_HELD = 100_000


def _chinese_name_keys(han: str) -> NameKeys:
    """:func:`_name_keys` of a name that is one run of Chinese characters."""
    surname, given = _split_surname(han)
    words = _SURNAME_WORDS.get(surname)
    if words is None:
        words = _SURNAME_WORDS[surname] = _surname_words(surname)
    after = _GIVEN_WORDS.get(given)
    if after is None:
        if len(_GIVEN_WORDS) >= _WORDS_HELD:
            _GIVEN_WORDS.clear()
        after = _GIVEN_WORDS[given] = _given_words(given)
    readings, first = words
    pinyin, plain, full_sh, parts, spaced = after
    initials: list[str] = []
    for _reading, reading_plain, reading_sh in readings:
        initials.append(reading_plain + plain)
        if reading_sh is not None or full_sh is not None:
            initials.append((reading_sh or reading_plain) + (full_sh or plain))
    sort_key = (f"{first} {spaced}" if first and spaced else first or spaced) or han
    return NameKeys(unique([han, *(r[0] + pinyin for r in readings)]), unique(initials),
                    parts, sort_key)


def _surname_words(surname: str) -> _SurnameWords:
    readings = _readings(surname)
    return (tuple(("".join(r), "".join(s[0] for s in r), _sh_initials(r)) for r in readings),
            " ".join(readings[0]))


def _given_words(given: str) -> _GivenWords:
    syllables = _syllables(given)
    return ("".join(syllables), "".join(s[0] for s in syllables), _sh_initials(syllables),
            unique(_given_parts(given, syllables)), " ".join(syllables))


def _readings(surname: str) -> list[list[str]]:
    """The surname's readings as a surname, then pypinyin's if another (syllables)."""
    readings = [r.split() for r in SURNAME_READINGS.get(surname, ())]
    default = _syllables(surname)
    if default and default not in readings:
        readings.append(default)
    return readings or [[]]  # a character pypinyin does not know


def _given_parts(given: str, syllables: Sequence[str]) -> list[str]:
    parts: list[str] = []
    if given:
        parts += [given, "".join(syllables)]
        if len(syllables) == len(given):  # and its ends: 小梅 → 梅 mei
            for i in range(1, len(given)):
                parts += [given[i:], "".join(syllables[i:])]
    return parts


def _name_keys(pieces: Sequence[str]) -> NameKeys:
    """The tokens of a name's pieces (runs of Chinese characters or of letters)."""
    if not pieces:
        return NameKeys((), (), (), "")
    first = pieces[0]
    parts: list[str] = []
    if _HAN_CHAR.match(first):
        surname, given = _split_surname(first)
        readings = _readings(surname)
        given_syllables = _syllables(given)
        parts += _given_parts(given, given_syllables)
    else:
        readings = [[first]]
        given_syllables = []
    rest: list[str] = []  # further parts of a name with a middle dot or spaces
    for piece in pieces[1:]:
        syllables = _syllables(piece) if _HAN_CHAR.match(piece) else [piece]
        rest += syllables
        parts += [piece, "".join(syllables)]
    han = "".join(pieces)
    full = [han]
    initials: list[str] = []
    for reading in readings:
        syllables = reading + given_syllables + rest
        full.append("".join(syllables))
        initials += _initials(syllables)
    if len(pieces) == 1 and not _HAN_CHAR.match(first):
        parts = []
    sort_key = " ".join(readings[0] + given_syllables + rest) or han
    return NameKeys(unique(full), unique(initials), unique(parts), sort_key)


@lru_cache(maxsize=20_000)
def place_pinyin(estate: str) -> str:
    return "".join(lazy_pinyin(estate, errors="default")).lower()


_UNIT_WORDS = (("号楼", "栋"), ("幢", "栋"), ("座", "栋"))
DIGITS = re.compile(r"\d+")


def unit_words(text: str | None) -> str:
    """Normalized text in which 号楼, 幢 and 座 are 栋."""
    text = normalize_text(text or "")
    for old, new in _UNIT_WORDS:
        text = text.replace(old, new)
    return text


def natural_key(text: str | None) -> str:
    """A sort key in which numbers sort by value (``2`` before ``10``)."""
    return DIGITS.sub(lambda m: m.group().zfill(6), normalize_text(text or ""))
