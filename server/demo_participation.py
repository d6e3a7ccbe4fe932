"""Demo data of resident participation: questionnaires, consultations, volunteers and
volunteer activities, made by :mod:`server.demo_data`'s generator.

Every community gets a few; the first one (clerk1's) gets the full set, so the desk
shows every stage: questionnaires in draft, published (two, one with replies still
coming in), closed with public results and archived; one consultation in each stage
(collecting … closed), the voting one with a meeting whose votes join the online count,
the decided ones with the tickets their decisions created (made by the ticket generator,
so their timelines are real); volunteers and activities done (with hours), open for
sign-up, in draft and cancelled.

Records are built through the domain: the steps of ``workflows`` (publish, vote, decide
… with their history), the texts and codes of ``participation``, answers that pass
``participation.answer_problems``. Codes are numbered across the district; the seed sets
the server's counters past them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gulou_desk import records
from gulou_desk.domain import participation, workflows
from gulou_desk.domain.participation_templates import (
    consultation_template,
    questionnaire_template,
)
from server.demo_photos import meeting_pictures

SHANGHAI = records.SHANGHAI

TEXT_ANSWERS = (
    "希望多装几盏路灯", "健身器材旁边加点座椅", "施工时间别太早", "注意保留原来的大树",
    "停车位能否优先给本小区居民", "希望物业公开收费明细", "费用分摊要公平", "老年人上下楼太难了",
    "支持，越快越好", "建议先听听一楼住户的意见", "垃圾桶离窗户太近了", "晚上广场舞声音小一点",
)
OPINIONS = (
    "早该管管了", "费用太高，不太能接受", "可以先试行三个月", "要考虑老年人的需要",
    "物业要把账目公开", "建议分时段收费", "外来车辆太多，支持管理", "希望多开几次协商会",
    "楼下停车挡住消防通道，必须整治", "我家没车，但支持规范停车",
)
SKILLS = ("理发", "维修家电", "医疗护理", "法律咨询", "心理疏导", "陪伴老人", "文艺表演",
          "摄影", "书法", "电脑教学", "垃圾分类宣传", "环境清洁")
AVAILABILITY = ("周末上午", "工作日晚上", "周末全天", "工作日白天", "随时可约")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _two_pictures(seed_text: str) -> list[str]:
    """Two of the demo's meeting pictures (sha256), chosen by ``seed_text`` (not by a
    random stream: the rest of the demo stays as it was)."""
    pictures = [sha for sha, _png in meeting_pictures()]
    first = int(hashlib.sha256(seed_text.encode()).hexdigest()[:8], 16) % len(pictures)
    return [pictures[first], pictures[(first + 1) % len(pictures)]]


def _whole(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=0)


@dataclass
class ParticipationData:
    """The rows, entity by entity (``{"id", <fields>}``), and the decision tickets'
    requests for the ticket generator."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    decision_tickets: list[dict[str, Any]] = field(default_factory=list)
    """``{"consultation", "grid", "title", "category", "final", "created_at"}``: tickets
    the ticket generator makes (with their timelines) and adds to ``ticket_ids``."""

    def add(self, entity: str, row: dict[str, Any]) -> dict[str, Any]:
        spec = records.entity(entity)
        full = {"id": row["id"], **{f.name: row.get(f.name, f.empty_value())
                                    for f in spec.fields}}
        self.rows.setdefault(entity, []).append(full)
        return full


