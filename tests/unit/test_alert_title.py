"""The title of an urgent alert's ticket, as a clerk reads it in the tickets list."""
from __future__ import annotations

from gulou_desk.domain.gubao import alert_title


def test_the_rule_name_then_the_message() -> None:
    title = alert_title({"name": "火情"}, "3栋2单元着火了\n快来人")
    assert title == "【紧急】火情：3栋2单元着火了 快来人"


def test_a_message_starting_with_the_rule_name_does_not_repeat_it() -> None:
    title = alert_title({"name": "楼上漏水"}, "楼上漏水，我家卫生间天花板都湿透了")
    assert title == "【紧急】楼上漏水，我家卫生间天花板都湿透了"


def test_a_long_message_is_cut_to_the_title_field() -> None:
    title = alert_title({"name": "火情"}, "着火了" * 100)
    assert len(title) <= 128 and title.endswith("…")
