"""Deterministic, realistic demo data for the central server, in three sizes.

:func:`generate` yields :class:`Batch` es of records (Python values, as
:func:`gulou_desk.records.from_wire` returns them), referenced entities first. It writes
nothing: the server's seeding code stores the batches with versions and scope. Every
account is a ``staff`` row; the server gives each the password :data:`DEMO_PASSWORD`.

Sizes follow the figures of DOMAIN.md: ``demo`` (one street, four communities, ten
social workers), ``street`` (one street: ~57,000 households, 25 workers) and
``district`` (13 streets, 120 communities, 1,010 grids, 318 workers and exactly 735,642
households, ~1.8 million residents). The same size, seed and ``today`` always give the
same rows. Everything happened before ``today`` (Asia/Shanghai): visits, messages and
tickets in the last ``history_days``, performance records for the current month and the
two before it.

How the data hangs together:

- households fill estates building by building (栋/单元/室); a grid is a run of them;
  residents are families (户主, 配偶, 子女, 父母, 孙子女 …) whose ages fit their relation,
  with ID numbers (:func:`gulou_desk.domain.ids.make_id_number` rules; unique) that
  match birth date and gender. Care tags come with the shares of real rolls (独居老人
  ~6 %, 空巢老人 ~10 %, 低保 ~3 % …); a 独居老人 household is one resident aged 70+.
- visits are made by a worker of the household's grid with one of the default
  templates, answers valid for it; a household with visits has ``last_visit_at`` = its
  latest visit. Other households were last visited on paper before the desk client,
  spread by their cadence (recent for care households), or never: each paper visit is
  a visit record too, as the office typed it in (routine form, who was met, nothing
  found, the note :data:`PAPER_NOTE`), so that a household's 上次走访 is always one of
  its 走访记录 (issue 10 item 13).
- tickets run through the real state machine (:func:`workflows.ticket_step`), so their
  fields (status, assignee, due_at, paused_at, escalated, satisfaction …) and their
  ``ticket_event`` timeline are exactly what the server would have stored; the server's
  side effects are reproduced too (``created``, ``linked`` and ``merged_in`` events,
  ``source_message_ids``). Inbox messages are converted into, or linked to, tickets,
  dismissed, answered, or still new.
- performance figures are computed from the generated visits and ticket timelines by
  :mod:`gulou_desk.domain.performance`, the code the server runs for official figures
  (``visits_done``, ``key_visits``, ``tickets_resolved``, ``on_time_rate``,
  ``avg_satisfaction``, ``median_accept_hours``; a rate is ``None`` without data), except
  ``visits_due``, made up as a plausible shortfall (the rule needs visit histories the demo
  households do not have); records have the ids ``performance.record_id`` gives, so
  ``gulou-server compute-performance`` refreshes them instead of adding others.

Fast enough for the district (a pure-Python generator: pools built once, one seeded
``random.Random`` per purpose and grid, households and residents made in two passes over
the grids so no more than one batch is held).
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import hashlib
import itertools
import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from faker.providers.person.zh_CN import Provider as _ZhPerson

from gulou_desk import records
from gulou_desk.domain import cadence, catalogue, performance, sla, workflows
from gulou_desk.domain.group_places import community_stem
from gulou_desk.domain.templates import DEFAULT_TEMPLATES, ELDERLY_CARE_TEMPLATE_ID
from server import demo_names as names
from server.demo_participation import ParticipationMaker

SHANGHAI = records.SHANGHAI
DEMO_PASSWORD = "demo1234"
BATCH_SIZE = 10_000
PAPER_NOTE = "纸质走访记录补录"
"""The note of a visit made on paper before the desk client and typed in since."""

ENTITY_ORDER: tuple[str, ...] = (
    "street", "community", "grid", "staff", "service_item", "knowledge_entry", "alert_rule",
    "bot_question", "announcement", "visit_template", "catalogue_entry", "household",
    "resident", "visit", "inbox_message", "ticket", "ticket_event", "performance_record",
    "questionnaire", "questionnaire_response", "consultation", "consultation_comment",
    "consultation_meeting", "volunteer", "volunteer_activity",
)


@dataclass(frozen=True)
class SizeSpec:
    name: str
    streets: int
    """How many streets, in the order of :data:`demo_names.STREETS` (江东街道 first)."""
    communities: int
    grids: int
    workers: int
    households: int
    visits: int
    """About this many visit records (within ``history_days``)."""
    tickets: int
    inbox_messages: int
    """About this many inbox messages (converted, linked, dismissed, answered, new)."""
    clerk_per_community: bool
    """One clerk per community; otherwise one clerk for the first community only."""
    supervisor_per_street: bool
    max_grids_per_worker: int
    history_days: int = 120


SIZES: dict[str, SizeSpec] = {
    "demo": SizeSpec("demo", streets=1, communities=4, grids=24, workers=10,
                     households=3_000, visits=300, tickets=200, inbox_messages=300,
                     clerk_per_community=False, supervisor_per_street=False,
                     max_grids_per_worker=3),
    "street": SizeSpec("street", streets=1, communities=10, grids=80, workers=25,
                       households=57_000, visits=2_400, tickets=1_500, inbox_messages=2_200,
                       clerk_per_community=True, supervisor_per_street=False,
                       max_grids_per_worker=6),
    "district": SizeSpec("district", streets=13, communities=120, grids=1_010, workers=318,
                         households=735_642, visits=30_000, tickets=15_000,
                         inbox_messages=22_000, clerk_per_community=True,
                         supervisor_per_street=True, max_grids_per_worker=8),
}


@dataclass(frozen=True)
class Batch:
    entity: str
    rows: list[dict[str, Any]]


def generate(
    size: str = "demo", *, seed: int = 2018, today: dt.date | None = None
) -> Iterator[Batch]:
    """The demo records of ``size``, in batches of at most 10,000 rows.

    Batches come entity by entity in :data:`ENTITY_ORDER`. Each row is ``{"id": uuid,
    <every field of the entity's spec>}``. One reference points forward: an inbox
    message's ``ticket_id`` names a ticket of a later batch (messages come before
    tickets, as in ``records.ENTITY_ORDER``).
    """
    spec = SIZES[size]
    return _Generator(spec, seed, today or dt.date.today()).run()


# --- small fast helpers -------------------------------------------------------------

_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)


def _uuid(rng: random.Random) -> str:
    """``str(uuid.UUID(int=rng.getrandbits(128), version=4))``, about twice as fast."""
    h = f"{(rng.getrandbits(128) & _UUID_CLEAR) | _UUID_SET:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# GB 11643 weights and check characters (as gulou_desk.domain.ids); the ID numbers are
# built from cached partial sums, which gives exactly make_id_number's result.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _weighted_sum(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(c) * w for c, w in zip(digits, weights, strict=True))


_ORDER_CODES = [(f"{n:03d}", _weighted_sum(f"{n:03d}", _ID_WEIGHTS[14:])) for n in range(1000)]
_DATES: dict[int, tuple[dt.date, str, int]] = {}


def _date_info(ordinal: int) -> tuple[dt.date, str, int]:
    """The date of an ordinal, its YYYYMMDD and that part's weighted sum (cached)."""
    info = _DATES.get(ordinal)
    if info is None:
        day = dt.date.fromordinal(ordinal)
        ymd = f"{day.year:04d}{day.month:02d}{day.day:02d}"
        info = (day, ymd, _weighted_sum(ymd, _ID_WEIGHTS[6:14]))
        _DATES[ordinal] = info
    return info


def _apportion(total: int, weights: list[float], lo: list[int], hi: list[int]) -> list[int]:
    """Integers within ``lo..hi`` summing to ``total``, proportional to ``weights``."""
    if sum(lo) > total or sum(hi) < total:
        raise ValueError("bounds cannot meet the total")
    wsum = sum(weights)
    ideal = [total * w / wsum for w in weights]
    out = [min(max(int(x), a), b) for x, a, b in zip(ideal, lo, hi, strict=True)]
    while sum(out) != total:
        if sum(out) < total:
            i = max((i for i in range(len(out)) if out[i] < hi[i]),
                    key=lambda i: ideal[i] - out[i])
            out[i] += 1
        else:
            i = max((i for i in range(len(out)) if out[i] > lo[i]),
                    key=lambda i: out[i] - ideal[i])
            out[i] -= 1
    return out


def _whole(moment: dt.datetime) -> dt.datetime:
    """The moment without its fraction of a second (the wire carries whole seconds)."""
    return moment.replace(microsecond=0)


def _roads(street: str) -> list[str]:
    """The roads of a street that take house numbers (not areas such as 龙江)."""
    roads = names.STREET_ROADS[street]
    return [r for r in roads if r.endswith(("路", "街", "巷", "大街"))] or list(roads)


# --- name pools (built once) ----------------------------------------------------------


@dataclass(frozen=True)
class _Pools:
    surnames: list[str]
    given: dict[tuple[bool, int], list[str]]
    """(male, generation) → given names; generations: <1960, <1985, <2000, later."""
    other_regions: list[str]


@cache
def _pools() -> _Pools:
    weights = dict(_ZhPerson.last_names)
    for surname, w in names.POLYPHONIC_SURNAMES.items():
        weights[surname] = max(weights.get(surname, 0.0), w)
    surnames = [s for s, w in weights.items() for _ in range(max(1, round(w * 100)))]

    def combos(first: str, second: str) -> list[str]:
        return [a + b for a in first for b in second if a != b]

    faker_male = list(_ZhPerson.first_names_male)
    faker_female = list(_ZhPerson.first_names_female)
    given = {
        (True, 0): list(names.OLD_MALE) * 3 + faker_male[:20],
        (False, 0): list(names.OLD_FEMALE) * 3 + faker_female[:20],
        (True, 1): list(names.MIDDLE_MALE) * 2 + faker_male,
        (False, 1): list(names.MIDDLE_FEMALE) * 2 + faker_female,
        (True, 2): faker_male + combos(names.YOUNG_MALE_FIRST, names.YOUNG_MALE_SECOND)[::3],
        (False, 2): faker_female
        + combos(names.YOUNG_FEMALE_FIRST, names.YOUNG_FEMALE_SECOND)[::3],
        (True, 3): list(names.YOUNG_MALE) * 4
        + combos(names.YOUNG_MALE_FIRST, names.YOUNG_MALE_SECOND),
        (False, 3): list(names.YOUNG_FEMALE) * 4
        + combos(names.YOUNG_FEMALE_FIRST, names.YOUNG_FEMALE_SECOND),
    }
    regions = [code for code, w in names.OTHER_REGIONS for _ in range(w)]
    return _Pools(surnames, given, regions)


# --- households: composition ------------------------------------------------------------

# Kinds of household: care kinds first, then ordinary families.
(ALONE, NEST2, NEST1, G1, G2C, G2P, G3, G4K, G4P, G5P, G5T) = range(11)
_KIND_SHARES = (0.06, 0.088, 0.012, 0.126, 0.1848, 0.084, 0.2856, 0.042, 0.0504, 0.0336,
                0.0336)
