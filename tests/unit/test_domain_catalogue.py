"""The district's catalogue as the desk and the server read it: entries over the built-in
SLAs, an inactive category retired, a priority's cap removable, canned replies in order."""

from __future__ import annotations

from gulou_desk.domain import catalogue, sla


def test_entries_override_the_built_in_slas_and_an_inactive_category_is_retired() -> None:
    table = catalogue.sla_table([
        {"kind": "category", "code": "sanitation", "sla_days": 8, "active": True},
        {"kind": "category", "code": "municipal", "sla_days": 9, "active": False},
        {"kind": "priority", "code": "high", "sla_days": 2, "active": True},
        {"kind": "priority", "code": "urgent", "sla_days": None, "active": True},
    ])
    assert table.days["sanitation"] == 8
    assert table.caps == {"high": 2}
    with sla.using(table):
        # A retired category keeps its name for the tickets that have it, takes no more.
        assert not sla.is_open_category("municipal") and sla.category("municipal")
        assert "municipal" not in {c.code for c in sla.categories()}
        assert sla.sla_days("sanitation") == 8
        assert sla.sla_days("sanitation", priority="high") == 2
        assert sla.sla_days("public_safety", priority="urgent") == 1  # its own SLA
        assert sla.sla_days("greening", priority="urgent") == 7  # no cap any more
    assert sla.sla_days("greening", priority="urgent") == 1  # outside: the built-in ones


def test_installed_catalogue_is_the_desks_until_another_is_installed() -> None:
    catalogue.install([{"kind": "category", "code": "policy", "sla_days": 4},
                       {"id": "b", "kind": "canned_reply", "text": "二", "position": 2},
                       {"id": "a", "kind": "canned_reply", "text": "一", "position": 1},
                       {"id": "c", "kind": "canned_reply", "text": "旧", "active": False}])
    assert sla.sla_days("policy") == 4
    assert catalogue.district_replies() == ("一", "二")
    catalogue.install([])
    assert sla.sla_days("policy") == 2 and catalogue.district_replies() == ()


def test_the_default_entries_are_valid_and_give_the_built_in_slas() -> None:
    entries = catalogue.default_entries()
    assert all(catalogue.problems(e) == [] for e in entries)
    assert catalogue.sla_table(entries) == sla.SlaTable.defaults()
    assert len({e["id"] for e in entries}) == len(entries)


def test_exports_name_a_category_of_the_catalogue_in_each_language() -> None:
    from gulou_desk.reports.excel import label

    table = catalogue.sla_table([{"kind": "category", "code": "c_lift", "name": "加装电梯",
                                  "name_en": "Lift installation", "sla_days": 5,
                                  "active": False}])
    with sla.using(table):  # retired: old tickets still read its name
        assert label("category.c_lift", "zh") == "加装电梯"
        assert label("category.c_lift", "en") == "Lift installation"
    assert label("category.c_lift", "zh") == "c_lift"  # a desk without that catalogue
