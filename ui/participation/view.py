"""The 居民参与 section: questionnaires (民主问卷), consultations (民主协商), volunteer
activities (志愿者服务) and the participation figures per community, one tab each.

Questionnaires: the list (a paged model) beside the chosen one's pane (results as
charts, the WeChat preview, the responses). A new one starts from a template as a draft;
publishing, closing and a household's answers go through the domain's steps on the WRITE
lane, offline first. Residents' replies arrive with the syncs: the section hears every
change through the context's ``changes_applied`` signal and reads again what it shows,
so the results move while the window is open.

Reads and steps go through the account's desk (``ctx.desk``), in the background.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gulou_desk import records
from gulou_desk.domain.workflows import WorkflowError
from gulou_desk.store import ChangeSet
from gulou_desk.store.changes import REJECTIONS
from gulou_desk.store.participation_queries import (
    ActivityRow,
    CommunityFigures,
    ConsultationCard,
    ConsultationDetail,
    GridChoice,
    HouseholdChoice,
    QuestionnaireResults,
    SignedUp,
    activity_rows,
    activity_signups,
    community_figures,
    consultation_board,
    consultation_detail,
    households_in_grids,
    questionnaire_results,
    target_grids,
)
from gulou_desk.store.photos import PhotoError
from gulou_desk.store.ticket_queries import StaffOption, assignable_staff
from sync import blobs
from sync.client import SyncError
from ui.background import Lane, Op, OpError, Progress, ask
from ui.palette import qss
from ui.participation import export
from ui.participation import labels as L
from ui.participation.consultations import ConsultationsPage
from ui.participation.dialogs import (
    AttendanceDialog,
    ConsultationTextDialog,
    DecisionTicketDialog,
    HouseholdAnswersDialog,
    NewActivityDialog,
    NewConsultationDialog,
    NewQuestionnaireDialog,
)
from ui.participation.meeting import MeetingDialog
from ui.participation.model import TITLE_COLUMN, QuestionnaireTableModel
from ui.participation.question_editor import QuestionEditorDialog
from ui.participation.questionnaire_pane import QuestionnairePane
from ui.participation.tables import ActivitiesPage, FiguresPage
from ui.shell.context import DeskContext
from ui.shell.paged_list import PagedListPane, bind_keys
from ui.shell.section import DeskSection
from ui.shell.step_dialog import StepDialog
from ui.shell.steps import StepOutcome, StepRequest, describe_step_error
from ui.workflow_labels import fill

log = logging.getLogger(__name__)

NewItemDialog = NewQuestionnaireDialog | NewConsultationDialog | NewActivityDialog
"""The dialogs of a new item: each takes the context, the community and the grids."""

QUESTIONNAIRE_RELEVANT = ("questionnaire", "questionnaire_response", "grid", "household",
                          REJECTIONS)
CONSULTATION_RELEVANT = ("consultation", "consultation_comment", "consultation_meeting",
                         "ticket", REJECTIONS)
ACTIVITY_RELEVANT = ("volunteer_activity", "volunteer")

VIEW_STYLE = qss("""
QTabWidget#participation_tabs::pane { border: none; border-top: 1px solid @border; }
QWidget#detail_body, QScrollArea#results_scroll { background: @white; }
QLabel#status_chip { background: @chip; color: @accent_dark; border-radius: 9px;
                     padding: 2px 10px; }
QLabel#section_title { font-weight: 600; color: @text; padding-top: 6px; }
QLabel#muted, QLabel#questionnaire_summary { color: @muted; }
QLabel#view_notice { color: @warning_dark; background: @warning_bg; border-radius: 6px;
                     padding: 6px 10px; }
QWidget#wechat_chat { background: @neutral_bg; }
QLabel#wechat_bubble { background: @white; color: @ink_strong; border: 1px solid @border;
                       border-radius: 8px; padding: 10px 12px; }
QTableView, QTableWidget { border: none; gridline-color: @gridline; }
QHeaderView::section { background: @panel; border: none; border-bottom: 1px solid @border;
                       padding: 5px 6px; color: @text_secondary; }
QListWidget#stage_list { border: 1px solid @border; border-radius: 6px; background: @panel; }
QListWidget#stage_list::item { background: @white; border: 1px solid @border;
                               border-radius: 6px; margin: 3px; padding: 6px; color: @text; }
