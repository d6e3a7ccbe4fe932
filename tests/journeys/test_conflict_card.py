"""Journey: the conflict card says who changed the server's value and when (issue 10 item
12), and names the household by the address the list shows (item 6).

The office (clerk1) corrects a household's phone number; the social worker, who had not
synced since, types another one. The sync keeps the office's number and sets the
worker's aside as a conflict; the card says whose number is on the server and since when.
"""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtWidgets import QLabel, QTableView

from gulou_desk.records import SHANGHAI
from server.demo_data import DEMO_PASSWORD
from sync.client import ApiClient
from sync.wire import Mutation
from tests.journeys.harness import Journey
from ui.households.dialogs import RecordDialog

OFFICE_PHONE = "13951001234"
WORKER_PHONE = "13951005678"


def _office_sets_phone(journey: Journey, household: dict[str, object]) -> None:
    clerk = ApiClient(journey.server.url, retries=0)
    clerk.login("clerk1", DEMO_PASSWORD, "clerk-desk", "clerk desk")
    [result] = clerk.push("clerk-desk", [Mutation(
        mutation_id=str(uuid.uuid4()), entity="household", id=str(household["id"]),
        op="update", base_version=int(str(household["version"])),
        fields={"phone": OFFICE_PHONE})])
    assert result.status == "applied", result


def test_the_conflict_card_says_who_changed_the_servers_value_and_when(
    journey: Journey
) -> None:
    journey.start()
    window = journey.sign_in("worker1")
    page = journey.go_to("住户")
    table = journey.by_name("households_table", QTableView, within=page)
    head_column = journey.column(table, "户主")
    journey.click_row(table, 1, head_column)
    [head] = journey.cells(table, head_column, [1])
    [address] = journey.cells(table, journey.column(table, "地址"), [1])
    office = journey.server.pull_as("clerk1")
    [household] = [h for h in office.where("household", head_name=head)
                   if address.endswith(f"{h['building']}栋{h['unit']}单元{h['room']}室")]
    clerk_name = office.where("staff", username="clerk1")[0]["display_name"]
    _office_sets_phone(journey, household)

    journey.click("编辑住户", within=window)
    dialog = journey.dialog(kind=RecordDialog)
    journey.type_into("电话", WORKER_PHONE, within=dialog)
    journey.click("保存", within=dialog)
    seen = journey.syncs_finished
    journey.wait_until(lambda: window.status_bar.pending_count >= 1
                       or journey.syncs_finished > seen, what="the edit kept")
    journey.wait_until(window.status_bar.sync_button.isEnabled, what="no sync running")
    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)
    journey.shot("synced: a conflict found")

    conflicts = journey.go_to("冲突处理")
    author = journey.by_name("server_author", QLabel, within=conflicts)
    today = dt.datetime.now(SHANGHAI).strftime("%Y-%m-%d")
    assert author.text().startswith(f"由 {clerk_name} 于 {today} ")
    assert author.text().endswith(" 修改")
    journey.find(OFFICE_PHONE, within=conflicts)  # the server's value
    journey.find(WORKER_PHONE, within=conflicts)  # the worker's, kept
    record = journey.by_name("card_record", QLabel, within=conflicts)
    assert record.text() == f"住户 · {head} · {address}"  # the address as the list says it
    journey.shot("the card says who changed the server's value and when")

    held = journey.server.pull_as("supervisor1").get("household", str(household["id"]))
    assert held is not None and held["phone"] == OFFICE_PHONE