class ParticipationMaker:
    """Makes the participation rows for a generator (``server.demo_data._Generator``)."""

    def __init__(self, gen: Any) -> None:
        self.g = gen
        self.now: dt.datetime = gen.now
        self.limit = gen.now - dt.timedelta(minutes=5)
        self.data = ParticipationData()
        self.codes = {"questionnaire": 0, "consultation": 0, "volunteer_activity": 0}

    # -- helpers -------------------------------------------------------------------

    def rng(self, *parts: object) -> random.Random:
        rng: random.Random = self.g.rng("participation", *parts)
        return rng

    def ago(self, days: float, hour: int = 10) -> dt.datetime:
        day = (self.now - dt.timedelta(days=days)).date()
        return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)

    def code(self, entity: str) -> str:
        self.codes[entity] += 1
        return participation.make_code(entity, self.codes[entity])

    def staff_of(self, ci: int) -> str:
        """Who runs a community's participation: its clerk, else the street supervisor."""
        staff: str = self.g.dispatcher_of(ci)
        return staff

    def actor(self, staff_id: str) -> workflows.Actor:
        actor: workflows.Actor = self.g.actors[staff_id]
        return actor

    def grids_of(self, ci: int) -> list[Any]:
        return [g for g in self.g.grids if g.community == ci]

    def senders(self, grid: Any, count: int) -> list[tuple[str, str]]:
        rng = self.rng("senders", grid.index)
        out = []
        for _ in range(count):
            sid = f"wxid_{rng.getrandbits(56):014x}"
            if rng.random() < 0.5 and grid.samples:
                _, head, _, b, _, room, _, _ = rng.choice(grid.samples)
                title = rng.choice(("阿姨", "叔叔", "奶奶", "爷爷", ""))
                nick = f"{b}-{room} {head[0]}{title}".strip()
            else:
                nick = self.g.person_name(rng, rng.random() < 0.5, rng.randint(1950, 1998))
            out.append((sid, nick))
        return out

    def between(self, rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        end = min(end, self.limit)
        moment = start + (end - start) * rng.random()
        if not 7 <= moment.hour < 23:
            moment = moment.replace(hour=rng.randint(8, 21))
        return _whole(min(max(moment, start), end))

    def step(self, record: dict[str, Any], fn: Callable[..., workflows.Step], action: str,
             args: dict[str, Any], staff_id: str, at: dt.datetime) -> None:
        st = fn(record, action, args, self.actor(staff_id), _whole(at))
        record.update(st.changes)

    # -- the whole set -------------------------------------------------------------

    def make(self) -> ParticipationData:
        for ci in range(len(self.g.communities)):
            full = ci == 0
            self.questionnaires(ci, full)
            self.consultations(ci, full)
            self.volunteering(ci, full)
        return self.data

    # -- questionnaires --------------------------------------------------------------

    def questionnaires(self, ci: int, full: bool) -> None:
        grids = self.grids_of(ci)
        rng = self.rng("questionnaires", ci)
        plans: list[tuple[str, str, float, float | None, list[Any], float]] = [
            # template, final status, opened days ago, closed days ago, grids, reply rate
            ("courtyard", "published", 6, None, grids[:3], 0.06),
            ("satisfaction", "closed", 45, 30, grids, 0.05),
        ]
        if full:
            plans += [
                ("elevator", "published", 2, None, grids[3:4] or grids[:1], 0.04),
                ("parking", "draft", 1, None, grids[:2], 0.0),
                ("satisfaction", "archived", 110, 90, grids, 0.03),
            ]
        for key, status, opened, closed, targets, rate in plans:
            self.questionnaire(ci, rng, key, status, opened, closed, targets, rate)

    def questionnaire(self, ci: int, rng: random.Random, key: str, status: str,
                      opened: float, closed: float | None, targets: list[Any],
                      rate: float) -> dict[str, Any]:
        staff = self.staff_of(ci)
        t = questionnaire_template(key)
        created = self.ago(opened + 1, 9)
        q: dict[str, Any] = {
            "id": _uuid(rng), "community_id": self.g.communities[ci]["id"],
            "grid_ids": [g.id for g in targets], "status": "draft",
            "results_visibility": "public" if key == "satisfaction" else "staff",
            "created_by_id": staff, "created_at": created, **t.questionnaire_fields(),
        }
        if status == "archived":
            q["title"] = q["title"].replace("调查", "调查（上半年）")
        opens = self.ago(opened, 10)
        q["closes_at"] = (opens + dt.timedelta(days=12) if closed is None
                          else self.ago(closed, 18))
        if status != "draft":
            self.step(q, workflows.questionnaire_step, "publish", {}, staff, opens)
            q["code"] = self.code("questionnaire")
        if status in ("closed", "archived"):
            self.step(q, workflows.questionnaire_step, "close", {}, staff, q["closes_at"])
        if status == "archived":
            self.step(q, workflows.questionnaire_step, "archive", {}, staff,
                      q["closes_at"] + dt.timedelta(days=7))
        row = self.data.add("questionnaire", q)
        if status != "draft":
            end = row["closed_at"] or self.limit
            self.responses(row, targets, rate, opens, end, rng)
        return row

    def answers(self, rng: random.Random, questions: list[dict[str, Any]],
                lean: float) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for q in questions:
            kind = q["kind"]
            if not q.get("required") and rng.random() < 0.35:
                continue
            n = len(q.get("options") or [])
            if kind == participation.SINGLE:
                weights = [lean ** (n - i) for i in range(n)]
                out[q["id"]] = rng.choices(range(n), weights)[0]
            elif kind == participation.MULTIPLE:
                out[q["id"]] = sorted(rng.sample(range(n), rng.randint(1, min(3, n))))
            elif kind == participation.SCALE:
                out[q["id"]] = rng.choices((1, 2, 3, 4, 5), (1, 2, 5, 9, 7))[0]
            elif rng.random() < 0.5:
                out[q["id"]] = rng.choice(TEXT_ANSWERS)
        for q in questions:  # a required question skipped above cannot be
            if q.get("required") and q["id"] not in out:
                out[q["id"]] = 0 if q["kind"] != participation.SCALE else 4
        return out

    def responses(self, q: dict[str, Any], targets: list[Any], rate: float,
                  start: dt.datetime, end: dt.datetime, rng: random.Random) -> None:
        questions = q["questions"]
        lean = rng.uniform(1.2, 2.0)
        for grid in targets:
            count = min(40, max(2, round(grid.households * rate)))
            for sid, nick in self.senders(grid, count):
                received = self.between(rng, start, end)
                response: dict[str, Any] = {
                    "id": participation.response_id(q["id"],
                                                    participation.wechat_respondent(sid)),
                    "questionnaire_id": q["id"], "grid_id": grid.id, "sender_id": sid,
                    "sender_name": nick, "channel": "wechat", "received_at": received,
                    "answers": self.answers(rng, questions, lean),
                    "message_id": f"wx-{_uuid(rng)}", "history": [],
                }
                if rng.random() < 0.08 and received + dt.timedelta(hours=2) < end:
                    # Changed their mind: a later reply replaced the first one.
                    later = self.between(rng, received + dt.timedelta(hours=1), end)
                    response = participation.replaced_response(response, {
                        **response, "answers": self.answers(rng, questions, lean),
                        "received_at": later, "message_id": f"wx-{_uuid(rng)}"})
                self.data.add("questionnaire_response", response)
            # A few households answered on a visit or by phone.
            for sample in grid.samples[: rng.randint(1, 3)]:
                household = sample[0]
                self.data.add("questionnaire_response", {
                    "id": participation.response_id(
                        q["id"], participation.household_respondent(household)),
                    "questionnaire_id": q["id"], "grid_id": grid.id,
                    "household_id": household, "channel": rng.choice(("visit", "phone")),
                    "received_at": self.between(rng, start, end),
                    "answers": self.answers(rng, questions, lean),
                    "entered_by_id": grid.worker_ids[0], "history": [],
                })

    # -- consultations ---------------------------------------------------------------

    def consultations(self, ci: int, full: bool) -> None:
        rng = self.rng("consultations", ci)
        grids = self.grids_of(ci)
        plans: list[tuple[str, str, str, float, list[Any]]] = [
            # stage, topic (or template key), background, published days ago, targets
            ("voting", "courtyard", "", 16, grids[:3]),
            ("announced", "增设非机动车充电桩",
             "多位居民反映电动车楼道充电有火灾隐患，提议在小区增设集中充电桩。", 30, grids[:2]),
        ]
        if full:
            plans = [
                ("collecting", "parking", "", 2, grids[:4]),
                ("discussing", "elevator", "", 9, grids[1:2]),
                *plans,
                ("decided", "楼道堆物清理",
                 "部分楼道堆放杂物，影响通行和消防安全，商量统一清理办法。", 12, grids[:3]),
                ("closed", "小区垃圾分类投放点调整",
                 "现有投放点离住户窗户太近，夏天气味大，商量调整位置。", 60, grids[:2]),
            ]
        for stage, topic, background, published, targets in plans:
            self.consultation(ci, rng, stage, topic, background, published, targets)

    def consultation(self, ci: int, rng: random.Random, stage: str, topic: str,
                     background: str, published: float, targets: list[Any]) -> None:
        staff = self.staff_of(ci)
        fn = workflows.consultation_step
        options: list[str] = []
        if topic in ("parking", "elevator", "courtyard"):
            t = consultation_template(topic)
            topic, background, options = t.title, t.intro, list(t.options)
        c: dict[str, Any] = {
            "id": _uuid(rng), "community_id": self.g.communities[ci]["id"],
            "grid_ids": [g.id for g in targets], "topic": topic, "background": background,
            "proposer_kind": "resident" if rng.random() < 0.5 else "staff",
            "stage": "collecting", "options": options, "ticket_ids": [], "history": [],
            "created_by_id": staff, "created_at": self.ago(published + 1, 9),
        }
        if c["proposer_kind"] == "resident" and targets and targets[0].samples:
            sample = targets[0].samples[0]
            c.update(proposer_name=sample[1], proposer_household_id=sample[0])
        else:
            c["proposer_name"] = self.g.staff_by_id[staff]["display_name"]
        order = ["collecting", "discussing", "voting", "decided", "announced", "closed"]
        reached = order.index(stage)
        # The days of each step, spread over the time since publishing.
        span = published - 0.5
        moments = [self.ago(published - span * k / (reached + 1), 10 + k)
                   for k in range(reached + 1)]
        self.step(c, fn, "publish", {}, staff, moments[0])
        c["code"] = self.code("consultation")
        windows: list[tuple[str, dt.datetime, dt.datetime]] = []
        start = moments[0]
        for k, name in enumerate(order[1:reached + 1], start=1):
            at = moments[k]
            if name in ("discussing", "voting"):
                windows.append((order[k - 1], start, at))
                self.step(c, fn, {"discussing": "discuss", "voting": "vote"}[name], {},
                          staff, at)
                start = at
            elif name == "decided":
                windows.append((order[k - 1], start, at))
                decision = self.decision(c, options, rng)
                self.step(c, fn, "decide", {"decision": decision}, staff, at)
            elif name == "announced":
                self.step(c, fn, "announce", {"announcement": "感谢各位居民参与协商，"
                                              "社区将跟进落实并及时公示进展。"}, staff, at)
            elif name == "closed":
                self.step(c, fn, "close", {}, staff, at)
        if reached <= order.index("voting"):
            windows.append((stage, start, self.limit))
        for window_stage, begin, end in windows:
            self.comments(c, targets, window_stage, begin, end, rng)
        if reached >= order.index("voting"):
            # The meeting (线下协商会) during the vote: a day after it opened, or
            # yesterday when the vote is still on.
            held = (moments[2] + dt.timedelta(days=1) if reached > 2
                    else self.limit - dt.timedelta(days=1))
            self.meeting(c, targets, held, rng)
        if reached >= order.index("decided"):
            decided_at = moments[order.index("decided")]
            titles = {"增设非机动车充电桩": [("安装集中充电桩", "property", "in_progress"),
                                          ("清理楼道充电飞线", "public_safety", "closed")],
                      "楼道堆物清理": [("清理各楼道堆放杂物", "sanitation", "accepted")],
                      "小区垃圾分类投放点调整": [("迁移垃圾分类投放点", "sanitation", "closed")]}
            for title, category, final in titles.get(topic, [(f"落实：{topic}", "property",
                                                             "assigned")]):
                ticket_id = _uuid(rng)
                c["ticket_ids"] = [*c["ticket_ids"], ticket_id]
                c["history"] = [*c["history"], {
                    "action": "create_ticket", "actor_id": staff,
                    "at": records.format_datetime(decided_at + dt.timedelta(hours=1)),
                    "stage": "decided", "ticket_id": ticket_id}]
                self.data.decision_tickets.append({
                    "id": ticket_id, "consultation": c, "grid": targets[0], "title": title,
                    "category": category, "final": final, "creator": staff,
                    "created_at": _whole(decided_at + dt.timedelta(hours=1))})
        c["history"] = sorted(c["history"], key=lambda h: h["at"])
        self.data.add("consultation", c)

    def decision(self, c: dict[str, Any], options: list[str], rng: random.Random) -> str:
        if options:
            return f"经线上投票和协商会表决，采纳{rng.choice(options)}。"
        return f"经协商，同意{c['topic'].replace('协商', '')}，由社区牵头、物业配合落实。"

    def comments(self, c: dict[str, Any], targets: list[Any], stage: str,
                 start: dt.datetime, end: dt.datetime, rng: random.Random) -> None:
        if end <= start:
            return
        options = c["options"]
        voting = stage == "voting"
        for grid in targets:
            n = rng.randint(4, 9) if voting else rng.randint(2, 5)
            for sid, nick in self.senders(grid, n):
                stance: str | None
                choice: str | None = None
                if voting and options:
                    stance = None
                    choice = participation.letter(rng.choices(range(len(options)),
                                                              [3, 2, 1, 1, 1][:len(options)])[0])
                    text = rng.choice(OPINIONS) if rng.random() < 0.3 else None
                else:
                    stance = rng.choices(("support", "oppose", "opinion"), (5, 2, 3))[0]
                    text = rng.choice(OPINIONS) if stance == "opinion" or \
                        rng.random() < 0.4 else None
                self.data.add("consultation_comment", {
                    "id": _uuid(rng), "consultation_id": c["id"], "grid_id": grid.id,
                    "author_kind": "resident", "sender_id": sid, "sender_name": nick,
                    "stance": stance, "choice": choice, "text": text, "channel": "wechat",
                    "stage": stage, "received_at": self.between(rng, start, end),
                    "message_id": f"wx-{_uuid(rng)}",
                })

    def meeting(self, c: dict[str, Any], targets: list[Any], held: dt.datetime,
                rng: random.Random) -> None:
        held = min(_whole(held.replace(hour=14, minute=30)), self.limit)
        attendees = [{"kind": "staff", "staff_id": c["created_by_id"],
                      "name": self.g.staff_by_id[c["created_by_id"]]["display_name"]},
                     {"kind": "property", "name": "物业服务中心"}]
        for grid in targets[:2]:
            for sample in grid.samples[:4]:
                attendees.append({"kind": "resident", "name": sample[1]})
        options = c["options"]
        votes = ({participation.letter(i): rng.randint(1, 12) for i in range(len(options))}
                 if options else {"support": rng.randint(8, 20), "oppose": rng.randint(0, 5),
                                  "abstain": rng.randint(0, 3)})
        self.data.add("consultation_meeting", {
            "id": _uuid(rng), "consultation_id": c["id"], "held_at": held,
            "place": "社区居民议事厅", "attendees": attendees,
            "minutes": f"围绕“{c['topic']}”听取居民、物业意见，现场举手表决。",
            "photos": _two_pictures(str(c["id"])),
            "votes": votes, "created_by_id": c["created_by_id"],
        })

    # -- volunteers ------------------------------------------------------------------

    def volunteering(self, ci: int, full: bool) -> None:
        rng = self.rng("volunteers", ci)
        community = self.g.communities[ci]["id"]
        grids = self.grids_of(ci)
        volunteers = []
        for k in range(22 if full else 10):
            grid = grids[k % len(grids)]
            sample = grid.samples[k % len(grid.samples)] if grid.samples else None
            wechat = rng.random() < 0.6
            name = self.g.person_name(rng, rng.random() < 0.45, rng.randint(1950, 1995))
            v = self.data.add("volunteer", {
                "id": _uuid(rng), "community_id": community, "name": name,
                "household_id": sample[0] if sample and rng.random() < 0.5 else None,
                "phone": self.g.mobile(rng), "skills": rng.sample(SKILLS, rng.randint(1, 3)),
                "availability": rng.choice(AVAILABILITY),
                "sender_id": f"wxid_{rng.getrandbits(56):014x}" if wechat else None,
                "active": rng.random() > 0.05, "joined_at": self.ago(rng.uniform(20, 400)),
            })
            volunteers.append(v)
        active = [v for v in volunteers if v["active"]]
        staff = self.staff_of(ci)
        fn = workflows.activity_step
        plans = [("关爱独居老人上门探访", "done", -20, 8), ("周末楼道清洁", "published", 3, 10)]
        if full:
            plans += [("社区义诊·量血压", "done", -45, 6), ("垃圾分类宣传站", "published", 6, 12),
                      ("邻里游园会", "draft", 14, 20), ("雨天户外植树", "cancelled", -5, 15)]
        for title, status, in_days, needed in plans:
            starts = _whole(self.ago(-in_days, 9))
            a: dict[str, Any] = {
                "id": _uuid(rng), "community_id": community,
                "grid_ids": [g.id for g in grids[:3]], "title": title,
                "description": f"{title}，欢迎热心居民报名参加。", "place": "社区党群服务中心",
                "starts_at": starts, "ends_at": starts + dt.timedelta(hours=3),
                "needed": needed, "status": "draft", "signups": [], "attended": [],
                "created_by_id": staff,
            }
            if status != "draft":
                published = min(starts - dt.timedelta(days=7), self.limit)
                self.step(a, fn, "publish", {}, staff, published)
                a["code"] = self.code("volunteer_activity")
                people = rng.sample(active, min(len(active), needed - rng.randint(0, 3)))
                for v in people:
                    at = self.between(rng, published, min(starts, self.limit))
                    a["signups"] = [*a["signups"], {
                        "volunteer_id": v["id"], "at": records.format_datetime(at),
                        "channel": "wechat" if v["sender_id"] else "staff"}]
                if status == "done":
                    came = [s["volunteer_id"] for s in a["signups"] if rng.random() < 0.85]
                    self.step(a, fn, "complete", {"attendance": [
                        {"volunteer_id": vid, "hours": rng.choice((2, 2.5, 3))}
                        for vid in came]}, staff, a["ends_at"])
                elif status == "cancelled":
                    self.step(a, fn, "cancel", {"reason": "天气原因取消"}, staff,
                              starts - dt.timedelta(days=1))
            self.data.add("volunteer_activity", a)
