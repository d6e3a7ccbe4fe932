"""The social worker's workbench: drafts to continue and the week's visit plan."""

from ui.workbench.view import WorkbenchView, load_workbench

__all__ = ["WorkbenchView", "load_workbench"]
