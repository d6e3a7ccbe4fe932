"""The 居民参与 section: questionnaires, consultations, volunteer activities and the
participation figures (:class:`~ui.participation.view.ParticipationView`)."""