QListWidget#stage_list::item:selected { border: 1px solid @accent; color: @accent_dark; }
QLabel#stage_title { font-weight: 600; color: @text_secondary; }
""")


COLUMN_WIDTHS = {"community_id": 96, "code": 60, "status": 64, "responses": 92}
"""The questionnaires' columns beside the title (which takes the rest), by key."""


class QuestionnairesPage(QWidget):
    """The questionnaires' list beside the chosen one (the section drives it)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QuestionnaireTableModel(ctx.desk, self)
        self.pane = PagedListPane(
            self.model, table_name="questionnaires_table", header_name="questionnaires_header",
            search_name="questionnaire_search",
            search_hint=self.tr("Find by title or code"), empty_icon="participation",
            empty_title=self.tr("No questionnaires yet"),
            selection_mode=QAbstractItemView.SelectionMode.SingleSelection,
            stretch_column=TITLE_COLUMN, column_widths=tuple(
                (c, COLUMN_WIDTHS[self.model.column_key(c)])
                for c in range(len(self.model.headers()))
                if self.model.column_key(c) in COLUMN_WIDTHS),
            heading=self.tr("Questionnaires"))
        # A worker's "My grids' responses" read "grids' respon" in 92 px.
        self.pane.fit_headers()
        self.new_button = QPushButton(self.tr("New questionnaire"))
        self.new_button.setObjectName("new_questionnaire")
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip(self.tr("From a template: courtyard renovation, parking, "
                                           "elevator installation, satisfaction (Ctrl+N)"))
        self.pane.top.addWidget(self.new_button)
        self.detail = QuestionnairePane(ctx.session.role)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("questionnaires_splitter")
        self.splitter.addWidget(self.pane)
        self.splitter.addWidget(self.detail)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([440, 440])
        # Newest first until the user sorts. Enabling sorting asked for the first column
        # and started a read by title: dropped (requery), or the list first filled in
        # that order and then, read again, moved under a click made meanwhile.
        self.pane.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.order_by = None
        self.model.requery()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)


class ParticipationView(DeskSection):
    """The section (see the module docstring).

    Signals:
        questionnaire_shown(str): the pane shows this questionnaire (after its read).
        exported(str): a file was written (its path).
        board_shown(): the consultations' board (and the chosen topic) were read again.
    """

    questionnaire_shown = Signal(str)
    exported = Signal(str)
    board_shown = Signal()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "participation_view", VIEW_STYLE, parent)
        self._role = ctx.session.role
        self._shown_id: str | None = None
        self._generation = 0
        self._shown_generation = 0

        self.tabs = QTabWidget()
        self.tabs.setObjectName("participation_tabs")
        self.tabs.setDocumentMode(True)
        self.questionnaires = QuestionnairesPage(ctx)
        self.tabs.addTab(self.questionnaires, self.tr("Questionnaires"))
        self.model = self.questionnaires.model
        self.pane = self.questionnaires.pane
        self.detail = self.questionnaires.detail
        self.notice, self.table = self.pane.notice, self.pane.table
        self._extra_pages(ctx)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.questionnaires.new_button.clicked.connect(self.open_new_questionnaire)
        self.questionnaires.new_button.setVisible(self._role != "supervisor")
        self.model.loaded.connect(self._model_loaded)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.detail.step_requested.connect(self.request_step)
        bind_keys(self, ("Ctrl+N",), self.open_new_questionnaire)
        bind_keys(self, ("Ctrl+F",), self.pane.focus_search)
        self.follow_changes()
        ctx.settings.restore_layout(self)
        self.model.reload()

    def _extra_pages(self, ctx: DeskContext) -> None:
        """The consultations' board, the activities and the figures."""
        self.consultations = ConsultationsPage(self._role)
        self.board = self.consultations.board
        self.consultation = self.consultations.pane
        self.activities = ActivitiesPage(self._role)
        self.figures = FiguresPage(my_grids=self._role == "social_worker")
        self.tabs.addTab(self.consultations, self.tr("Consultations"))
        self.tabs.addTab(self.activities, self.tr("Volunteer activities"))
        self.tabs.addTab(self.figures, self.tr("Figures"))
        if self._role in ("supervisor", "admin"):
            self.tabs.setCurrentWidget(self.figures)
        self._consultation_id: str | None = None
        self._board_generation = 0
        self._photos_asked: set[str] = set()
        self.board.card_chosen.connect(self.show_consultation)
        self.consultations.new_button.clicked.connect(
            lambda: self._open_new(NewConsultationDialog, "consultation"))
        self.activities.new_requested.connect(
            lambda: self._open_new(NewActivityDialog, "volunteer_activity"))
        self.activities.publish_requested.connect(self.confirm_activity_publish)
        self.activities.complete_requested.connect(self.open_attendance)
        self.consultation.step_requested.connect(self.request_consultation_step)
        self._read_board()
        self._read_tables()

    # -- consultations -------------------------------------------------------------------

    def _read_board(self) -> None:
        self._board_generation += 1
        generation = self._board_generation
        desk, chosen = self._ctx.desk, self._consultation_id

        def read(progress: Progress) -> tuple[dict[str, list[ConsultationCard]],
                                              ConsultationDetail | None, dict[str, bytes]]:
            board = desk.read(consultation_board)
            detail = desk.read(consultation_detail, chosen) if chosen else None
            photos = [str(sha) for m in (detail.meetings if detail else [])
                      for sha in m.get("photos") or []]
            return board, detail, desk.thumbnails(photos)

        def shown(result: tuple[dict[str, list[ConsultationCard]],
                                ConsultationDetail | None, dict[str, bytes]]) -> None:
            if generation != self._board_generation:
                return
            board, detail, thumbnails = result
            self.board.show_board(board, self._consultation_id)
            if detail is not None:
                self.consultation.show_detail(detail, thumbnails)
                self._fetch_meeting_photos(detail, thumbnails)
            elif self._consultation_id is None:
                self.consultation.show_nothing()
            self.board_shown.emit()

        self._read_then(read, "consultation_board", shown)

    def _fetch_meeting_photos(self, detail: ConsultationDetail,
                              thumbnails: dict[str, bytes]) -> None:
        """Photos of the meetings that are not on this device (taken on another one):
        downloaded once in the background, then shown."""
        online = self._ctx.online
        missing = [str(sha) for m in detail.meetings for sha in m.get("photos") or []
                   if str(sha) not in thumbnails and str(sha) not in self._photos_asked]
        if online is None or not missing:
            return
        self._photos_asked.update(missing)
        store = self._ctx.store

        def work(progress: Progress) -> int:
            fetched = 0
            for sha in missing:
                progress.check_cancelled()
                try:
                    blobs.fetch_thumbnail(store, online, sha)
                    fetched += 1
                except (SyncError, PhotoError, ValueError) as exc:
                    log.info("a meeting photo was not fetched: %s", type(exc).__name__)
            return fetched

        Op(self, work, lane=Lane.NETWORK, name="meeting_photos").success(
            lambda fetched: self._read_board() if fetched else None).failure(
            lambda error: None).run()

    def show_consultation(self, consultation_id: str) -> None:
        self._consultation_id = consultation_id
        self._read_board()

    def request_consultation_step(self, action: str) -> None:
        detail = self.consultation.detail
        if detail is None or self.dialog is not None:
            return
        c = detail.record
        cid = str(c["id"])
        then = self._read_board
        dialog: StepDialog | None = None
        if action == "decide":
            dialog = ConsultationTextDialog(
                self._ctx, cid, field="decision", title=self.tr("Record the decision"),
                intro=self.tr("What was decided, online and in the meetings; it is posted "
                              "to the groups when you announce it."),
                label=self.tr("Decision"), parent=self)
        elif action == "announce":
            dialog = ConsultationTextDialog(
                self._ctx, cid, field="announcement", title=self.tr("Announce the result"),
                intro=self.tr("The announcement (公示) residents read in their groups, with "
                              "the progress of the tickets the decision created."),
                label=self.tr("Announcement"), text=self.tr(
                    "Thank you all for taking part; the community will carry it out and "
                    "report the progress here."), parent=self)
        elif action == "create_ticket":
            dialog = DecisionTicketDialog(self._ctx, c, detail.grids, self)
        elif action == "meeting":
            self.open_meeting(c)
            return
        if dialog is None:
            self._run("consultation", cid, action, {}, then)
            return

        def submitted(values: dict[str, Any]) -> None:
            args = dict(values)
            if action == "create_ticket":
                args["ticket_id"] = records.new_id()
            self._run("consultation", cid, action, args, then)

        dialog.submitted.connect(submitted)
        self.open_dialog(dialog)

    def open_meeting(self, consultation: dict[str, Any]) -> None:
        """The meeting dialog, with the households of the topic's grids and the staff (of
        its community) to choose from."""
        desk = self._ctx.desk
        grids = list(consultation.get("grid_ids") or [])

        def read(progress: Progress) -> tuple[list[HouseholdChoice], list[StaffOption]]:
            return (desk.read(households_in_grids, grids, limit=5000),
                    desk.read(assignable_staff, grids[0] if len(grids) == 1 else None))

        def opened(chosen: tuple[list[HouseholdChoice], list[StaffOption]]) -> None:
            if self.dialog is not None:
                return
            households, staff = chosen
            meeting = MeetingDialog(self._ctx, consultation, households, staff, self)
            meeting.submitted.connect(lambda fields: self._create("consultation_meeting",
                                                                  fields))
            self.open_dialog(meeting)

        self._read_then(read, "meeting_households", opened)

    # -- activities and figures -------------------------------------------------------------

    def open_attendance(self, activity_id: str) -> None:
        if self.dialog is not None:
            return
        desk = self._ctx.desk
        activity = self.activities.chosen()
        title = activity.title if activity is not None else ""

        def opened(signed_up: list[SignedUp]) -> None:
            dialog = AttendanceDialog(self._ctx, title, signed_up, self)
            dialog.submitted.connect(lambda args: self._run(
                "volunteer_activity", activity_id, "complete", dict(args), self._read_tables))
            self.open_dialog(dialog)

        self._read_then(lambda progress: desk.read(activity_signups, activity_id),
                        "activity_signups", opened)

    def _read_tables(self) -> None:
        desk = self._ctx.desk

        def read(progress: Progress) -> tuple[list[ActivityRow], list[CommunityFigures]]:
            return desk.read(activity_rows), desk.read(community_figures)

        def shown(result: tuple[list[ActivityRow], list[CommunityFigures]]) -> None:
            self.activities.show_rows(result[0])
            self.figures.show_rows(result[1])

        self._read_then(read, "participation_tables", shown)

    # -- the list ------------------------------------------------------------------------

    def _model_loaded(self) -> None:
        empty = self.pane.show_rows_or_empty()
        if empty:
            searching = bool(self.model.search)
            self.pane.empty.set_texts(
                self.tr("No questionnaires match your search") if searching
                else self.tr("No questionnaires yet"),
                self.tr("Try fewer or other words.") if searching else self.tr(
                    "Make one from a template with “New questionnaire”."))
        if self._shown_id is not None:
            row = self.model.row_of(self._shown_id)
            if row is not None and self.table.currentIndex().row() != row:
                self.table.setCurrentIndex(self.model.index(row, TITLE_COLUMN))
        elif not empty:
            self.table.setCurrentIndex(self.model.index(0, TITLE_COLUMN))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is not None and row.id != self._shown_id:
            self.show_questionnaire(row.id)

    # -- the chosen questionnaire -------------------------------------------------------------

    def show_questionnaire(self, questionnaire_id: str) -> None:
        self._shown_id = questionnaire_id
        row = self.model.row_of(questionnaire_id)
        if row is not None and self.table.currentIndex().row() != row:
            self.table.setCurrentIndex(self.model.index(row, TITLE_COLUMN))
        self._read_shown()

    def _read_shown(self) -> None:
        questionnaire_id = self._shown_id
        self._generation += 1
        generation = self._generation
        if questionnaire_id is None:
            self._shown_generation = generation
            self.detail.show_nothing()
            return
        desk = self._ctx.desk

        def read(progress: Progress) -> QuestionnaireResults | None:
            results = desk.read(questionnaire_results, questionnaire_id)
            if results is not None and self._role == "social_worker":
                # Their desk holds the households and responses of their own grids only:
                # another target grid would read "0 (—)", as if nobody had answered there.
                mine = desk.actor().grid_ids
                results = dataclasses.replace(
                    results, grids=[g for g in results.grids if g.grid_id in mine])
            return results

        def shown(results: QuestionnaireResults | None) -> None:
            if generation != self._generation:
                return
            self._shown_generation = generation
            if results is None:
                self._shown_id = None
                self.detail.show_nothing()
                return
            self.detail.show_results(results)
            self.questionnaire_shown.emit(questionnaire_id)

        def failed(error: OpError) -> None:
            if generation == self._generation:
                self._shown_generation = generation
            self.show_notice(error.message)

        Op(self, read, name="questionnaire_results").success(shown).failure(failed).run()

    @property
    def loading(self) -> bool:
        """A read of the chosen questionnaire is on its way."""
        return self._shown_generation != self._generation

    # -- steps ---------------------------------------------------------------------------

    def request_step(self, action: str) -> None:
        results = self.detail.results
        if results is None:
            return
        qid = str(results.record["id"])
        if action == "publish":
            self.confirm_publish(results)
        elif action in ("close", "archive"):
            self._run("questionnaire", qid, action, {})
        elif action == "edit":
            self.open_editor(results)
        elif action == "answers":
            self.open_answers(results)
        elif action == "excel":
            self._export(results, excel=True)
        elif action == "pdf":
            self._export(results, excel=False)

    def confirm_publish(self, results: QuestionnaireResults) -> QMessageBox:
        """Ask before publishing: 鼓宝 posts it to the groups at once and its questions
        no longer change, with nothing to take it back (a non-blocking box)."""
        record = results.record
        groups = "、".join(g.name for g in results.grids) or self.tr("the chosen groups")
        return self._ask_publish(
            self.tr("Publish the questionnaire"),
            fill(self.tr("Publish “%1”?"), str(record.get("title") or "")),
            fill(self.tr("Gubao posts it to %1 (%2 households) and residents can reply at "
                         "once. Its questions can no longer be changed, and what is posted "
                         "cannot be taken back."), groups, str(results.households)),
            lambda: self._run("questionnaire", str(record["id"]), "publish", {}))

    def confirm_activity_publish(self, activity_id: str) -> QMessageBox | None:
        """Ask before publishing a volunteer activity (its recruiting message goes out)."""
        activity = next((a for a in self.activities.rows if a.id == activity_id), None)
        if activity is None:
            return None
        return self._ask_publish(
            self.tr("Publish the volunteer activity"),
            fill(self.tr("Publish “%1”?"), activity.title),
            self.tr("Gubao posts its recruiting message to the chosen groups; residents "
                    "sign up by replying. What is posted cannot be taken back."),
            lambda: self._run("volunteer_activity", activity_id, "publish", {},
                              self._read_tables))

    def _ask_publish(self, title: str, text: str, detail: str,
                     publish: Callable[[], None]) -> QMessageBox:
        return ask(self, "confirm_publish", title, text, detail, self.tr("Publish"), publish)

    def _run(self, entity: str, record_id: str, action: str, args: dict[str, Any],
             then: Callable[[], object] | None = None) -> None:
        def done(outcome: StepOutcome) -> None:
            if outcome.error is not None:
                self.show_notice(fill(L.tr(L.COULD_NOT), L.step_label(action),
                                      describe_step_error(outcome.error)))
            elif then is not None:
                then()

        self.runner.run([StepRequest(entity, record_id, action, args)], done)

    def _read_then(self, read: Callable[[Progress], Any], name: str,
                   then: Callable[[Any], object]) -> None:
        Op(self, read, name=name).success(then).failure(
            lambda error: self.show_notice(error.message)).run()

    def open_new_questionnaire(self) -> None:
        self._open_new(NewQuestionnaireDialog, "questionnaire")

    def _open_new(self, kind: type[NewItemDialog], entity: str) -> None:
        """A new questionnaire, topic or activity: its dialog, with the grids the user may
        post to; once confirmed, a draft (shown at once, sent with the next sync)."""
        if self._role == "supervisor" or self.dialog is not None:
            return
        desk = self._ctx.desk

        def read(progress: Progress) -> tuple[str | None, list[GridChoice]]:
            actor = desk.actor()
            grids = desk.read(target_grids, actor.community_id)
            if actor.role == "social_worker":
                grids = [g for g in grids if g.id in actor.grid_ids]
            community = actor.community_id or (grids[0].community_id if grids else None)
            return community, grids

        def opened(result: tuple[str | None, list[GridChoice]]) -> None:
            community, grids = result
            if community is None or not grids:
                self.show_notice(self.tr("You have no grids to post a questionnaire to."))
                return
            dialog = kind(self._ctx, community, grids, self)
            dialog.submitted.connect(lambda fields: self._create(entity, fields))
            self.open_dialog(dialog)

        self._read_then(read, "questionnaire_grids", opened)

    def _write(self, name: str, step: str, work: Callable[[Progress], tuple[str, ChangeSet]],
               then: Callable[[str], object] | None = None) -> None:
        """A change kept here first (WRITE lane); the section hears of it like of a sync.
        ``work`` returns the record's id and the changes; ``then`` gets the id."""
        ctx = self._ctx

        def written(result: tuple[str, ChangeSet]) -> None:
            if then is not None:
                then(result[0])
            ctx.wrote(result[1])

        Op(self, work, lane=Lane.WRITE, name=name).success(written).failure(
            lambda error: self.show_notice(fill(
                L.tr(L.COULD_NOT), L.step_label(step), self._refusal(error.exception)))).run()

    def _refusal(self, exc: BaseException) -> str:
        if isinstance(exc, WorkflowError) and exc.details.get("problem") == "locked":
            return self.tr("it has been published: its questions no longer change")
        return describe_step_error(exc)

    def _create(self, entity: str, fields: dict[str, Any]) -> None:
        desk = self._ctx.desk
        values = dict(fields)

        def created(record_id: str) -> None:
            if entity == "questionnaire":
                self._shown_id = record_id
            elif entity == "consultation":
                self._consultation_id = record_id

        self._write(f"create_{entity}", "create", lambda progress: desk.create(
            entity, values, record_id=records.new_id()), created)

    def open_editor(self, results: QuestionnaireResults) -> None:
        """The question editor of a draft; saved as an update of the draft."""
        if self.dialog is not None or results.record.get("status") != "draft":
            return
        record = dict(results.record)
        qid = str(record["id"])
        desk = self._ctx.desk
        dialog = QuestionEditorDialog(self._ctx, record, self)
        dialog.submitted.connect(lambda fields: self._write(
            "edit_questions", "edit",
            lambda progress: (qid, desk.update("questionnaire", qid, dict(fields)))))
        self.open_dialog(dialog)

    def open_answers(self, results: QuestionnaireResults) -> None:
        if self.dialog is not None:
            return
        desk = self._ctx.desk
        record = dict(results.record)
        grids = list(record.get("grid_ids") or [])

        def read(progress: Progress) -> list[HouseholdChoice]:
            actor = desk.actor()
            mine = [g for g in grids if actor.role != "social_worker" or g in actor.grid_ids]
            return desk.read(households_in_grids, mine, limit=5000)

        def opened(households: list[HouseholdChoice]) -> None:
            if not households:
                self.show_notice(self.tr("No household of yours is in the groups it was "
                                         "sent to."))
                return
            dialog = HouseholdAnswersDialog(self._ctx, record, households, self)
            dialog.submitted.connect(lambda values: self._keep_answers(str(record["id"]),
                                                                      values))
            self.open_dialog(dialog)

        self._read_then(read, "answer_households", opened)

    def _keep_answers(self, questionnaire_id: str, values: dict[str, Any]) -> None:
        desk = self._ctx.desk
        self._write("household_answers", "answers", lambda progress: (
            desk.record_household_answers(
                questionnaire_id, str(values["household_id"]), dict(values["answers"]),
                channel=str(values["channel"]))))

    def _export(self, results: QuestionnaireResults, *, excel: bool) -> None:
        path = export.ask_path(self, results, excel=excel)
        if path is None:
            return
        export.export(self, path, results, excel=excel, done=self._exported,
                      failed=self.show_notice)

    def _exported(self, path: Path) -> None:
        self.show_notice(fill(self.tr("Saved %1"), str(path)))
        self.exported.emit(str(path))

    # -- changes -------------------------------------------------------------------------

    def changes_applied(self, changes: ChangeSet) -> None:
        if any(changes.touches(entity) for entity in QUESTIONNAIRE_RELEVANT):
            self.model.reload()
            if self._shown_id is not None:
                self._read_shown()
        if any(changes.touches(entity) for entity in CONSULTATION_RELEVANT):
            self._read_board()
        if any(changes.touches(entity) for entity in (*QUESTIONNAIRE_RELEVANT,
                                                      *CONSULTATION_RELEVANT,
                                                      *ACTIVITY_RELEVANT)):
            self._read_tables()
