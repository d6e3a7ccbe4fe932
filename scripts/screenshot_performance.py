"""Screenshots of the Performance section with real demo data.

    xvfb-run -a -s "-screen 0 1400x900x24" python scripts/screenshot_performance.py \
        --role supervisor --lang zh_CN --view queue --out docs/screenshots/performance-queue-zh.png

Starts the demo's embedded server (seeded once, kept in ``--data``), signs in as the
role's demo user, syncs a fresh local store, shows the Performance section's view
(``queue``: the approval queue with its first record; ``record``: last month's records
with a decided one chosen; ``dashboard``; ``mine``: a social worker's own records), and
saves the window. Needs a CJK font for Chinese (``fonts-noto-cjk``).
"""

from __future__ import annotations

import argparse
import sys

from _shots import add_output_options, shoot_demo, shot_parser  # puts the repo on sys.path
from PySide6.QtCore import QTimer

from gulou_desk.domain import performance
from gulou_desk.records import now
from ui.main_window import MainWindow
from ui.performance import PerformanceView


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = shot_parser(__doc__, role="supervisor")
    parser.add_argument("--view", default="queue", choices=("queue", "record", "dashboard", "mine"))
    add_output_options(parser, size="1366x860", data="gulou-perf-shots",
                       data_help="where the demo server keeps its database (reused)",
                       delay=6000)
    return parser.parse_args(argv)


def previous_period() -> str:
    year, month = performance.parse_period(performance.period_of(now()))
    year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return f"{year:04d}-{month:02d}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)

    def choose(window: MainWindow) -> None:
        view = window.page("performance").findChild(PerformanceView)
        if args.view == "dashboard" and view.dashboard is not None:
            view.show_tab(view.dashboard)
        elif args.view == "record" and view.records is not None:
            records = view.records
            view.show_tab(records)
            records.set_period(previous_period())

            def choose_decided() -> None:
                decided = [r for r in records.records if len(r.history) >= 2]
                if decided:
                    records.select(decided[0].id)

            QTimer.singleShot(args.delay // 2, choose_decided)

    return shoot_demo(args, "performance", {"performance": PerformanceView}, shown=choose)


if __name__ == "__main__":
    raise SystemExit(main())
