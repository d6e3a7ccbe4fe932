"""Reports written to files (no Qt): Excel workbooks of the performance records and the
dashboard tables (:mod:`gulou_desk.reports.excel`)."""
