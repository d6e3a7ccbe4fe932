"""Visits: the form built from a template, the visit dialog (drafts, submit, found a
problem)."""

from ui.visits.dialog import DRAFT_KIND, VisitContext, VisitDialog
from ui.visits.form import VisitForm

__all__ = ["DRAFT_KIND", "VisitContext", "VisitDialog", "VisitForm"]
