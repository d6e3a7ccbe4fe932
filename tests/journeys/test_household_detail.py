"""Journeys of one household's page (issue 10 items 6 and 7).

- The address is one fact: a social worker corrects the building and the room of a
  household; the list, the detail pane and the server then all say the same address,
  made from those parts (today the parts change and the shown address keeps the old flat).
- The detail pane at the laptop's size shows every resident of a big household (the pane
  scrolls, not the page sideways), and 姓名/关系/状态 are read without scrolling sideways.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QTableView, QWidget

from tests.journeys.harness import Journey, JourneyFailure
from ui.households.detail import HouseholdDetail
from ui.households.dialogs import RecordDialog


def _shown(widget: QWidget) -> bool:
    try:
        return widget.isVisible()
    except RuntimeError:  # closed and deleted
        return False


def open_households(journey: Journey) -> QTableView:
    page = journey.go_to("住户")
    table = journey.by_name("households_table", QTableView, within=page)
    journey.wait_until(lambda: table.model().rowCount() > 3, what="the households listed")
    return table


def find_household(journey: Journey, table: QTableView, head: str) -> HouseholdDetail:
    """Scroll the list to the household of ``head``, click it; returns the detail pane.
    (Not through the search box: typing Chinese needs an input method, which the
    offscreen platform has not.)"""
    head_column = journey.column(table, "户主")
    row = journey.row_of(table, head, column=head_column)
    journey.click_row(table, row, head_column)
    detail = journey.by_name("household_detail", HouseholdDetail, within=table.window())
    journey.wait_until(lambda: detail.details is not None
                       and detail.details.household["head_name"] == head
                       and head in detail.title_label.text(),
                       what=f"{head}'s household shown beside the list")
    return detail


def test_the_address_follows_its_parts_in_the_list_the_pane_and_on_the_server(
    journey: Journey
) -> None:
    journey.start()
    window = journey.sign_in("worker1")
    mine = journey.server.pull_as("worker1").all("household")
    # A household whose head's name is its own in this area (the search finds only it).
    names = Counter(h["head_name"] for h in mine)
    household = next(h for h in sorted(mine, key=lambda h: h["id"])
                     if names[h["head_name"]] == 1 and h["building"] and h["address"])
    head = household["head_name"]
    table = open_households(journey)
    detail = find_household(journey, table, head)
    before = f"{household['estate']} {household['building']}栋{household['unit']}单元" \
        f"{household['room']}室"
    assert detail.address_label.text() == before  # as the list says it
    journey.shot("the household before the correction")

    journey.click("编辑住户", within=window)
    dialog = journey.dialog(kind=RecordDialog)
    journey.type_into("楼栋", "88", within=dialog)
    journey.type_into("室", "1201", within=dialog)
    journey.shot("building and room corrected")
    journey.click("保存", within=dialog)
    journey.wait_until(lambda: not _shown(dialog), what="the household saved")

    full = household["address"].replace(
        f"{household['building']}栋{household['unit']}单元{household['room']}室",
        f"88栋{household['unit']}单元1201室")
    assert full != household["address"]
    expected = f"{household['estate']} 88栋{household['unit']}单元1201室"
    address_column = journey.column(table, "地址")
    journey.wait_until(lambda: detail.address_label.text() == expected,
                       what="the pane showing the new address")
    assert detail.address_label.toolTip() == full  # the full postal address, on demand
    journey.wait_until(lambda: _listed_address(table, head) == expected,
                       what="the list showing the new address")
    row = journey.row_of(table, head, column=journey.column(table, "户主"))
    assert journey.cells(table, address_column, [row]) == [expected]
    journey.shot("the list and the pane say the same address")

    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)
    journey.wait_until(lambda: window.status_bar.pending_count == 0, what="the edit sent")
    held = journey.server.pull_as("supervisor1").get("household", household["id"])
    assert held is not None
    assert (held["building"], held["room"], held["address"]) == ("88", "1201", full)
    # After the sync the app shows what the server holds: the same address.
    assert detail.address_label.text() == expected
    journey.shot("synced: the server holds the same address")


def _listed_address(table: QTableView, head: str) -> object:
    """The address the list shows beside ``head`` (the row moves: the list is in address
    order)."""
    model = table.model()
    head_column = next(c for c in range(model.columnCount())
                       if model.headerData(c, Qt.Orientation.Horizontal) == "户主")
    address_column = next(c for c in range(model.columnCount())
                          if model.headerData(c, Qt.Orientation.Horizontal) == "地址")
    for row in range(model.rowCount()):
        if model.index(row, head_column).data() == head:
            return model.index(row, address_column).data()
    return None


def _biggest_household(journey: Journey) -> tuple[str, int]:
    """The head of worker1's household with the most residents (named once), and how many."""
    view = journey.server.pull_as("worker1")
    sizes = Counter(r["household_id"] for r in view.all("resident"))
    names = Counter(h["head_name"] for h in view.all("household"))
    households = {h["id"]: h for h in view.all("household")}
    hid, size = max(((hid, n) for hid, n in sizes.items()
                     if names[households[hid]["head_name"]] == 1),
                    key=lambda item: (item[1], item[0]))
    return households[hid]["head_name"], size


