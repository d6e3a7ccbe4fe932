"""The pieces every section of the desk is built from (see "How to build a section" in
``docs/architecture.md``): the account's context (:mod:`ui.shell.context`), the section
base (:mod:`ui.shell.section`), steps and step dialogs (:mod:`ui.shell.steps`,
:mod:`ui.shell.step_dialog`), the toast, the paged list and its model, the record table
(a short list read whole), the empty state and the navigation list."""
