"""The Performance section (绩效考核): records, approvals, dashboard, exports."""

from ui.performance.view import PerformanceView

__all__ = ["PerformanceView"]
