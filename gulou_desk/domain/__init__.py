"""Domain rules shared by client and server: validation, workflows, cadence, SLA, forms."""
