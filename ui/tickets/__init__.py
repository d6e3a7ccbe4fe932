"""The tickets section (工单): queues with counts, a lazy table with a due countdown, the
detail pane with every workflow step the user may take, and the walk-in / phone intake.

:class:`~ui.tickets.view.TicketsView` is the section's view; :class:`DeskContext` is what
the inbox and tickets views share (the store, the signed-in user, the sync bridge …).
"""