def test_every_resident_of_a_big_household_can_be_read_in_the_pane(journey: Journey) -> None:
    journey.start()
    window = journey.sign_in("worker1")
    head, size = _biggest_household(journey)
    assert size >= 5
    table = open_households(journey)
    detail = find_household(journey, table, head)
    residents = journey.by_name("residents_table", QTableView, within=detail)
    journey.wait_until(lambda: residents.model().rowCount() == size,
                       what=f"the {size} residents listed")
    journey.shot("a big household beside the list")

    # The pane is what scrolls; the residents' list shows every row at once.
    area = next((w for w in _ancestors(residents) if isinstance(w, QScrollArea)), None)
    if area is None or not detail.isAncestorOf(area):
        raise JourneyFailure("the detail pane does not scroll: residents out of reach")
    columns = [journey.column(residents, name) for name in ("姓名", "关系", "状态")]
    names = []
    for row in range(size):
        index = residents.model().index(row, columns[0])
        rect = residents.visualRect(index)
        assert residents.viewport().rect().contains(rect), f"row {row} hidden in the list"
        area.ensureWidgetVisible(residents, 0, 0)
        journey.settle(10)
        cell = residents.viewport().mapTo(window, rect.center())
        assert window.rect().contains(cell), f"resident {row} outside the window"
        names += journey.cells(residents, columns[0], [row])
        for column in columns[1:]:
            assert journey.cells(residents, column, [row])[0]
    held = journey.server.pull_as("supervisor1")
    hid = detail.details.household["id"]  # type: ignore[union-attr]
    assert sorted(names) == sorted(r["name"] for r in held.all("resident")
                                   if r["household_id"] == hid)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())  # a person scrolls
    journey.settle(20)
    journey.shot("the pane scrolled to the end of the residents")


def _ancestors(widget: QWidget) -> list[QWidget]:
    out = []
    parent = widget.parentWidget()
    while parent is not None:
        out.append(parent)
        parent = parent.parentWidget()
    return out


def test_a_households_last_visit_is_one_of_its_visits(journey: Journey) -> None:
    """Issue 10 item 13: a household whose 上次走访 is set lists that visit in 走访记录
    (today most demo households show a date and 走访记录（0）: paper visits had no record)."""
    journey.start()
    journey.sign_in("worker1")
    table = open_households(journey)
    head_column = journey.column(table, "户主")
    last_column = journey.column(table, "上次走访")
    model = table.model()
    detail = journey.by_name("household_detail", HouseholdDetail, within=table.window())
    dated = [row for row in range(min(model.rowCount(), 40))
             if str(model.index(row, last_column).data() or "—") != "—"][:6]
    assert len(dated) >= 5, "few households with a last visit in the list"
    for row in dated:
        journey.click_row(table, row, head_column)
        [head] = journey.cells(table, head_column, [row])
        [listed] = journey.cells(table, last_column, [row])  # on screen at 1024×700 too
        journey.cells(table, journey.column(table, "状态"), [row])
        journey.wait_until(lambda h=head: _shows(detail, h),  # type: ignore[misc]
                           what=f"{head}'s household shown")
        history = detail.history
        journey.wait_until(lambda: detail.history.data is not None
                           and detail.details is not None
                           and detail.history.data.household_id == detail.details.id,
                           what="its visits read")
        shown = detail.field_values["last_visit_at"].text()
        assert shown.startswith(listed[:10]), (shown, listed)  # the pane says what the list says
        visits = history.visits
        assert history.tabs.tabText(0) != "走访记录（0）", head
        newest = visits.item(0).text()
        assert newest.startswith(shown[:16]), (head, newest, shown)
    journey.shot("the last visit is the newest of the visits listed")
    held = journey.server.pull_as("supervisor1")
    hid = detail.details.household["id"]  # type: ignore[union-attr]
    household = held.get("household", hid)
    assert household is not None
    assert max(v["visited_at"] for v in held.all("visit")
               if v["household_id"] == hid) == household["last_visit_at"]



