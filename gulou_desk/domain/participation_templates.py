"""Starting points for questionnaires and consultations that communities run again and
again (courtyard renovation, parking, elevator installation, a satisfaction survey).

A template fills a new draft; staff then edit it freely. The texts are Chinese because
residents read them in their groups; the desk names each template in the user's language
(``ui`` keeps the translated names, keyed by :attr:`Template.key`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    intro: str
    questions: list[dict[str, Any]] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    """Options to vote on (consultation templates)."""

    def questionnaire_fields(self) -> dict[str, Any]:
        return {"title": self.title, "intro": self.intro, "template": self.key,
                "questions": copy.deepcopy(self.questions)}

    def consultation_fields(self) -> dict[str, Any]:
        return {"topic": self.title, "background": self.intro, "options": list(self.options)}


def _single(qid: str, text: str, *options: str, required: bool = True) -> dict[str, Any]:
    return {"id": qid, "kind": "single", "text": text, "options": list(options),
            "required": required}


def _multiple(qid: str, text: str, *options: str, required: bool = False) -> dict[str, Any]:
    return {"id": qid, "kind": "multiple", "text": text, "options": list(options),
            "required": required}


def _scale(qid: str, text: str, required: bool = True) -> dict[str, Any]:
    return {"id": qid, "kind": "scale", "text": text, "required": required}


def _text(qid: str, text: str) -> dict[str, Any]:
    return {"id": qid, "kind": "text", "text": text, "required": False}


QUESTIONNAIRE_TEMPLATES: tuple[Template, ...] = (
    Template(
        "courtyard", "小区庭院改造意见征集",
        "社区计划对小区庭院进行改造，请各位居民说说您的想法。",
        [
            _single("q1", "您是否赞成对庭院进行改造？", "赞成", "不赞成", "无所谓"),
            _multiple("q2", "您最希望改造哪些方面？", "绿化", "健身器材", "休息座椅",
                      "儿童游乐", "照明", "停车"),
            _scale("q3", "您对目前庭院环境的满意度"),
            _text("q4", "其他建议"),
        ],
    ),
    Template(
        "parking", "小区停车管理方案征求意见",
        "针对小区停车难、乱停车问题，物业与社区拟定了管理方案，请您选择。",
        [
            _single("q1", "您家有几辆机动车？", "没有", "1辆", "2辆及以上"),
            _single("q2", "您倾向哪种停车管理方式？", "划线停车、先到先得", "固定车位、按月收费",
                    "错时共享周边单位车位"),
            _multiple("q3", "您最关心哪些问题？", "收费标准", "消防通道畅通", "外来车辆",
                      "电动车充电"),
            _text("q4", "其他意见"),
        ],
    ),
    Template(
        "elevator", "老旧小区加装电梯意愿调查",
        "为推进既有住宅加装电梯，想了解本单元居民的意愿。",
        [
            _single("q1", "您家住在几层？", "1-2层", "3-4层", "5层及以上"),
            _single("q2", "您是否同意本单元加装电梯？", "同意", "不同意", "视费用分摊而定"),
            _single("q3", "您能接受的出资方式", "按楼层梯度分摊", "平均分摊", "不愿出资",
                    required=False),
            _text("q4", "您的顾虑或建议"),
        ],
    ),
    Template(
        "satisfaction", "社区服务满意度调查",
        "请为社区今年的各项服务打分，帮助我们改进工作。",
        [
            _scale("q1", "社区工作人员的服务态度"),
            _scale("q2", "诉求办理的及时程度"),
            _scale("q3", "小区环境卫生"),
            _multiple("q4", "您希望社区增加哪些服务？", "老年助餐", "儿童托管", "文体活动",
                      "法律咨询", "就业帮扶"),
            _text("q5", "意见和建议"),
        ],
    ),
)

CONSULTATION_TEMPLATES: tuple[Template, ...] = (
    Template("courtyard", "小区庭院改造方案协商",
             "庭院改造方案已初步拟定，请居民共同商量选择。",
             options=["方案一：以绿化休闲为主", "方案二：增加停车位", "方案三：绿化与停车兼顾"]),
    Template("parking", "小区停车收费标准协商",
             "物业提出停车收费调整，社区组织居民、物业共同协商。",
             options=["维持现行标准", "按物业方案调整", "分时段收费"]),
    Template("elevator", "单元加装电梯协商",
             "本单元部分居民提出加装电梯，请大家协商出资和施工安排。", options=[]),
)


def questionnaire_template(key: str) -> Template:
    for t in QUESTIONNAIRE_TEMPLATES:
        if t.key == key:
            return t
    raise KeyError(key)


def consultation_template(key: str) -> Template:
    for t in CONSULTATION_TEMPLATES:
        if t.key == key:
            return t
    raise KeyError(key)
