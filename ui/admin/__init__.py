"""The administration section (staff, covers, WeChat groups, the audit log)."""

from ui.admin.view import AdminView

__all__ = ["AdminView"]