def test_a_visit_just_made_is_the_households_last_visit_at_once(journey: Journey) -> None:
    """A social worker visits a household in the field (no network) and submits the
    visit: its 走访记录 listed the new visit at once, but 上次走访 just above it, and the
    list's 上次走访 column, kept the previous date until the person clicked another
    household and back. Both say the visit just made, at once, and the server says it
    too once the laptop is back online."""
    from tests.journeys import visit_steps

    journey.start()
    journey.sign_in("worker1")
    journey.server.stop()  # in the field
    table = open_households(journey)
    head, detail = visit_steps.open_household(journey, 0)
    assert isinstance(detail, HouseholdDetail)
    last_column = journey.column(table, "上次走访")
    before = detail.field_values["last_visit_at"].text()
    dialog = visit_steps.start_visit(journey, detail, visit_steps.ROUTINE)
    journey.type_into(visit_steps.field(journey, dialog, "interviewee"), head)
    journey.type_into(visit_steps.field(journey, dialog, "people_at_home"), "2")
    visit_steps.pick(journey, dialog, "living_situation", "良好")
    visit_steps.pick(journey, dialog, "problem_found", "否")
    visit_steps.pick(journey, dialog, "follow_up_needed", "否")
    visit_steps.submit(journey, dialog)
    visits = detail.history.visits
    journey.wait_until(lambda: "尚未上传" in visits.item(0).text(),
                       what="the visit listed in 走访记录, not sent yet")
    newest = visits.item(0).text()[:16]
    assert newest != before[:16], (newest, before)
    shown = detail.field_values["last_visit_at"]
    journey.wait_until(lambda: shown.text().startswith(newest),
                       what=f"上次走访 says the visit just made ({newest}), "
                            f"not {shown.text()!r}")
    row = journey.row_of(table, head, column=journey.column(table, "户主"))
    journey.wait_until(lambda: journey.cells(table, last_column, [row])[0] == newest[:10],
                       what=f"the list's 上次走访 says {newest[:10]}")
    journey.shot("the visit just made is the last visit, in the pane and the list")

    journey.server.restart()  # back in the office
    journey.send_now()
    held = journey.server.pull_as("clerk1")
    household = held.get("household", detail.details.household["id"])  # type: ignore[union-attr]
    assert household is not None
    assert household["last_visit_at"].replace("T", " ").startswith(newest[:10]), household


def _shows(detail: HouseholdDetail, head: str) -> bool:
    return detail.details is not None and detail.details.household["head_name"] == head


def test_a_households_cadence_says_the_days_its_care_tags_come_to(journey: Journey) -> None:
    """A household without a cadence of its own read 走访周期（天）: 按关怀标签, and a new
    worker had to know what that came to (every 7 days for 独居老人, 30 for 低保, 90
    without a tag). It says the days: 按关怀标签：每 90 天."""
    from gulou_desk.domain import cadence

    held = journey.server.pull_as("worker1")
    [me] = held.where("staff", username="worker1")
    mine = {g["id"] for g in held.all("grid") if me["id"] in (g.get("worker_ids") or [])}
    households = [h for h in held.all("household") if h.get("grid_id") in mine
                  and not h.get("visit_cadence_days") and h.get("status") == "active"]
    heads = Counter(h["head_name"] for h in held.all("household"))
    untagged = next(h for h in households if not h.get("tags") and heads[h["head_name"]] == 1)
    alone = next(h for h in households if "独居老人" in (h.get("tags") or [])
                 and heads[h["head_name"]] == 1)
    journey.start()
    journey.sign_in("worker1")
    table = open_households(journey)
    for household, days in ((untagged, 90), (alone, 7)):
        assert cadence.default_cadence_days(household.get("tags") or ()) == days
        detail = find_household(journey, table, household["head_name"])
        shown = detail.field_values["visit_cadence_days"]
        assert shown.text() == f"按关怀标签：每 {days} 天", shown.text()
        assert shown.width() >= shown.sizeHint().width(), shown.text()
    journey.shot("a household's cadence from its care tags, in days")
