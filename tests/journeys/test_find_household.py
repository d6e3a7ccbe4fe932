"""Journey (issue 10, item 1): a social worker finds a household the ways people ask for
one — by the head's name, by pinyin initials, by an address fragment (``12栋1单元``,
``12-1-302``) and by a phone typed with spaces (``189 4013 8000``); a household found
through a resident's name or phone says so in its row (``居民：张雪``).

What is looked for comes from what the server holds for this worker (the person knows
the names, addresses and phones of the people they serve), never from the local store.
"""

from __future__ import annotations

from typing import Any

from pypinyin import lazy_pinyin
from PySide6.QtWidgets import QTableView, QWidget

from tests.journeys.harness import Journey


def _search(journey: Journey, page: QWidget, table: QTableView, text: str) -> None:
    """Type into the register's search box and wait for the list to follow."""
    search = journey.field("姓名、拼音首字母（zs）、地址或电话", within=page)
    journey.type_into(search, text)
    model: Any = table.model()
    journey.wait_until(lambda: model.search_text == text and not model.loading,
                       what=f"the list searched for {text!r}")


def _rows(journey: Journey, table: QTableView, header: str) -> list[str]:
    model = table.model()
    rows = min(model.rowCount(), 20)
    journey.wait_until(lambda: all(model.index(r, 0).data() for r in range(rows)),
                       what="the rows read in")
    return journey.cells(table, journey.column(table, header), range(rows))


def _phone_groups(phone: str) -> str:
    """A mobile number as people say it and type it: 189 4013 8000."""
    return f"{phone[:3]} {phone[3:7]} {phone[7:]}"


def test_a_worker_finds_households_by_name_initials_address_and_phone(
    journey: Journey
) -> None:
    journey.start()
    journey.sign_in("worker1")
    page = journey.go_to("住户")
    table = journey.by_name("households_table", QTableView, within=page)
    journey.wait_until(lambda: table.model().rowCount() > 3, what="the households listed")
    journey.shot("the register")

    mine = journey.server.pull_as("worker1")
    households = {h["id"]: h for h in mine.all("household")}
    flats = sorted((h for h in households.values()
                    if all(str(h.get(k) or "").isdigit() for k in ("building", "unit", "room"))),
                   key=lambda h: (h["estate"], int(h["building"]), int(h["unit"]),
                                  int(h["room"])))
    assert flats, "worker1 serves households with building, unit and flat numbers"
    flat = flats[0]
    building, unit, room = flat["building"], flat["unit"], flat["room"]

    # By the head's name.
    _search(journey, page, table, flat["head_name"])
    assert flat["head_name"] in [n.split()[0] for n in _rows(journey, table, "户主")]
    journey.shot("found by the head's name")

    # By pinyin initials, narrowed by the building.
    initials = "".join(s[0] for s in lazy_pinyin(flat["head_name"]))
    _search(journey, page, table, f"{initials} {building}栋")
    heads = [n.split()[0] for n in _rows(journey, table, "户主")]
    assert flat["head_name"] in heads
    journey.shot("found by pinyin initials")

    # By an address fragment, written as on a door and as people jot it down.
    _search(journey, page, table, f"{building}栋{unit}单元")
    addresses = _rows(journey, table, "地址")
    assert addresses and all(f"{building}栋{unit}单元" in a for a in addresses)
    assert any(f"{building}栋{unit}单元{room}" in a for a in addresses)
    journey.shot("found by building and unit")
    _search(journey, page, table, f"{building}-{unit}-{room}")
    addresses = _rows(journey, table, "地址")
    assert addresses and all(f"{building}栋{unit}单元{room}" in a for a in addresses)
    assert flat["head_name"] in [n.split()[0] for n in _rows(journey, table, "户主")]
    journey.shot("found by 12-1-302")

    # By a resident's mobile typed in groups: the row says which resident it was.
    residents = [r for r in mine.all("resident")
                 if r["household_id"] in households and len(r.get("phone") or "") == 11
                 and r["phone"].isdigit() and r["name"] != households[r["household_id"]][
                     "head_name"]]
    assert residents, "worker1 serves residents with a mobile number"
    resident = residents[0]
    home = households[resident["household_id"]]
    _search(journey, page, table, _phone_groups(resident["phone"]))
    heads = _rows(journey, table, "户主")
    assert heads == [f"{home['head_name']}  居民：{resident['name']}"]
    journey.shot("found by a resident's phone typed with spaces")

    # By a resident's name: the row names the resident, not only the head.
    _search(journey, page, table, resident["name"])
    row = journey.row_of(table, f"居民：{resident['name']}")
    assert journey.cells(table, journey.column(table, "户主"), [row])[0].startswith(
        home["head_name"])
    journey.shot("found through a resident's name")

    # What the person found is what the office holds.
    office = journey.server.pull_as("supervisor1")
    held = office.get("household", home["id"])
    assert held is not None and held["head_name"] == home["head_name"]
    [held_resident] = [r for r in office.where("resident", household_id=home["id"])
                       if r["id"] == resident["id"]]
    assert held_resident["phone"] == resident["phone"]
    assert office.get("household", flat["id"])["room"] == room


def test_the_visit_filters_list_the_households_the_workbench_counts(journey: Journey) -> None:
    """工作台 said 超时 62 while 住户 filtered on 已超时 listed 63: a household that moved
    out (已迁出, nobody to visit) counted as overdue there, and under 待走访 and 本周到期
    too. The visit filters list the households people live in, as the visit plan does."""
    import re

    from PySide6.QtWidgets import QComboBox, QLabel

    journey.start()
    journey.sign_in("worker1")
    workbench = journey.go_to("工作台")
    summary = journey.by_name("planSummary", QLabel, within=workbench)
    journey.wait_until(lambda: "超时" in summary.text(), what="the visit plan's figures")
    figures = {name: int(n) for name, n in re.findall(r"(超时|从未走访|今日到期) (\d+)",
                                                      summary.text())}
    assert set(figures) == {"超时", "从未走访", "今日到期"}, summary.text()
    journey.shot("the visit plan's figures")

    page = journey.go_to("住户")
    table = journey.by_name("households_table", QTableView, within=page)
    count = journey.by_name("households_count", QLabel, within=page)
    visit = journey.by_name("filterVisit", QComboBox, within=page)
    model: Any = table.model()
    moved_out = {h["id"] for h in journey.server.pull_as("clerk1").all("household")
                 if h["status"] != "active"}
    assert moved_out  # the demo has households that moved out
    for choice, expected in (("已超时", figures["超时"]), ("待走访", sum(figures.values()))):
        journey.choose(visit, choice)
        journey.wait_until(lambda e=expected: count.text() == f"共 {e} 户"  # type: ignore[misc]
                           and not model.loading,
                           what=f"{choice}: {expected} households, as 工作台 counts "
                                f"(the list says {count.text()!r})")
        states = journey.cells(table, journey.column(table, "状态"), range(
            min(model.rowCount(), 20)))
        assert set(states) == {"在住"}, states
        journey.shot(f"the households {choice}")