_KIND_CUM = [sum(_KIND_SHARES[: i + 1]) for i in range(len(_KIND_SHARES))]
_KIND_CUM[-1] = 1.0
# (min age, max age, mode, share of male heads, size)
_KIND_HEAD = {
    ALONE: (70.0, 97.0, 79.0, 0.35, 1),
    NEST2: (60.0, 90.0, 68.0, 0.75, 2),
    NEST1: (60.0, 69.9, 64.0, 0.45, 1),
    G1: (20.0, 64.0, 30.0, 0.55, 1),
    G2C: (22.0, 59.0, 30.0, 0.75, 2),
    G2P: (38.0, 62.0, 47.0, 0.45, 2),
    G3: (28.0, 60.0, 40.0, 0.75, 3),
    G4K: (33.0, 55.0, 42.0, 0.75, 4),
    G4P: (32.0, 56.0, 42.0, 0.75, 4),
    G5P: (30.0, 50.0, 38.0, 0.8, 5),
    G5T: (50.0, 75.0, 60.0, 0.75, 5),
}
_YEAR = 365.2425
# (min age, max - min, mode position 0..1, share of male heads, size): a triangular
# distribution of the head's age, sampled inline (random.triangular is slower).
_KIND_TRIANGLE = {
    kind: (lo, hi - lo, (mode - lo) / (hi - lo), male, size)
    for kind, (lo, hi, mode, male, size) in _KIND_HEAD.items()
}
_ELDERLY_KINDS = (ALONE, NEST2, NEST1)
_HOUSEHOLD_TAG_ORDER = records.HOUSEHOLD_TAGS


@dataclass(slots=True)
class _IdNumbers:
    """Order codes handed out so far, so that no two residents share an ID number."""

    counters: dict[int, int] = field(default_factory=dict)
    regions: dict[str, tuple[str, int, int]] = field(default_factory=dict)

    def region(self, code: str) -> tuple[str, int, int]:
        """(code, its weighted digit sum, a small index) of an ID region."""
        info = self.regions.get(code)
        if info is None:
            info = (code, _weighted_sum(code, _ID_WEIGHTS[:6]), len(self.regions))
            self.regions[code] = info
        return info


@dataclass(slots=True)
class _Grid:
    index: int
    id: str
    community: int
    name: str
    households: int
    worker_ids: list[str]
    wechat_group_id: str
    street: int
    samples: list[tuple[Any, ...]]
    """A few households of the grid (for tickets): (id, head, estate, b, u, room, tags)."""


@dataclass(slots=True)
class _VisitedHousehold:
    id: str
    grid: int
    head_name: str
    size: int
    tags: list[str]
    estate: str
    building: str
    unit: str
    room: str
    times: list[dt.datetime]


REGISTERED_DAYS_AGO = 3 * 365
"""The demo's households were all registered this long before ``today`` (the paper
visits go back about a year)."""


