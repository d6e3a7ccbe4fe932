"""Visits: the form built from a template, the visit dialog (drafts, submit, found a
problem)."""

from ui.visits.dialog import DRAFT_KIND, VisitDialog
from ui.visits.form import VisitForm

__all__ = ["DRAFT_KIND", "VisitDialog", "VisitForm"]
