"""The sections of the main window and which role sees which, declared once.

A section has a key, a title, an icon and the empty state it shows until a view is
registered for it (``MainWindow.register_view(key, factory)``). The order of a role's
tuple is the order in the sidebar; the first section is where the window opens.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from ui.i18n import QT_TRANSLATE_NOOP

translate = QCoreApplication.translate

ROLES: tuple[str, ...] = ("social_worker", "clerk", "supervisor", "admin")
ROLE_ALIASES = {"worker": "social_worker"}


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    """English source text; shown as ``translate("Navigation", title)``."""
    icon: str
    empty_title: str
    empty_text: str

    def display_title(self) -> str:
        return translate("Navigation", self.title)

    def display_empty_title(self) -> str:
        return translate("Navigation", self.empty_title)

    def display_empty_text(self) -> str:
        return translate("Navigation", self.empty_text)


SECTIONS: dict[str, Section] = {
    s.key: s
    for s in (
        Section(
            "workbench",
            QT_TRANSLATE_NOOP("Navigation", "Workbench"),
            "workbench",
            QT_TRANSLATE_NOOP("Navigation", "Your day at a glance"),
            QT_TRANSLATE_NOOP(
                "Navigation",
                "Visits due today, overdue households and your open tickets will be "
                "gathered here, so you know where to go first.",
            ),
        ),
        Section(
            "households",
            QT_TRANSLATE_NOOP("Navigation", "Households"),
            "households",
            QT_TRANSLATE_NOOP("Navigation", "Households and residents"),
            QT_TRANSLATE_NOOP(
                "Navigation",
                "Find a household by the head's name, pinyin initials or address, and see "
                "its residents, visits and tickets here.",
            ),
        ),
        Section(
            "visits",
            QT_TRANSLATE_NOOP("Navigation", "Visits"),
            "visits",
            QT_TRANSLATE_NOOP("Navigation", "Home visits"),
            QT_TRANSLATE_NOOP(
                "Navigation",
                "Fill in visit forms here, also without a network; drafts are kept and "
                "sent when you are back online.",
            ),
        ),
        Section(
            "inbox",
            QT_TRANSLATE_NOOP("Navigation", "Inbox"),
            "inbox",
            QT_TRANSLATE_NOOP("Navigation", "Residents' requests"),
            QT_TRANSLATE_NOOP(
                "Navigation",
                "Requests that Gu Bao forwards from the grid WeChat groups, and walk-in, "
                "phone and 12345 hotline requests, will arrive here to be turned into "
                "tickets, linked, answered or dismissed.",
            ),
        ),
        Section(
            "tickets",
            QT_TRANSLATE_NOOP("Navigation", "Tickets"),
            "tickets",
            QT_TRANSLATE_NOOP("Navigation", "Tickets"),
            QT_TRANSLATE_NOOP(
                "Navigation",
                "Open, assign and follow tickets from the first report to the follow-up "
                "call; overdue tickets are marked and escalated.",
            ),
        ),
        Section(
            "participation",
            QT_TRANSLATE_NOOP("Navigation", "Participation"),
            "participation",
            QT_TRANSLATE_NOOP("Navigation", "Resident participation"),
            QT_TRANSLATE_NOOP(
                "Navigation",
                "Questionnaires, consultations and volunteer activities that residents "
                "take part in from their WeChat groups.",
            ),
        ),
        Section(
            "gubao",
            QT_TRANSLATE_NOOP("Navigation", "Gubao bot"),
            "gubao",
            QT_TRANSLATE_NOOP("Navigation", "The Gubao bot"),
            QT_TRANSLATE_NOOP(
                "Navigation",
                "What the group bot answers, announces and alerts on: the knowledge base, "
                "the service catalogue, announcements and alert rules.",
            ),
        ),
        Section(
            "performance",
            QT_TRANSLATE_NOOP("Navigation", "Performance"),
            "performance",
            QT_TRANSLATE_NOOP("Navigation", "Monthly performance"),
            QT_TRANSLATE_NOOP(
                "Navigation",
                "Monthly figures, self-assessments, submissions and approvals of "
                "performance records will be shown here.",
            ),
        ),
        Section(
            "admin",
            QT_TRANSLATE_NOOP("Navigation", "Administration"),
            "admin",
            QT_TRANSLATE_NOOP("Navigation", "Staff, covers and groups"),
            QT_TRANSLATE_NOOP(
                "Navigation",
                "Add and disable staff, reset passwords, place workers in grids, arrange "
                "covers, map WeChat groups and read the audit log here.",
            ),
        ),
        Section(
            "conflicts",
            QT_TRANSLATE_NOOP("Navigation", "Conflicts"),
            "conflicts",
            QT_TRANSLATE_NOOP("Navigation", "No conflicts"),
            QT_TRANSLATE_NOOP(
                "Navigation",
                "When someone else changed the same record, or the server did not accept "
                "an edit, you will choose here which value to keep. Nothing is lost.",
            ),
        ),
        Section(
            "settings",
            QT_TRANSLATE_NOOP("Navigation", "Settings"),
            "settings",
            QT_TRANSLATE_NOOP("Navigation", "Settings"),
            "",
        ),
    )
}

ROLE_SECTIONS: dict[str, tuple[str, ...]] = {
    "social_worker": (
        "workbench", "households", "visits", "tickets", "inbox", "participation", "gubao",
        "performance", "conflicts", "settings",
    ),
    "clerk": ("inbox", "tickets", "households", "participation", "gubao", "performance",
              "conflicts", "settings"),
    "supervisor": ("performance", "tickets", "households", "participation", "gubao", "admin",
                   "conflicts", "settings"),
    "admin": ("performance", "tickets", "households", "inbox", "participation", "gubao", "admin",
              "conflicts", "settings"),
}

_ROLE_TITLES: dict[str, str] = {
    "social_worker": QT_TRANSLATE_NOOP("Navigation", "Social worker"),
    "clerk": QT_TRANSLATE_NOOP("Navigation", "Community clerk"),
    "supervisor": QT_TRANSLATE_NOOP("Navigation", "Supervisor"),
    "admin": QT_TRANSLATE_NOOP("Navigation", "Administrator"),
}


def normalize_role(role: str) -> str:
    """``worker`` (the command line's word) → ``social_worker``; unknown → ``ValueError``."""
    role = ROLE_ALIASES.get(role, role)
    if role not in ROLE_SECTIONS:
        raise ValueError(f"unknown role {role!r}")
    return role


def sections_for(role: str) -> tuple[Section, ...]:
    return tuple(SECTIONS[key] for key in ROLE_SECTIONS[normalize_role(role)])


def role_title(role: str) -> str:
    return translate("Navigation", _ROLE_TITLES[normalize_role(role)])