class _Generator:
    def __init__(self, spec: SizeSpec, seed: int, today: dt.date) -> None:
        self.spec = spec
        self.seed = seed
        self.today = today
        self.today_ord = today.toordinal()
        self.now = dt.datetime.combine(today, dt.time(), tzinfo=SHANGHAI)
        """Midnight at the start of ``today``: every generated moment is before it."""
        self.registered = self.now - dt.timedelta(days=REGISTERED_DAYS_AGO)
        """When the households were registered: before any of their visits."""
        self.pools = _pools()
        self.surnames = self.pools.surnames
        self.given_pools = self.pools.given
        self._midnights: dict[int, dt.datetime] = {}
        self.office_seconds = [dt.timedelta(seconds=sec) for sec in (
            *range(9 * 3600, 11 * 3600 + 1800), *range(14 * 3600, 17 * 3600 + 1800))]
        """Every second of office hours (09:00–11:30, 14:00–17:30) after midnight."""
        self.gen_bounds = [dt.date(y, 1, 1).toordinal() for y in (1960, 1985, 2000)]
        self.xiaguan_until = dt.date(2013, 2, 21).toordinal()
        self.visited: list[_VisitedHousehold] = []
        self.paper: list[tuple[str, int, str, int, list[str], dt.datetime]] = []
        """Households last visited on paper: (id, grid index, head, size, tags, when)."""
        self.paper_recent: list[dict[str, Any]] = []
        """The paper visits of the performance months (id, worker, household, time): they
        count in ``visits_done`` as the server counts them."""
        self.paper_tags: dict[str, list[str]] = {}
        self.visits: list[dict[str, Any]] = []
        self.visit_meta: dict[str, tuple[_VisitedHousehold, tuple[Any, ...] | None]] = {}
        self.ticket_rows: list[dict[str, Any]] = []
        self.event_rows: list[dict[str, Any]] = []

    # -- plumbing ------------------------------------------------------------------

    def rng(self, *parts: object) -> random.Random:
        key = "/".join(str(p) for p in (self.seed, self.spec.name, *parts))
        return random.Random(key)

    def midnight(self, ordinal: int) -> dt.datetime:
        m = self._midnights.get(ordinal)
        if m is None:
            m = dt.datetime.combine(dt.date.fromordinal(ordinal), dt.time(), tzinfo=SHANGHAI)
            self._midnights[ordinal] = m
        return m

    def at(self, days_ago: float) -> dt.datetime:
        return self.now - dt.timedelta(days=days_ago)

    def work_time(self, rng: random.Random, days_ago_max: float,
                  days_ago_min: float = 1.0) -> dt.datetime:
        """A moment in office hours on a weekday (mostly) between the bounds."""
        rnd = rng.random
        ordinal = self.today_ord - math.ceil(days_ago_min
                                             + (days_ago_max - days_ago_min) * rnd())
        weekday = (ordinal + 6) % 7
        if weekday >= 5 and rnd() < 0.8:
            ordinal -= weekday - 4
        m = self._midnights.get(ordinal) or self.midnight(ordinal)
        return m + self.office_seconds[int(rnd() * len(self.office_seconds))]

    def day_time(self, rng: random.Random, days_ago_max: float,
                 days_ago_min: float = 0.0) -> dt.datetime:
        """A waking-hours moment (07:00–22:30) between the bounds, never after now."""
        ordinal = self.today_ord - 1 - int(rng.uniform(days_ago_min, days_ago_max))
        seconds = int(rng.uniform(7 * 3600, 22.5 * 3600))
        return self.midnight(ordinal) + dt.timedelta(seconds=seconds)

    def person_name(self, rng: random.Random, male: bool, birth_year: int,
                    surname: str | None = None) -> str:
        pools = self.pools
        surname = surname or pools.surnames[int(rng.random() * len(pools.surnames))]
        gen = 0 if birth_year < 1960 else 1 if birth_year < 1985 else 2 if birth_year < 2000 else 3
        pool = pools.given[(male, gen)]
        return surname + pool[int(rng.random() * len(pool))]

    @staticmethod
    def mobile(rng: random.Random) -> str:
        prefixes = names.MOBILE_PREFIXES
        return f"{prefixes[int(rng.random() * len(prefixes))]}{int(rng.random() * 1e8):08d}"

    @staticmethod
    def landline(rng: random.Random) -> str:
        return f"025-{rng.choice('58')}{int(rng.random() * 1e7):07d}"

    # -- the run -------------------------------------------------------------------

    def run(self) -> Iterator[Batch]:
        yield from self.places()
        yield from self.staff_rows()
        yield Batch("service_item", self.service_items())
        yield from self.gubao_console()
        yield Batch("visit_template", [copy.deepcopy(t) for t in DEFAULT_TEMPLATES])
        yield Batch("catalogue_entry", catalogue.default_entries())
        yield from self.households()
        yield from self.residents()
        yield from _batches("visit", self.make_visits())
        yield from _batches("visit", self.paper_visits())
        # Participation before tickets: a decided consultation's tickets are made with the
        # others (real timelines), and the consultation lists them.
        self.participation = ParticipationMaker(self).make()
        messages, tickets, events = self.tickets_and_messages()
        self.ticket_rows, self.event_rows = tickets, events
        yield from _batches("inbox_message", messages)
        yield from _batches("ticket", tickets)
        yield from _batches("ticket_event", events)
        yield from _batches("performance_record", self.performance())
        for entity in ENTITY_ORDER[ENTITY_ORDER.index("questionnaire"):]:
            yield from _batches(entity, self.participation.rows.get(entity, []))

    # -- streets, communities, grids -------------------------------------------------

    def places(self) -> Iterator[Batch]:
        spec = self.spec
        rng = self.rng("places")
        chosen = names.STREETS[: spec.streets]
        available = [len(c) for _, c in chosen]
        per_street = _apportion(spec.communities, [float(a) for a in available],
                                [1] * len(chosen), available)
        self.streets: list[dict[str, Any]] = []
        self.communities: list[dict[str, Any]] = []
        self.community_street: list[int] = []
        for si, ((street, communities), count) in enumerate(zip(chosen, per_street,
                                                                strict=True)):
            self.streets.append({"id": _uuid(rng), "name": street})
            for name in communities[:count]:
                road = rng.choice(_roads(street))
                self.communities.append({
                    "id": _uuid(rng), "street_id": self.streets[si]["id"], "name": name,
                    "address": f"{names.DISTRICT}{road}{rng.randint(1, 300)}号",
                })
                self.community_street.append(si)
        n = len(self.communities)
        weights = [rng.uniform(0.75, 1.25) for _ in range(n)]
        self.community_households = _apportion(spec.households, weights, [1] * n,
                                               [spec.households] * n)
        grids_per = _apportion(spec.grids, weights, [1] * n, [spec.grids] * n)
        cap = spec.max_grids_per_worker
        lo = [max(1, math.ceil(g / cap)) for g in grids_per]
        hi = grids_per if cap > 3 else [max(a, g // 2) for a, g in zip(lo, grids_per,
                                                                        strict=True)]
        self.workers_per = _apportion(spec.workers, weights, lo, hi)

        # Worker ids are made here so grids can list them; the staff rows come next.
        staff_rng = self.rng("staff-ids")
        self.worker_ids = [_uuid(staff_rng) for _ in range(spec.workers)]
        self.worker_community: list[int] = []
        self.grids: list[_Grid] = []
        grid_rng = self.rng("grids")
        wi = 0
        for ci, community in enumerate(self.communities):
            g_count, w_count = grids_per[ci], self.workers_per[ci]
            workers = self.worker_ids[wi: wi + w_count]
            wi += w_count
            self.worker_community.extend([ci] * w_count)
            hh = _apportion(self.community_households[ci],
                            [grid_rng.uniform(0.85, 1.15) for _ in range(g_count)],
                            [1] * g_count, [self.community_households[ci]] * g_count)
            chunks = _apportion(g_count, [1.0] * w_count, [1] * w_count, [g_count] * w_count)
            owners = [w for w, c in zip(workers, chunks, strict=True) for _ in range(c)]
            first = len(self.grids)
            for gi in range(g_count):
                gid = _uuid(grid_rng)
                self.grids.append(_Grid(
                    index=len(self.grids), id=gid, community=ci,
                    name=f"{community_stem(community['name'])}第{gi + 1}网格", households=hh[gi],
                    worker_ids=[owners[gi]],
                    wechat_group_id="wxg-" + hashlib.sha1(gid.encode()).hexdigest()[:12],
                    street=self.community_street[ci], samples=[],
                ))
            # A few grids are shared by two workers of the community.
            load = {w: chunks[k] for k, w in enumerate(workers)}
            mine = self.grids[first:]
            for _ in range(round(0.15 * g_count)):
                if w_count < 2:
                    break
                grid = grid_rng.choice(mine)
                helpers = sorted((w for w in workers if w not in grid.worker_ids
                                  and load[w] < cap), key=lambda w: load[w])
                if len(grid.worker_ids) > 1 or not helpers:
                    continue
                grid.worker_ids.append(helpers[0])
                load[helpers[0]] += 1
        yield Batch("street", self.streets)
        yield Batch("community", self.communities)
        yield from _batches("grid", [
            {"id": g.id, "community_id": self.communities[g.community]["id"], "name": g.name,
             "worker_ids": list(g.worker_ids), "wechat_group_id": g.wechat_group_id}
            for g in self.grids
        ])

    # -- staff -----------------------------------------------------------------------

    def staff_rows(self) -> Iterator[Batch]:
        spec = self.spec
        rng = self.rng("staff")
        phones = self.rng("staff phones")  # apart: the names stay what they were
        used: set[str] = set()
        rows: list[dict[str, Any]] = []

        def display_name() -> str:
            while True:
                male = rng.random() < 0.35
                name = self.person_name(rng, male, rng.randint(1975, 1998))
                if name not in used:
                    used.add(name)
                    return name

        def add(sid: str, username: str, role: str, community: int | None,
                street: int | None, display: str | None = None) -> dict[str, Any]:
            row = {
                "id": sid, "username": username, "display_name": display or display_name(),
                "role": role, "phone": self.mobile(phones),
                "community_id": None if community is None else self.communities[community]["id"],
                "street_id": None if street is None else self.streets[street]["id"],
                "active": True,
            }
            rows.append(row)
            return row

        self.staff_by_id: dict[str, dict[str, Any]] = {}
        self.supervisors: list[str] = []
        supervisor_streets = range(len(self.streets)) if spec.supervisor_per_street else [0]
        for k, si in enumerate(supervisor_streets, start=1):
            self.supervisors.append(add(_uuid(rng), f"supervisor{k}", "supervisor", None,
                                        si)["id"])
        self.clerks: dict[int, str] = {}
        clerk_communities = (range(len(self.communities)) if spec.clerk_per_community
                             else [0])
        for k, ci in enumerate(clerk_communities, start=1):
            self.clerks[ci] = add(_uuid(rng), f"clerk{k}", "clerk", ci,
                                  self.community_street[ci])["id"]
        for k, wid in enumerate(self.worker_ids, start=1):
            ci = self.worker_community[k - 1]
            add(wid, f"worker{k}", "social_worker", ci, self.community_street[ci])
        self.admin_id = add(_uuid(rng), "admin", "admin", None, None,
                            names.ADMIN_DISPLAY_NAME)["id"]
        for row in rows:
            self.staff_by_id[row["id"]] = row

        # Workflow actors.
        grids_of: dict[str, set[str]] = {}
        for g in self.grids:
            for w in g.worker_ids:
                grids_of.setdefault(w, set()).add(g.id)
        self.actors: dict[str, workflows.Actor] = {
            row["id"]: workflows.Actor(
                id=row["id"], role=row["role"], community_id=row["community_id"],
                street_id=row["street_id"], grid_ids=frozenset(grids_of.get(row["id"], ())))
            for row in rows
        }
        yield Batch("staff", rows)

    def supervisor_of(self, street: int) -> str:
        return self.supervisors[street] if self.spec.supervisor_per_street else \
            self.supervisors[0]

    def dispatcher_of(self, community: int) -> str:
        """Who dispatches a community's tickets: its clerk, else the street supervisor."""
        clerk = self.clerks.get(community)
        return clerk if clerk is not None else \
            self.supervisor_of(self.community_street[community])

    # -- service catalogue ---------------------------------------------------------

    def service_items(self) -> list[dict[str, Any]]:
        rng = self.rng("services")
        rows = []
        for category, name, address, hours, phone, documents in names.DISTRICT_SERVICES:
            rows.append({"id": _uuid(rng), "category": category, "name": name,
                         "address": address or None, "hours": hours, "phone": phone,
                         "documents": list(documents), "scope": "district",
                         "active": True})
        for street in self.streets:
            roads = _roads(street["name"])
            address = f"{names.DISTRICT}{rng.choice(roads)}{rng.randint(1, 200)}号"
            for category, pattern, hours, documents in names.STREET_SERVICES:
                own = rng.random() < 0.4
                rows.append({
                    "id": _uuid(rng), "category": category,
                    "name": pattern.format(street=street["name"]),
                    "address": (f"{names.DISTRICT}{rng.choice(roads)}"
                                f"{rng.randint(1, 200)}号") if own else address,
                    "hours": hours, "phone": self.landline(rng), "documents": list(documents),
                    "scope": "street", "street_id": street["id"], "active": True,
                })
        for community in self.communities:
            for category, pattern, hours, documents in names.COMMUNITY_SERVICES:
                rows.append({
                    "id": _uuid(rng), "category": category,
                    "name": pattern.format(community=community["name"]),
                    "address": community["address"], "hours": hours,
                    "phone": self.landline(rng), "documents": list(documents),
                    "scope": "community", "community_id": community["id"],
                    "street_id": community["street_id"], "active": True,
                })
        spec = records.SERVICE_ITEM
        return [{"id": r["id"], **{f.name: r.get(f.name, f.empty_value()) for f in spec.fields}}
                for r in rows]

    # -- the 鼓宝 console ---------------------------------------------------------------

    def gubao_console(self) -> Iterator[Batch]:
        """The district's knowledge base and alert rules; the first community's
        unanswered questions and announcements (clerk1's, what the desk shows)."""
        from server import demo_gubao
        from server.bot_ask import question_id

        clerk = self.clerks.get(0)
        yield Batch("knowledge_entry", demo_gubao.knowledge_rows(
            clerk, self.now - dt.timedelta(days=60)))
        yield Batch("alert_rule", demo_gubao.alert_rule_rows(self.admin_id))
        community = self.communities[0]["id"]
        grids = [g for g in self.grids if g.community == 0]
        yield Batch("bot_question", demo_gubao.unanswered_rows(
            community, [(g.id, g.wechat_group_id) for g in grids], self.now, question_id))
        worker = grids[0].worker_ids[0] if grids and grids[0].worker_ids else None
        yield Batch("announcement", demo_gubao.announcement_rows(
            community, clerk, worker, [g.id for g in grids if worker in g.worker_ids],
            self.now))

    # -- households (pass 1) -----------------------------------------------------------

    def household_struct(self, rh: random.Random) -> tuple[Any, ...]:
        """What both passes need of a household; consumes ``rh`` the same way each time.

        ``(id, kind, size, surname, given name, male, birth ordinal, tags, moved out,
        phone)`` of the household and its head.
        """
        rnd = rh.random
        h = f"{(rh.getrandbits(128) & _UUID_CLEAR) | _UUID_SET:032x}"
        hid = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        kind = bisect.bisect_right(_KIND_CUM, rnd())
        lo, span, c, male_share, size = _KIND_TRIANGLE[kind]
        male = rnd() < male_share
        u = rnd()
        age = lo + span * math.sqrt(u * c) if u < c else \
            lo + span - span * math.sqrt((1 - u) * (1 - c))
        birth = self.today_ord - int(age * _YEAR)
        surnames = self.surnames
        surname = surnames[int(rnd() * len(surnames))]
        pool = self.given_pools[(male, bisect.bisect_right(self.gen_bounds, birth))]
        given = pool[int(rnd() * len(pool))]
        elderly = kind <= NEST1
        if kind == ALONE:
            tags = ["独居老人"]
            p_dibao, p_disabled, p_watch = 0.10, 0.08, 0.06
        elif elderly:
            tags = ["空巢老人"]
            p_dibao, p_disabled, p_watch = 0.04, 0.06, 0.006
        else:
            tags = []
            p_dibao, p_disabled, p_watch = 0.024, 0.035, 0.006
        if rnd() < p_dibao:
            tags.append("低保")
        if rnd() < p_disabled:
            tags.append("残疾")
        if male and age >= 40 and rnd() < 0.065:
            tags.append("退役军人")
        if (elderly and kind != ALONE and rnd() < 0.05) or (
                not elderly and age >= 49 and size <= 2 and rnd() < 0.06):
            tags.append("特扶")
        if rnd() < (0.25 if tags and ("低保" in tags or "残疾" in tags) else p_watch):
            tags.append("重点关注")
        moved = rnd() < 0.012
        r = rnd()
        if (r < 0.45) if elderly else (0.90 <= r < 0.97):
            phone = f"025-{5 if rnd() < 0.3 else 8}{int(rnd() * 1e7):07d}"
        elif r < (0.95 if elderly else 0.90):
            prefixes = names.MOBILE_PREFIXES
            phone = f"{prefixes[int(rnd() * len(prefixes))]}{int(rnd() * 1e8):08d}"
        else:
            phone = None
        return (hid, kind, size, surname, given, male, birth, tags, moved, phone)

    def addresses(self, ci: int, rng: random.Random,
                  estate_pool: list[str]) -> Iterator[tuple[str, str, str, str, str]]:
        """(estate, building, unit, room, address) of a community, building by building."""
        community = self.communities[ci]
        street = self.streets[self.community_street[ci]]["name"]
        stem = community_stem(community["name"])
        named = {e for estates in names.NAMED_ESTATES.values() for e in estates}
        estate = stem if stem in named else f"{stem}小区"
        while True:
            high = rng.random() < 0.3
            for b in range(1, (rng.randint(4, 16) if high else rng.randint(6, 30)) + 1):
                if high:
                    units, floors, rooms = rng.randint(1, 2), rng.randint(11, 28), \
                        rng.randint(2, 4)
                else:
                    units = rng.randint(5, 6) if rng.random() < 0.1 else rng.randint(2, 4)
                    floors, rooms = rng.randint(5, 7), 2
                sb = str(b)
                for u in range(1, units + 1):
                    su = str(u)
                    prefix = f"{names.DISTRICT}{street}{estate}{sb}栋{su}单元"
                    for floor in range(1, floors + 1):
                        for r in range(1, rooms + 1):
                            if rng.random() < 0.08:
                                continue  # empty or not registered
                            room = f"{floor}{r:02d}"
                            yield estate, sb, su, room, f"{prefix}{room}室"
            estate = estate_pool.pop() if estate_pool else f"{stem}{rng.randint(2, 9)}期"

    def estate_pools(self) -> dict[str, list[str]]:
        """Unused estate names of each street: known estates, then road + suffix."""
        rng = self.rng("estates")
        first = {community_stem(c["name"]) for c in self.communities}
        taken = first | {f"{s}小区" for s in first}
        pools = {}
        for street in self.streets:
            name = street["name"]
            named = [e for e in names.NAMED_ESTATES.get(name, ()) if e not in taken]
            made = sorted({f"{road}{suffix}" for road in names.STREET_ROADS[name]
                           for suffix in names.ESTATE_SUFFIXES} - taken - set(named))
            rng.shuffle(made)
            rng.shuffle(named)
            pools[name] = made + named  # popped from the end: known estates first
        return pools

    def households(self) -> Iterator[Batch]:
        spec = self.spec
        estates = self.estate_pools()
        # Visits: key households are chosen three times as often as others.
        p_plain = spec.visits / (2.55 * spec.households)
        p_key = 3 * p_plain
        window = spec.history_days
        notes = names.HOUSEHOLD_NOTES
        batch: list[dict[str, Any]] = []
        address_iter: Iterator[tuple[str, str, str, str, str]] | None = None
        community = -1
        for grid in self.grids:
            if grid.community != community:
                community = grid.community
                street = self.streets[self.community_street[community]]["name"]
                address_iter = self.addresses(community, self.rng("addresses", community),
                                              estates[street])
            assert address_iter is not None
            rh = self.rng("household", grid.index)
            rx = self.rng("household-extra", grid.index)
            rnd = rx.random
            samples = grid.samples
            struct = self.household_struct
            work_time = self.work_time
            next_address = address_iter.__next__
            grid_id = grid.id
            for seen in range(1, grid.households + 1):
                hid, _kind, size, surname, given, _male, _birth, tags, moved, phone = \
                    struct(rh)
                estate, b, u, room, address = next_address()
                head = surname + given
                cad = (cadence.default_cadence_days(tags) if tags
                       else cadence.DEFAULT_CADENCE_DAYS)
                own_cadence = None
                if rnd() < 0.02 and cad > 7:  # a worker's own, closer cadence
                    own_cadence = {90: 30, 30: 14, 14: 7}.get(cad, 7)
                    cad = own_cadence
                key = bool(tags)
                last = None
                if not moved and rnd() < (p_key if key else p_plain):
                    times = self.visit_times(rx, cad, key, window)
                    last = times[-1]
                    self.visited.append(_VisitedHousehold(
                        hid, grid.index, head, size, tags, estate, b, u, room, times))
                elif key:
                    if rnd() >= 0.03:
                        last = work_time(rx, max(1.5, cad * 1.3), max(1.0, cad * 0.1))
                        self.paper.append((hid, grid.index, head, size, tags, last))
                elif rnd() >= 0.15:
                    last = work_time(rx, 110 if not moved else 400, 2)
                    self.paper.append((hid, grid.index, head, size, tags, last))
                if len(samples) < 16:
                    samples.append((hid, head, estate, b, u, room, tags, phone))
                else:
                    j = int(rnd() * seen)
                    if j < 16:
                        samples[j] = (hid, head, estate, b, u, room, tags, phone)
                batch.append({
                    "id": hid, "grid_id": grid_id, "estate": estate, "building": b,
                    "unit": u, "room": room, "address": address, "head_name": head,
                    "phone": phone, "tags": tags, "visit_cadence_days": own_cadence,
                    "last_visit_at": last,
                    "notes": notes[int(rnd() * len(notes))] if rnd() < 0.03 else None,
                    "status": "moved_out" if moved else "active",
                    "created_at": self.registered,
                })
                if len(batch) == BATCH_SIZE:
                    yield Batch("household", batch)
                    batch = []
        if batch:
            yield Batch("household", batch)

    def visit_times(self, rng: random.Random, cad: int, key: bool,
                    window: int) -> list[dt.datetime]:
        """Times of a household's visits in the window, oldest first."""
        latest = rng.uniform(1, min(window - 1, max(2.0, cad * 1.1)))
        count = 1 + (min(4, int(rng.random() * 5)) if key else int(rng.random() < 0.2))
        days = [latest]
        while len(days) < count:
            nxt = days[-1] + cad * rng.uniform(0.8, 1.2)
            if nxt > window - 1:
                break
            days.append(nxt)
        return sorted(self.work_time(rng, d, d) for d in days)

    # -- residents (pass 2) ----------------------------------------------------------

    def residents(self) -> Iterator[Batch]:
        batch: list[dict[str, Any]] = []
        ids = _IdNumbers()
        for grid in self.grids:
            self.grid_residents(grid, batch, ids)
            while len(batch) >= BATCH_SIZE:
                yield Batch("resident", batch[:BATCH_SIZE])
                del batch[:BATCH_SIZE]
        if batch:
            yield Batch("resident", batch)

    def grid_residents(self, grid: _Grid, batch: list[dict[str, Any]],
                       ids: _IdNumbers) -> None:
        """Append the residents of a grid's households (pass 2: same structs as pass 1).

        The hot loop of the district size, written for speed: one closure call per
        resident, ages compared in days, ID numbers from cached partial sums.
        """
        counters = ids.counters
        today_ord = self.today_ord
        surnames = self.surnames
        n_surnames = len(surnames)
        given_pools = self.given_pools
        gen_bounds = self.gen_bounds
        order_codes = _ORDER_CODES
        check_chars = _ID_CHECK
        dates = _DATES
        date_info = _date_info
        prefixes = names.MOBILE_PREFIXES
        n_prefixes = len(prefixes)
        clear, set_bits = _UUID_CLEAR, _UUID_SET
        rh = self.rng("household", grid.index)
        rr = self.rng("resident", grid.index)
        rnd = rr.random
        bits = rr.getrandbits
        bisect_right = bisect.bisect_right
        local = ids.region(names.LOCAL_REGION)
        home = ids.region(names.XIAGUAN_REGION) \
            if self.streets[grid.street]["name"] in names.FORMER_XIAGUAN else local
        home_until = self.xiaguan_until
        others = [ids.region(code) for code in self.pools.other_regions]
        n_others = len(others)
        day18, day14, day22, day40, day75, day78 = (
            today_ord - int(y * _YEAR) for y in (18, 14, 22, 40, 75, 78))

        def person(name: str, male: bool, birth: int, relation: str, tags: list[str],
                   phone: Any, status: str | None, hid: str) -> None:
            """One resident; ``phone`` ``...`` = decide by age, ``status`` None = by age."""
            r = rnd()
            if r < 0.78 or (r < 0.93 and birth > day18):
                region, region_sum, ri = home if birth < home_until and r < 0.62 else local
            else:
                region, region_sum, ri = others[int(rnd() * n_others)]
            key = ((ri * 1_000_000 + birth) << 1) | male
            count = counters.get(key)
            if count is None:
                count = int(rnd() * 200)
            counters[key] = count + 1 + (rnd() < 0.3)
            code, code_sum = order_codes[(count % 500) * 2 + male]
            info = dates.get(birth) or date_info(birth)
            if phone is ...:
                p = 0.9 if day75 < birth <= day18 else 0.45 if birth <= day75 else \
                    0.5 if birth <= day14 else 0.0
                phone = (f"{prefixes[int(rnd() * n_prefixes)]}{int(rnd() * 1e8):08d}"
                         if rnd() < p else None)
            if status is None:
                status = "deceased" if birth <= day78 and rnd() < 0.04 else \
                    "moved_out" if day40 < birth <= day22 and rnd() < 0.05 else "active"
            h = f"{(bits(128) & clear) | set_bits:032x}"
            batch.append({
                "id": f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}",
                "household_id": hid, "name": name,
                "gender": "male" if male else "female", "birth_date": info[0],
                "id_number": region + info[1] + code + check_chars[
                    (region_sum + info[2] + code_sum) % 11],
                "phone": phone, "relation": relation, "tags": tags, "status": status,
            })

        def given(male: bool, birth: int) -> str:
            pool = given_pools[(male, bisect_right(gen_bounds, birth))]
            return pool[int(rnd() * len(pool))]

        def child_birth(birth: int) -> int:
            return min(birth, today_ord - 30 - int(rnd() * 300))

        year = _YEAR
        for _ in range(grid.households):
            hid, kind, size, surname, head_given, male, birth, tags, moved, phone = \
                self.household_struct(rh)
            status = "moved_out" if moved else None
            head_tags = [t for t in tags if t != "残疾"] if tags else []
            disabled = "残疾" in tags
            if phone is None or phone[0] != "1":
                phone = ... if rnd() < 0.7 else None
            if disabled and (size == 1 or rnd() < 0.4):
                head_tags.append("残疾")
                disabled = False
            person(surname + head_given, male, birth, "户主", head_tags, phone,
                   status or "active", hid)
            if size == 1:
                continue
            spouse_surname = surnames[int(rnd() * n_surnames)]
            members: list[tuple[str, bool, int, str, list[str]]] = []
            if kind != G2P:
                s_birth = birth + int((6 * rnd() - 1) * year) * (1 if male else -1)
                s_birth = min(s_birth, today_ord - int(20 * year))
                members.append((spouse_surname + given(not male, s_birth), not male,
                                s_birth, "配偶", ["空巢老人"] if kind == NEST2 else []))
            if kind >= G2P:
                father_surname = surname if male else spouse_surname
                if kind != G2C:
                    c_birth = child_birth(birth + int((22 + 14 * rnd()) * year))
                    if kind == G5T:
                        c_birth = min(c_birth, today_ord - int((22 + 8 * rnd()) * year))
                    c_male = rnd() < 0.52
                    c_surname = father_surname if rnd() < 0.9 else (
                        spouse_surname if male else surname)
                    members.append((c_surname + given(c_male, c_birth), c_male, c_birth,
                                    "子女", []))
                    if kind == G4K:
                        c2 = child_birth(c_birth + int((1.5 + 6.5 * rnd()) * year))
                        c2_male = rnd() < 0.52
                        members.append((c_surname + given(c2_male, c2), c2_male, c2,
                                        "子女", []))
                    elif kind == G5T:
                        in_law = min(c_birth + int((6 * rnd() - 3) * year),
                                     today_ord - int(21 * year))
                        members.append((
                            surnames[int(rnd() * n_surnames)] + given(not c_male, in_law),
                            not c_male, in_law, "儿媳" if c_male else "女婿", []))
                        g_birth = child_birth(c_birth + int((22 + 12 * rnd()) * year))
                        g_male = rnd() < 0.52
                        g_surname = c_surname if c_male else surnames[
                            int(rnd() * n_surnames)]
                        members.append((g_surname + given(g_male, g_birth), g_male, g_birth,
                                        "孙子女", []))
                    elif kind in (G4P, G5P):
                        p_birth = max(birth - int((22 + 14 * rnd()) * year),
                                      today_ord - int((80 + 18 * rnd()) * year))
                        both = kind == G5P
                        if both or rnd() < 0.35:
                            members.append((surname + given(True, p_birth), True, p_birth,
                                            "父母", []))
                        if both or len(members) < size - 1:
                            m_birth = min(p_birth + int((5 * rnd() - 1) * year),
                                          today_ord - int(60 * year))
                            members.append((surnames[int(rnd() * n_surnames)]
                                            + given(False, m_birth), False, m_birth,
                                            "父母", []))
            pick = int(rnd() * len(members)) if disabled else -1
            for k, (name, m_male, m_birth, relation, m_tags) in enumerate(members):
                if k == pick:
                    m_tags = [*m_tags, "残疾"]
                person(name, m_male, m_birth, relation, m_tags, ..., status, hid)

    # -- visits ----------------------------------------------------------------------

    def make_visits(self) -> list[dict[str, Any]]:
        rng = self.rng("visits")
        templates = {t["id"]: t for t in DEFAULT_TEMPLATES}
        elderly = templates.get(ELDERLY_CARE_TEMPLATE_ID)
        routine = next(t for t in DEFAULT_TEMPLATES if t["id"] != ELDERLY_CARE_TEMPLATE_ID)
        problem_options = _options(routine["fields"], "problem_category")
        requests = [r for r in names.REQUESTS if not problem_options or r[0] in problem_options]
        rows = []
        for hh in self.visited:
            grid = self.grids[hh.grid]
            for when in hh.times:
                worker = grid.worker_ids[0] if (len(grid.worker_ids) == 1
                                                or rng.random() < 0.8) \
                    else rng.choice(grid.worker_ids[1:])
                use_elderly = elderly is not None and (
                    "独居老人" in hh.tags or ("空巢老人" in hh.tags and rng.random() < 0.6))
                template = elderly if use_elderly and elderly is not None else routine
                problem = None
                if template is routine and rng.random() < (0.2 if hh.tags else 0.1):
                    problem = rng.choice(requests)
                info = _VisitInfo(hh, when, problem, self)
                answers = _fill_answers(template["fields"], rng, info)
                follow_up = bool(answers.get("follow_up_needed")) if template is routine \
                    else info.elderly_follow_up(answers)
                vid = _uuid(rng)
                rows.append({
                    "id": vid, "household_id": hh.id, "worker_id": worker,
                    "template_id": template["id"], "template_version": template["version"],
                    "visited_at": when, "answers": answers,
                    "notes": rng.choice(names.VISIT_NOTES) if rng.random() < 0.3 else None,
                    "follow_up": follow_up, "photos": [],
                })
                self.visit_meta[vid] = (hh, problem)
        rows.sort(key=lambda r: r["visited_at"])
        self.visits = rows
        return rows

    def paper_visits(self) -> Iterator[dict[str, Any]]:
        """The visits made on paper, typed in: one per household that has no visit made
        in the desk, at its ``last_visit_at`` (made lazily: the district has hundreds of
        thousands; they feed no ticket and no other generated row)."""
        rng = self.rng("paper-visits")
        routine = next(t for t in DEFAULT_TEMPLATES if t["id"] != ELDERLY_CARE_TEMPLATE_ID)
        grids = self.grids
        first = self.today.replace(day=1)
        for _ in range(2):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        since = dt.datetime.combine(first, dt.time(), tzinfo=SHANGHAI)
        for hid, grid_index, head, size, tags, when in self.paper:
            vid, worker = _uuid(rng), grids[grid_index].worker_ids[0]
            if when >= since:
                self.paper_recent.append({"id": vid, "worker_id": worker,
                                          "household_id": hid, "visited_at": when})
                self.paper_tags[hid] = tags
            yield {
                "id": vid, "household_id": hid,
                "worker_id": worker,
                "template_id": routine["id"], "template_version": routine["version"],
                "visited_at": when,
                "answers": {"interviewee": head, "people_at_home": min(size, 20),
                            "living_situation": "average", "problem_found": False,
                            "follow_up_needed": False},
                "notes": PAPER_NOTE, "follow_up": False, "photos": [],
            }
        self.paper = []

    # -- tickets and inbox -----------------------------------------------------------

    def tickets_and_messages(
        self,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        return _TicketMaker(self).make()

    # -- performance -----------------------------------------------------------------

    def performance(self) -> list[dict[str, Any]]:
        """Records of the current month and the two before, with figures computed by
        :mod:`gulou_desk.domain.performance` (as the server computes them) from the
        generated visits and ticket timelines.

        Except ``visits_due``: the rule needs every household's visit history, which the
        generator does not keep, so it makes up a plausible shortfall here; the seed then
        replaces every record's figures with the server's own computation
        (:func:`server.performance.refresh_seeded`), so that a record, the dashboard and
        an export show the same numbers.
        """
        rng = self.rng("performance")
        periods = []
        year, month = self.today.year, self.today.month
        for _ in range(3):
            periods.append(f"{year:04d}-{month:02d}")
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        current, previous, older = periods
        tags_of = {hh.id: hh.tags for hh in self.visited} | self.paper_tags
        visits_of: dict[str, list[dict[str, Any]]] = {}
        for v in itertools.chain(self.visits, self.paper_recent):
            visits_of.setdefault(v["worker_id"], []).append(v)
        events_of: dict[str, list[dict[str, Any]]] = {}
        for e in self.event_rows:
            events_of.setdefault(e["ticket_id"], []).append(e)
        tickets_of: dict[str, dict[str, dict[str, Any]]] = {}
        tickets = {t["id"]: t for t in self.ticket_rows}
        for e in self.event_rows:
            if e["kind"] in ("resolve", "accept"):
                tickets_of.setdefault(e["actor_id"], {})[e["ticket_id"]] = tickets[e["ticket_id"]]
        rows = []
        for k, wid in enumerate(self.worker_ids):
            worker = self.actors[wid]
            street = self.community_street[self.worker_community[k]]
            supervisor = self.actors[self.supervisor_of(street)]
            mine = tickets_of.get(wid, {})
            my_events = [e for tid in mine for e in events_of[tid]]
            for period in (older, previous, current):
                window = performance.month_window(period, self.today)
                done, key = performance.worker_visits(wid, visits_of.get(wid, ()), window,
                                                      tags_of)
                resolved, follow_ups, acceptances = performance.ticket_work(
                    wid, mine.values(), my_events, window)
                computed = performance.MonthlyFigures(
                    wid, window, tuple(v for _, v, _ in done), tuple(key), (),
                    tuple(resolved), tuple(follow_ups), tuple(acceptances))
                figures = computed.values()
                shortfall = rng.uniform(0.0, 0.5 if period == current else 0.3)
                visits = computed.visits_done
                figures["visits_due"] = visits + round(visits * shortfall) + rng.randint(0, 3)
                record: dict[str, Any] = {
                    "id": performance.record_id(wid, period), "worker_id": wid,
                    "period": period, "figures": figures, "self_assessment": None,
                    "score": None, "status": "draft", "supervisor_id": None,
                    "decision_comment": None, "history": [],
                }
                if period == current:
                    if rng.random() < 0.3:
                        record["self_assessment"] = rng.choice(names.SELF_ASSESSMENTS)
                    rows.append(record)
                    continue
                record["self_assessment"] = rng.choice(names.SELF_ASSESSMENTS)
                r = rng.random()
                path: tuple[str, ...]
                if period == previous:
                    path = ("submit", "approve") if r < 0.55 else ("submit",) if r < 0.75 \
                        else ("submit", "return") if r < 0.9 else ("submit", "return", "submit")
                else:
                    path = ("submit", "approve") if r < 0.85 else \
                        ("submit", "return", "submit", "approve") if r < 0.95 else \
                        ("submit", "return")
                score = performance.suggested_score(figures) + rng.uniform(-3, 3)
                when = self.now
                for action in path:
                    if action == "submit":
                        args: dict[str, Any] = {}
                        actor = worker
                    elif action == "approve":
                        args = {"score": round(min(100.0, max(60.0, score)), 1)}
                        if rng.random() < 0.75:
                            args["comment"] = rng.choice(names.APPROVE_COMMENTS)
                        actor = supervisor
                    else:
                        args = {"comment": rng.choice(names.RETURN_COMMENTS)}
                        actor = supervisor
                    step = workflows.performance_step(record, action, args, actor, when)
                    record.update(step.changes)
                    # What the server writes beside the step (server/push.py).
                    if action != "submit":
                        record["supervisor_id"] = actor.id
                    entry: dict[str, Any] = {"action": action, "actor_id": actor.id,
                                             "at": when.isoformat(timespec="seconds")}
                    entry.update({k: args[k] for k in ("comment", "score") if k in args})
                    record["history"] = [*record["history"], entry]
                rows.append(record)
        return rows


def _batches(entity: str, rows: Iterable[dict[str, Any]]) -> Iterator[Batch]:
    """The rows in batches of :data:`BATCH_SIZE` (a list, or made lazily)."""
    it = iter(rows)
    while batch := list(itertools.islice(it, BATCH_SIZE)):
        yield Batch(entity, batch)


# --- visit answers ----------------------------------------------------------------------


def _options(fields: list[dict[str, Any]], key: str) -> list[str]:
    for f in fields:
        if f.get("key") == key:
            return [o["value"] for o in f.get("options") or []]
    return []


class _VisitInfo:
    """What the answer filler knows about one visit."""

    def __init__(self, hh: _VisitedHousehold, when: dt.datetime,
                 problem: tuple[str, ...] | None, gen: _Generator) -> None:
        self.hh = hh
        self.when = when
        self.problem = problem
        self.gen = gen

    def problem_text(self) -> str:
        assert self.problem is not None
        hh = self.hh
        return self.problem[2].format(estate=hh.estate, b=hh.building, u=hh.unit, room=hh.room)

    @staticmethod
    def elderly_follow_up(answers: dict[str, Any]) -> bool:
        return (answers.get("gas_check") == "hazard"
                or answers.get("electric_check") == "hazard"
                or answers.get("health_status") in ("poor", "bedridden")
                or answers.get("mood") in ("low", "anxious"))


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    r = rng.random() * sum(w for _, w in pairs)
    for value, w in pairs:
        r -= w
        if r < 0:
            return value
    return pairs[-1][0]


def _semantic_answer(key: str, rng: random.Random, info: _VisitInfo,
                     answers: dict[str, Any]) -> Any:
    """A realistic answer for the fields of the default templates (``...`` = unknown)."""
    hh = info.hh
    day = info.when.date()
    if key == "interviewee":
        return hh.head_name
    if key == "people_at_home":
        return rng.randint(1, max(1, hh.size))
    if key == "living_situation":
        if "低保" in hh.tags:
            return _weighted(rng, (("average", 0.5), ("difficult", 0.5)))
        return _weighted(rng, (("good", 0.62), ("average", 0.33), ("difficult", 0.05)))
    if key == "difficulty_detail":
        return rng.choice(names.DIFFICULTY_DETAILS)
    if key == "needs":
        pool = ["meal_aid", "medical", "housekeeping", "home_repair", "policy", "employment",
                "legal_aid", "counselling"]
        if rng.random() < 0.55:
            return []
        return rng.sample(pool, rng.randint(1, 2)) + (["other"] if rng.random() < 0.05 else [])
    if key == "needs_other":
        return "希望社区多组织老年人活动"
    if key == "problem_found":
        return info.problem is not None
    if key == "problem_category":
        return info.problem[0] if info.problem else ...
    if key == "problem_detail":
        return info.problem_text() if info.problem else ...
    if key == "follow_up_needed":
        return (info.problem is not None and rng.random() < 0.8) or rng.random() < 0.06
    if key == "follow_up_plan":
        return rng.choice(names.FOLLOW_UP_PLANS)
    if key in ("follow_up_date", "next_visit_date"):
        return (day + dt.timedelta(days=rng.randint(5, 21))).isoformat()
    if key == "remarks":
        return rng.choice(names.REMARKS) if rng.random() < 0.2 else None
    if key == "health_status":
        return _weighted(rng, (("good", 0.3), ("fair", 0.5), ("poor", 0.17),
                               ("bedridden", 0.03)))
    if key == "chronic_conditions":
        pool = ["hypertension", "diabetes", "heart", "stroke", "dementia"]
        return rng.sample(pool, _weighted_int(rng, (0.25, 0.45, 0.25, 0.05)))
    if key == "systolic_bp":
        return rng.randint(108, 172)
    if key == "diastolic_bp":
        return rng.randint(62, 102)
    if key == "mobility":
        if answers.get("health_status") == "bedridden":
            return "bedridden"
        return _weighted(rng, (("independent", 0.65), ("walking_aid", 0.25),
                               ("needs_help", 0.1)))
    if key == "takes_medication":
        return rng.random() < 0.8
    if key == "medication_list":
        return "、".join(rng.sample(names.MEDICATIONS, rng.randint(1, 3)))
    if key == "medication_on_time":
        return rng.random() < 0.85
    if key == "gas_check":
        return _weighted(rng, (("ok", 0.85), ("hazard", 0.07), ("no_gas", 0.08)))
    if key in ("gas_hazard_detail", "electric_hazard_detail"):
        return rng.choice(names.HAZARD_DETAILS)
    if key == "electric_check":
        return _weighted(rng, (("ok", 0.92), ("hazard", 0.08)))
    if key == "smoke_alarm":
        return _weighted(rng, (("working", 0.7), ("not_working", 0.1), ("none", 0.2)))
    if key == "fall_risk":
        return _weighted(rng, (("low", 0.45), ("medium", 0.4), ("high", 0.15)))
    if key == "fall_risk_factors":
        pool = ["slippery_floor", "poor_lighting", "no_grab_bars", "unsteady_gait",
                "recent_fall", "poor_eyesight"]
        return rng.sample(pool, rng.randint(1, 2))
    if key == "meal_needs":
        return _weighted(rng, (("none", 0.5), ("occasional", 0.3), ("daily", 0.2)))
    if key == "meal_delivery":
        return rng.random() < 0.5
    if key == "emergency_contact_name":
        return info.gen.person_name(rng, rng.random() < 0.5, rng.randint(1960, 1985),
                                    hh.head_name[0] if rng.random() < 0.6 else None)
    if key == "emergency_contact_phone":
        return _Generator.mobile(rng)
    if key == "emergency_contact_relation":
        return _weighted(rng, (("child", 0.75), ("relative", 0.12), ("neighbour", 0.1),
                               ("other", 0.03)))
    if key == "family_visit_frequency":
        return _weighted(rng, (("weekly", 0.4), ("monthly", 0.35), ("rarely", 0.2),
                               ("never", 0.05)))
    if key == "mood":
        return _weighted(rng, (("good", 0.45), ("normal", 0.4), ("low", 0.1),
                               ("anxious", 0.05)))
    if key == "mood_notes":
        return rng.choice(names.MOOD_NOTES)
    if key == "needs_detail":
        return rng.choice(names.NEEDS_DETAILS) if rng.random() < 0.3 else None
    return ...


def _weighted_int(rng: random.Random, weights: tuple[float, ...]) -> int:
    r = rng.random() * sum(weights)
    for i, w in enumerate(weights):
        r -= w
        if r < 0:
            return i
    return len(weights) - 1


def _generic_answer(f: dict[str, Any], rng: random.Random, info: _VisitInfo) -> Any:
    """A valid answer for any field definition (for fields this module does not know)."""
    type_ = f.get("type")
    options = [o["value"] for o in f.get("options") or []]
    if type_ in ("text", "long_text"):
        if f.get("pattern"):
            return _Generator.mobile(rng) if f.get("required") else None
        return "无"[: f.get("max_length") or 1]
    if type_ == "number":
        low, high = f.get("min", 0), f.get("max", max(10, f.get("min", 0) + 10))
        return rng.randint(math.ceil(low), math.floor(high)) if f.get("integer") else \
            round(rng.uniform(low, high), 1)
    if type_ == "choice":
        return options[0] if options and rng.random() < 0.6 else (rng.choice(options)
                                                                  if options else None)
    if type_ == "multi_choice":
        return [rng.choice(options)] if options and (f.get("required")
                                                     or rng.random() < 0.3) else []
    if type_ == "date":
        return (info.when.date() + dt.timedelta(days=7)).isoformat()
    if type_ == "yes_no":
        return rng.random() < 0.2
    return None


def _valid_shape(f: dict[str, Any], value: Any) -> bool:
    options = {o["value"] for o in f.get("options") or []}
    type_ = f.get("type")
    if type_ == "choice":
        return value in options
    if type_ == "multi_choice":
        return isinstance(value, list) and all(v in options for v in value)
    if type_ in ("text", "long_text"):
        return isinstance(value, str) and len(value) <= (f.get("max_length") or 200)
    if type_ == "number":
        return (isinstance(value, int | float) and not isinstance(value, bool)
                and f.get("min", -math.inf) <= value <= f.get("max", math.inf))
    if type_ == "yes_no":
        return isinstance(value, bool)
    return type_ == "date" and isinstance(value, str)


def _fill_answers(fields: list[dict[str, Any]], rng: random.Random,
                  info: _VisitInfo) -> dict[str, Any]:
    """Answers for every visible field (hidden ones skipped, as forms.visible_fields)."""
    answers: dict[str, Any] = {}
    shown: set[str] = set()
    for f in fields:
        key = f["key"]
        cond = f.get("show_if")
        if cond:
            target = cond.get("field")
            wanted = [cond["equals"]] if "equals" in cond else list(cond.get("in") or [])
            given = answers.get(target)
            given = given if isinstance(given, list) else [given]
            if target not in shown or not any(
                    g is w if isinstance(w, bool) or isinstance(g, bool) else g == w
                    for g in given for w in wanted):
                continue
        shown.add(key)
        if f.get("type") == "photo":
            continue
        value = _semantic_answer(key, rng, info, answers)
        if value is ... or (value is not None and not _valid_shape(f, value)):
            value = _generic_answer(f, rng, info)
        if value is None and f.get("required"):
            value = _generic_answer(f, rng, info)
        if value is not None and value != []:
            answers[key] = value
    return answers


# --- tickets and inbox messages ---------------------------------------------------------

_STATUS_WEIGHTS = {
    "new": 6, "assigned": 7, "accepted": 6, "in_progress": 10, "waiting": 4,
    "resolved": 12, "closed": 38, "returned": 4, "merged": 7, "cancelled": 6,
}
# Days before now that a ticket of each final status was created.
_STATUS_AGE = {
    "new": (0.02, 2.0), "assigned": (0.1, 4.0), "accepted": (0.3, 6.0),
    "in_progress": (1.0, 25.0), "waiting": (2.0, 30.0), "returned": (0.5, 10.0),
    "resolved": (1.0, 12.0), "closed": (3.0, None), "merged": (1.0, None),
    "cancelled": (1.0, None),
}
_CATEGORY_WEIGHTS = {
    "municipal": 15, "sanitation": 14, "property": 18, "greening": 5, "parking": 7,
    "neighbour_dispute": 10, "elderly_care": 8, "public_safety": 5, "social_assistance": 5,
    "policy": 6, "certificate": 4, "other": 3,
}
_SOURCE_WEIGHTS = (("wechat", 78), ("wecom", 4), ("walk_in", 6), ("phone", 7), ("hotline", 5))
# Problems that several neighbours report (their messages get linked to one ticket).
_SHARED_PROBLEMS = frozenset({"municipal", "sanitation", "property", "greening", "parking",
                              "public_safety"})
_OPEN = records.OPEN_TICKET_STATUSES
_H = dt.timedelta(hours=1)


class _TicketMaker:
    """Tickets with their timelines, and the inbox messages around them."""

    def __init__(self, gen: _Generator) -> None:
        self.g = gen
        self.rng = gen.rng("tickets")
        self.spec = gen.spec
        self.now = gen.now
        self.limit = gen.now - dt.timedelta(minutes=1)
        self.window = gen.spec.history_days - 5
        self.messages: list[dict[str, Any]] = []
        self.tickets: list[dict[str, Any]] = []
        self.meta: dict[str, dict[str, Any]] = {}
        self.senders: dict[int, list[tuple[str, str]]] = {}
        self.requests_by_category: dict[str, list[tuple[str, ...]]] = {}
        for r in names.REQUESTS:
            self.requests_by_category.setdefault(r[0], []).append(r)
        self.grid_weights = [g.households for g in gen.grids]
        self.grid_cum = [sum(self.grid_weights[: i + 1]) for i in range(len(gen.grids))]

    # -- helpers -----------------------------------------------------------------

    def pick_grid(self) -> _Grid:
        r = self.rng.random() * self.grid_cum[-1]
        return self.g.grids[bisect.bisect_right(self.grid_cum, r)]

    def pick_request(self) -> tuple[str, ...]:
        cats = [c for c in _CATEGORY_WEIGHTS if c in self.requests_by_category]
        cat = _weighted(self.rng, tuple((c, float(_CATEGORY_WEIGHTS[c])) for c in cats))
        return self.rng.choice(self.requests_by_category[cat])

    def sender(self, grid: _Grid) -> tuple[str, str]:
        pool = self.senders.get(grid.index)
        if pool is None:
            rng = self.g.rng("senders", grid.index)
            pool = []
            for _ in range(30):
                sid = f"wxid_{rng.getrandbits(56):014x}"
                r = rng.random()
                if r < 0.5:
                    nick = rng.choice(names.NICKNAME_WORDS)
                elif r < 0.85 and grid.samples:
                    _, head, _, b, _, room, _, _ = rng.choice(grid.samples)
                    title = rng.choice(("阿姨", "叔叔", "女士", "先生", "奶奶", "爷爷", ""))
                    nick = f"{b}-{room} {head[0]}{title}"
                else:
                    nick = self.g.person_name(rng, rng.random() < 0.5, rng.randint(1955, 1995))
                pool.append((sid, nick.strip()))
            self.senders[grid.index] = pool
        return self.rng.choice(pool)

    def fill(self, text: str, sample: tuple[Any, ...]) -> str:
        _, _, estate, b, u, room, _, _ = sample
        return text.format(estate=estate, b=b, u=u, room=room)

    def worker_of(self, grid: _Grid) -> str:
        if len(grid.worker_ids) == 1 or self.rng.random() < 0.75:
            return grid.worker_ids[0]
        return self.rng.choice(grid.worker_ids[1:])

    def message(self, *, source: str, grid: _Grid | None, text: str, keyword: str | None,
                sent_at: dt.datetime, status: str, ticket_id: str | None = None,
                reason: str | None = None, sample: tuple[Any, ...] | None = None,
                reply_text: str | None = None) -> dict[str, Any]:
        rng = self.rng
        group_id = group_name = sender_id = sender_name = None
        if source in ("wechat", "wecom") and grid is not None:
            group_id = grid.wechat_group_id
            group_name = grid.name + ("居民群" if source == "wechat" else "企业微信群")
            sender_id, sender_name = self.sender(grid)
        else:
            keyword = None
            head = sample[1] if sample else self.g.person_name(rng, rng.random() < 0.5,
                                                               rng.randint(1950, 1995))
            title = rng.choice(("女士", "先生", "阿姨", "师傅"))
            if source == "walk_in":
                sender_name = head if rng.random() < 0.5 else head[0] + title
                text = rng.choice(names.WALK_IN_PREFIXES) + text
            elif source == "phone":
                phone = sample[7] if sample and sample[7] else _Generator.mobile(rng)
                sender_id, sender_name = phone, head[0] + title
                text = rng.choice(names.PHONE_PREFIXES) + text
            else:
                sender_name = "12345热线"
                text = rng.choice(names.HOTLINE_PREFIXES) + text
        sent_at = _whole(sent_at)
        message_id = _uuid(rng)
        row = {
            "id": message_id, "source": source, "group_id": group_id,
            "group_name": group_name, "grid_id": grid.id if grid else None,
            "sender_id": sender_id, "sender_name": sender_name, "text": text,
            "keyword": keyword, "sent_at": sent_at, "status": status, "ticket_id": ticket_id,
            "reason": reason, "reply_text": reply_text, "urgent": False,
            # As the intake records it: the community of the grid the group is mapped to.
            "community_id": self.g.communities[grid.community]["id"] if grid else None,
            # A dismissed message was dismissed within the day (the delay from the id, so
            # that the random sequence of the rest is as before).
            "dismissed_at": sent_at + dt.timedelta(minutes=20 + int(message_id[4:8], 16) % 300)
            if status == "dismissed" else None,
            # The thread of replies: the community's dispatcher answered within the hour
            # (the delay from the id, so that the random sequence of the rest is as before).
            "replies": [{
                "text": reply_text,
                "by": self.g.dispatcher_of(grid.community) if grid else None,
                "at": (sent_at + dt.timedelta(minutes=3 + int(message_id[:4], 16) % 50)
                       ).isoformat(timespec="seconds"),
            }] if reply_text else [],
        }
        self.messages.append(row)
        return row

    # -- tickets -----------------------------------------------------------------

    def new_ticket(self, *, grid: _Grid, request: tuple[str, ...], created_at: dt.datetime,
                   creator: str, source: str, sample: tuple[Any, ...],
                   household_id: str | None, visit_id: str | None,
                   description: str, ticket_id: str | None = None,
                   ) -> tuple[dict[str, Any], list[list[Any]]]:
        category, _, _, title, _, priority = request
        created_at = _whole(created_at)
        if category not in sla.CATEGORY_BY_CODE:
            category = "other"
        t = {f.name: f.empty_value() for f in records.TICKET.fields}
        t.update(workflows.new_ticket_fields(category, created_at, priority=priority,
                                             created_by_id=creator, source=source))
        t.update(
            id=ticket_id or _uuid(self.rng), title=self.fill(title, sample)[:128],
            description=description, household_id=household_id, visit_id=visit_id,
            grid_id=grid.id, created_by_id=creator, created_at=created_at,
            assignee_id=None, resolution=None, satisfaction=None, merged_into_id=None,
            escalated=False, paused_at=None,
        )
        events: list[list[Any]] = [["created", creator,
                                    (description[:200] if source != "visit" else t["title"]),
                                    created_at, {}]]
        self.meta[t["id"]] = {"grid": grid, "request": request, "events": events,
                              "attached": [], "terminal": None, "sample": sample}
        self.tickets.append(t)
        return t, events

    def step(self, t: dict[str, Any], action: str, args: dict[str, Any], actor_id: str,
             at: dt.datetime) -> None:
        at = _whole(at)
        st = workflows.ticket_step(t, action, args, self.g.actors[actor_id], at)
        # The event's data as the server writes it (server/push.py): the due time a step
        # moved, the satisfaction of a follow-up call.
        data: dict[str, Any] = {}
        if "due_at" in st.changes and st.changes["due_at"] != t.get("due_at") \
                and st.changes["due_at"] is not None:
            data["due_at"] = records.format_datetime(st.changes["due_at"])
        if "satisfaction" in args:
            data["satisfaction"] = args["satisfaction"]
        t.update(st.changes)
        meta = self.meta[t["id"]]
        if st.event_kind:
            meta["events"].append([st.event_kind, actor_id, st.event_body, at, data])
        if t["status"] in ("closed", "cancelled", "merged") and meta["terminal"] is None:
            meta["terminal"] = at

    def plan(self, t: dict[str, Any], status: str, assignee: str,
             dispatcher: str) -> list[tuple[str, dict[str, Any], str, float]]:
        """The steps (action, args, actor, hours after the previous step) to ``status``."""
        rng = self.rng
        meta = self.meta[t["id"]]
        request = meta["request"]
        category = t["category"]
        grid = meta["grid"]
        sla_hours = sla.sla_days(category, priority=t["priority"]) * 24
        steps: list[tuple[str, dict[str, Any], str, float]] = []

        def add(action: str, args: dict[str, Any], actor: str, lo: float, hi: float) -> None:
            steps.append((action, args, actor, rng.uniform(lo, hi)))

        from_visit = t["status"] == "assigned"
        if not from_visit and rng.random() < 0.5:
            add("triage", {"category": category, "priority": t["priority"]}, dispatcher,
                0.1, 1.5)
        if status == "new":
            return steps

        def assign(who: str) -> None:
            add("assign", {"assignee_id": who}, dispatcher, 0.2, 6)

        if not from_visit and status not in ("merged", "cancelled"):
            assign(assignee)
        if status in ("merged", "cancelled"):
            if not from_visit and rng.random() < 0.35:
                assign(assignee)
                if rng.random() < 0.4:
                    add("accept", {}, assignee, 0.2, 8)
            action, args = ("cancel", {"reason": rng.choice(names.CANCEL_REASONS)}) \
                if status == "cancelled" else ("merge", {})
            add(action, args, dispatcher, 1, 48)
            return steps
        if status == "assigned":
            return steps
        if status == "returned":
            if rng.random() < 0.4:
                add("accept", {}, assignee, 0.2, 8)
            add("return", {"reason": rng.choice(names.RETURN_REASONS)}, assignee, 1, 24)
            return steps
        worker = assignee
        if status == "closed" and rng.random() < 0.06 and len(grid.worker_ids) > 1:
            add("return", {"reason": rng.choice(names.RETURN_REASONS)}, assignee, 1, 24)
            worker = next(w for w in grid.worker_ids if w != assignee)
            assign(worker)
        add("accept", {}, worker, 0.2, 10)
        if status == "accepted":
            return steps
        if status == "waiting" and rng.random() < 0.3:
            add("wait", {"reason": rng.choice(names.WAIT_COMMENTS)}, worker, 1, 24)
            return steps
        add("start", {}, worker, 0.1, 24)
        if rng.random() < 0.5:
            add("comment", {"body": rng.choice(names.PROGRESS_COMMENTS)}, worker, 1, 30)
        if status in ("in_progress", "resolved", "closed") and rng.random() < 0.06:
            days = rng.randint(2, 5)
            add("request_extension", {"days": days, "reason": "需协调多个部门，申请延期"},
                worker, 2, 24)
            add("approve_extension", {"days": days, "comment": "同意延期"},
                self.g.supervisor_of(grid.street), 1, 12)
        if status == "waiting":
            add("wait", {"reason": rng.choice(names.WAIT_COMMENTS)}, worker, 1, 24)
            return steps
        if status in ("resolved", "closed") and rng.random() < 0.12:
            add("wait", {"reason": rng.choice(names.WAIT_COMMENTS)}, worker, 1, 24)
            add("resume", {}, worker, 20, 96)
        reworked = status in ("in_progress", "closed") and rng.random() < (
            0.25 if status == "in_progress" else 0.08)
        if status == "in_progress" and not reworked:
            return steps
        add("resolve", {"resolution": request[4]}, worker, 2, max(4.0, sla_hours * 0.7))
        if reworked:
            if rng.random() < 0.5:
                add("close", {"satisfaction": "dissatisfied",
                              "comment": "回访：居民表示问题未解决，发回重办"},
                    dispatcher, 12, 72)
            else:
                add("reopen", {"reason": rng.choice(names.REOPEN_REASONS)}, dispatcher,
                    12, 72)
            add("accept", {}, worker, 0.2, 8)
            add("start", {}, worker, 0.1, 12)
            if status == "in_progress":
                return steps
            add("resolve", {"resolution": request[4]}, worker, 4, 72)
        if status == "resolved":
            return steps
        satisfaction = "satisfied" if rng.random() < 0.8 else "basically_satisfied"
        add("close", {"satisfaction": satisfaction,
                      "comment": "回访：居民" + ("满意" if satisfaction == "satisfied"
                                               else "基本满意")},
            dispatcher, 12, 72)
        return steps

    def run(self, t: dict[str, Any], steps: list[tuple[str, dict[str, Any], str, float]],
            limit: dt.datetime) -> None:
        """Apply the steps from the ticket's creation, squeezed to end before ``limit``."""
        start = t["created_at"]
        total = sum(h for *_, h in steps)
        room = (limit - start) / _H
        scale = min(1.0, room * 0.92 / total) if total > 0 else 1.0
        at = start
        grid = self.meta[t["id"]]["grid"]
        escalator = self.g.supervisor_of(grid.street)
        for action, args, actor, hours in steps:
            nxt = _whole(at + dt.timedelta(hours=hours * scale))
            if nxt >= limit:
                nxt = _whole(at + (limit - at) / 2)
            moved = self.awake(nxt, actor)
            if moved < limit:
                nxt = moved
            self.maybe_escalate(t, at, nxt, escalator)
            if action == "merge":
                self.merge_into(t, args, actor, nxt)
                at = nxt
                continue
            self.step(t, action, args, actor, nxt)
            at = nxt
        self.maybe_escalate(t, at, self.limit, escalator)
        self.meta[t["id"]]["last_at"] = at

    def awake(self, moment: dt.datetime, actor_id: str) -> dt.datetime:
        """The moment, or the start of the actor's next working hours if it is outside them.

        The office works 08:00–19:00; social workers answer on their phones 07:00–22:30.
        """
        office = self.g.staff_by_id[actor_id]["role"] != "social_worker"
        start, end = (8.0, 19.0) if office else (7.0, 22.5)
        hour = moment.hour + moment.minute / 60
        if start <= hour < end:
            return moment
        day = moment.date() if hour < start else moment.date() + dt.timedelta(days=1)
        return _whole(dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI)
                      + dt.timedelta(hours=start + 2.5 * self.rng.random()))

    def maybe_escalate(self, t: dict[str, Any], after: dt.datetime, before: dt.datetime,
                       supervisor: str) -> None:
        due = t["due_at"]
        if (t["status"] in _OPEN and not t["escalated"] and due is not None
                and due < before and self.rng.random() < 0.7):
            lo = max(after, due) + dt.timedelta(minutes=30)
            hi = min(before - dt.timedelta(minutes=5), lo + dt.timedelta(hours=36))
            if hi > lo:
                at = lo + (hi - lo) * self.rng.random()
                moved = self.awake(at, supervisor)
                at = moved if moved < before else at
                self.step(t, "escalate", {"body": self.rng.choice(names.ESCALATION_COMMENTS)},
                          supervisor, at)

    def merge_into(self, t: dict[str, Any], args: dict[str, Any], actor: str,
                   at: dt.datetime) -> None:
        survivor = self.meta[t["id"]]["survivor"]
        self.step(t, "merge", {"into_id": survivor["id"]}, actor, at)
        smeta = self.meta[survivor["id"]]
        event: list[Any] = ["merged_in", actor, None, at, {}]
        smeta["events"].append(event)
        smeta.setdefault("merged_in", []).append((event, t))
        smeta["attached"].extend((at, mid) for _, mid in self.meta[t["id"]]["attached"])

    # -- the whole set -----------------------------------------------------------

    def make(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        rng = self.rng
        spec = self.spec
        total = spec.tickets
        statuses = list(_STATUS_WEIGHTS)
        quota = dict(zip(statuses, _apportion(
            total, [float(_STATUS_WEIGHTS[s]) for s in statuses], [1] * len(statuses),
            [total] * len(statuses)), strict=True))

        # 1. Tickets raised on visits (the worker creates them; they start assigned).
        visit_rows = [v for v in self.g.visits if self.g.visit_meta[v["id"]][1] is not None]
        visit_budget = int(total * 0.3)
        for v in visit_rows:
            if visit_budget <= 0 or rng.random() >= 0.85:
                continue
            hh, request = self.g.visit_meta[v["id"]]
            assert request is not None
            created = v["visited_at"] + dt.timedelta(hours=rng.uniform(0.5, 4))
            if created >= self.limit:
                continue
            age = (self.now - created) / dt.timedelta(days=1)
            fits = [s for s in statuses if s not in ("new", "merged") and quota[s] > 1
                    and _STATUS_AGE[s][0] <= age <= (_STATUS_AGE[s][1] or self.window + 5)]
            if not fits:
                continue
            status = _weighted(rng, tuple((s, float(quota[s])) for s in fits))
            quota[status] -= 1
            visit_budget -= 1
            grid = self.g.grids[hh.grid]
            sample = (hh.id, hh.head_name, hh.estate, hh.building, hh.unit, hh.room,
                      hh.tags, None)
            t, _ = self.new_ticket(
                grid=grid, request=request, created_at=created, creator=v["worker_id"],
                source="visit", sample=sample, household_id=hh.id, visit_id=v["id"],
                description="走访发现：" + v["answers"].get("problem_detail",
                                                        self.fill(request[2], sample)))
            # As the server does for a worker's ticket: assigned to its creator at once.
            t.update(status="assigned", assignee_id=v["worker_id"])
            self.meta[t["id"]]["final"] = status

        # 2. Tickets converted from inbox messages.
        merged_count = quota.pop("merged")
        pending: list[str] = [s for s, n in quota.items() for _ in range(n)]
        rng.shuffle(pending)
        for status in pending:
            lo, hi = _STATUS_AGE[status]
            age = rng.uniform(lo, hi or self.window)
            created = self.now - dt.timedelta(days=age)
            if not 8 <= created.hour < 19:  # the office converts messages by day
                created = created.replace(hour=rng.randint(8, 11))
                if created >= self.limit:
                    created -= dt.timedelta(days=1)
            self.message_ticket(status, created)

        # Tickets of decided consultations (民主协商): the decision became work.
        for d in self.g.participation.decision_tickets:
            c = d["consultation"]
            grid = d["grid"]
            request = (d["category"], "", c["decision"], d["title"], "已按协商决定落实完毕",
                       "normal")
            t, events = self.new_ticket(
                grid=grid, request=request, created_at=d["created_at"], creator=d["creator"],
                source="consultation", sample=grid.samples[0], household_id=None,
                visit_id=None, description=c["decision"], ticket_id=d["id"])
            # The created event as the server writes it for a decision's ticket.
            events[0][2] = f"{c['code']} {c['topic']}"
            events[0][4] = {"consultation_id": c["id"]}
            self.meta[t["id"]]["final"] = d["final"]

        # Timelines of everything so far.
        for t in list(self.tickets):
            meta = self.meta[t["id"]]
            grid = meta["grid"]
            assignee = t["assignee_id"] or self.worker_of(grid)
            dispatcher = self.g.dispatcher_of(grid.community)
            self.run(t, self.plan(t, meta["final"], assignee, dispatcher), self.limit)

        # 3. Duplicates merged into a ticket that was still open.
        survivors = [t for t in self.tickets if self.meta[t["id"]]["final"] not in
                     ("new", "cancelled") and t["source"] != "consultation"]
        for _ in range(merged_count):
            for _attempt in range(30):
                survivor = rng.choice(survivors)
                smeta = self.meta[survivor["id"]]
                end = smeta["terminal"] or self.limit
                open_until = min(end, self.limit) - dt.timedelta(hours=1)
                created = survivor["created_at"] + dt.timedelta(hours=rng.uniform(0.5, 72))
                if created + dt.timedelta(hours=1) < open_until:
                    break
            else:
                continue
            grid = smeta["grid"]
            moved = self.awake(created, self.g.dispatcher_of(smeta["grid"].community))
            created = moved if moved + dt.timedelta(hours=1) < open_until else created
            t = self.message_ticket("merged", created, grid=grid, request=smeta["request"],
                                    sample=smeta["sample"])
            self.meta[t["id"]]["survivor"] = survivor
            steps = self.plan(t, "merged", self.worker_of(grid),
                              self.g.dispatcher_of(grid.community))
            self.run(t, steps, open_until)

        # 4. Neighbours reporting the same problem: linked messages.
        for t in list(self.tickets):
            meta = self.meta[t["id"]]
            if (t["source"] not in ("wechat", "wecom") or t["status"] == "merged"
                    or t["category"] not in _SHARED_PROBLEMS or rng.random() >= 0.3):
                continue
            end = min(meta["terminal"] or self.limit, self.limit)
            for _ in range(rng.randint(1, 3)):
                lo = t["created_at"] + dt.timedelta(minutes=20)
                if end - lo < dt.timedelta(minutes=30):
                    break
                link_at = _whole(lo + (end - lo) * rng.random())
                actor = self.g.dispatcher_of(meta["grid"].community)
                moved = self.awake(link_at, actor)
                link_at = moved if moved < end else link_at
                sent_at = max(t["created_at"] + dt.timedelta(minutes=5),
                              link_at - dt.timedelta(hours=rng.uniform(0.05, 6)))
                text = rng.choice(("+1，", "同样的问题，", "我家这边也是，", "楼上说的情况属实，",
                                   "麻烦快点处理，")) + self.fill(meta["request"][2],
                                                              meta["sample"])
                m = self.message(source="wechat", grid=meta["grid"], text=text,
                                 keyword=meta["request"][1], sent_at=sent_at, status="linked",
                                 ticket_id=t["id"])
                meta["events"].append(["linked", actor, text[:200], link_at, {}])
                meta["attached"].append((link_at, m["id"]))

        # 5. Messages that did not become tickets.
        rest = max(0, spec.inbox_messages - len(self.messages))
        for _ in range(int(rest * 0.4)):
            keyword, text = rng.choice(names.NOT_REQUESTS)
            self.message(source="wechat", grid=self.pick_grid(), text=text, keyword=keyword,
                         sent_at=self.g.day_time(rng, self.window),
                         status="dismissed", reason=rng.choice(names.DISMISS_REASONS))
        for _ in range(int(rest * 0.32)):
            keyword, question, answer = rng.choice(names.ANSWERED)
            self.message(source="wechat", grid=self.pick_grid(), text=question,
                         keyword=keyword, sent_at=self.g.day_time(rng, self.window),
                         status="answered", reply_text=answer)
        new_count = rest - int(rest * 0.4) - int(rest * 0.32)
        for k in range(new_count):
            request = self.pick_request()
            grid = self.pick_grid()
            sample = rng.choice(grid.samples)
            source = "hotline" if k % 12 == 5 else "wechat"
            sent = self.now - dt.timedelta(hours=rng.uniform(0.2, 72))
            self.message(source=source, grid=None if source == "hotline" and k % 24 == 5
                         else grid, text=self.fill(request[2], sample), keyword=request[1],
                         sent_at=sent, status="new", sample=sample)

        # Numbers in order of creation; survivors learn the numbers merged into them.
        self.tickets.sort(key=lambda t: t["created_at"])
        per_day: dict[str, int] = {}
        for t in self.tickets:
            day = t["created_at"].astimezone(SHANGHAI).strftime("%Y%m%d")
            per_day[day] = per_day.get(day, 0) + 1
            t["number"] = f"GL{day}{per_day[day]:04d}"
        events_out: list[dict[str, Any]] = []
        erng = self.g.rng("ticket-events")
        ticket_rows = []
        for t in self.tickets:
            meta = self.meta[t["id"]]
            for event, merged in meta.get("merged_in", ()):
                event[2] = merged["number"]
            t["source_message_ids"] = [mid for _, mid in sorted(meta["attached"],
                                                                key=lambda a: a[0])]
            ticket_rows.append({name: t[name] for name in ("id", *records.TICKET.field_names)})
            for kind, actor, body, at, data in sorted(meta["events"], key=lambda e: e[3]):
                events_out.append({"id": _uuid(erng), "ticket_id": t["id"],
                                   "actor_id": actor, "kind": kind, "body": body, "at": at,
                                   "data": data})
        self.messages.sort(key=lambda m: m["sent_at"])
        return self.messages, ticket_rows, events_out

    def message_ticket(self, status: str, created: dt.datetime, *, grid: _Grid | None = None,
                       request: tuple[str, ...] | None = None,
                       sample: tuple[Any, ...] | None = None) -> dict[str, Any]:
        """A ticket converted from a new inbox message (which is made here too)."""
        rng = self.rng
        grid = grid or self.pick_grid()
        request = request or self.pick_request()
        if sample is None or rng.random() < 0.5:
            sample = rng.choice(grid.samples)
        source = _weighted(rng, tuple((s, float(w)) for s, w in _SOURCE_WEIGHTS))
        if status == "merged":
            source = "wechat"
        if request[0] == "elderly_care" and request[1] == "无人应答":
            alone = [s for s in grid.samples if "独居老人" in s[6]]
            sample = rng.choice(alone) if alone else sample
        text = self.fill(request[2], sample)
        lead = {"wechat": (2, 240), "wecom": (2, 240), "walk_in": (1, 20), "phone": (1, 15),
                "hotline": (30, 1440)}[source]
        sent_at = created - dt.timedelta(minutes=rng.uniform(*lead))
        tracked = source in ("walk_in", "phone", "hotline") or rng.random() < 0.45
        m = self.message(source=source, grid=grid, text=text, keyword=request[1],
                         sent_at=sent_at, status="converted", sample=sample)
        creator = self.g.dispatcher_of(grid.community)
        if source in ("wechat", "wecom") and rng.random() < 0.2:
            creator = self.worker_of(grid)
        t, _ = self.new_ticket(grid=grid, request=request, created_at=created,
                               creator=creator, source=source, sample=sample,
                               household_id=sample[0] if tracked else None, visit_id=None,
                               description=m["text"])
        m["ticket_id"] = t["id"]
        meta = self.meta[t["id"]]
        meta["final"] = status
        meta["attached"].append((created, m["id"]))
        return t
