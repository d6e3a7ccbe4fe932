"""Demo content of the 鼓宝 console: the district's knowledge base (民生问答), alert rules
(智慧告警) and a few announcements per community, seeded by :mod:`server.demo_data` and
used by ``bench/bot_answers.py`` as the knowledge base its questions are asked against.

Ids are derived from each entry's key, so the bench's expected answers name them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

_NAMESPACE = uuid.UUID("0b7a51c2-6f0e-4d3a-9a2e-6c1b5e8d4f21")


def entry_id(key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"knowledge:{key}"))


def rule_id(key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"alert:{key}"))


# (key, question, keywords, answer)
KNOWLEDGE: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("gaoling", "高龄津贴怎么申领？", ("高龄津贴", "高龄补贴", "尊老金", "八十岁补贴", "80岁"),
     "年满80周岁的南京户籍老人可申领高龄津贴：带老人身份证、户口簿、银行卡到社区党群服务中心"
     "登记，次月起按月发放（80-89岁每月100元，90-99岁每月200元，100岁以上每月500元）。"),
    ("yanglao_renzheng", "养老金资格认证怎么做？", ("养老金认证", "资格认证", "生存认证",
                                                "退休金认证", "养老金年审"),
     "领取养老金的退休人员每年做一次资格认证：用“江苏智慧人社”APP或支付宝刷脸即可；"
     "行动不便的可打社区电话，工作人员上门帮办。"),
    ("yibao_jiaofei", "城乡居民医保怎么缴费？", ("居民医保", "医保缴费", "医保交费", "交医保",
                                              "缴医保", "医疗保险"),
     "城乡居民医保每年9月至12月集中缴费：可用“江苏税务”APP、支付宝或到银行柜台缴纳，"
     "低保、特困、重度残疾人员由政府资助。"),
    ("shebaoka_buban", "社保卡丢了怎么补办？", ("社保卡丢", "补办社保卡", "社保卡补办",
                                              "社保卡挂失", "社保卡掉了", "社保卡坏"),
     "社保卡丢失先打12333或在“我的南京”APP挂失，再带身份证到街道社保服务站或合作银行网点补办，"
     "当场可取临时卡。"),
    ("dibao", "低保怎么申请？", ("低保", "最低生活保障", "困难补助", "生活困难"),
     "家庭人均收入低于南京低保标准的，可由户主带身份证、户口簿、收入证明到社区提出申请，"
     "社区入户调查、公示后报街道审核。"),
    ("canjizheng", "残疾证怎么办理？", ("残疾证", "残疾人证", "办残疾", "残疾鉴定"),
     "办理残疾证：带身份证、户口簿、两寸照片到社区登记，领取评定表后到指定医院做残疾评定，"
     "结果出来后由区残联发证。"),
    ("juzhuzheng", "居住证怎么办？", ("居住证", "暂住证"),
     "外地户籍在南京居住满半年、有合法稳定住所或就业的，可带身份证、租房合同或房产证明到"
     "派出所户籍窗口或社区警务室申领居住证。"),
    ("xinsheng_luohu", "新生儿怎么落户？", ("新生儿落户", "孩子落户", "宝宝落户", "小孩上户口",
                                          "新生儿上户口", "出生落户", "报户口"),
     "新生儿落户：带出生医学证明、父母身份证、户口簿、结婚证到派出所户籍窗口办理，"
     "也可在“我的南京”APP网上申请。"),
    ("laonianka", "老年人优待证怎么办？", ("老年证", "老年卡", "优待证", "老人卡", "敬老卡",
                                          "老年人优待证", "公交免费", "免费坐公交", "免费乘车"),
     "年满60周岁可办老年人优待证，带身份证、一寸照片到社区登记；满65周岁可免费乘坐公交地铁。"),
    ("zhucan", "社区助餐点怎么吃饭？", ("助餐", "老年食堂", "助餐点", "老人吃饭", "吃饭补贴"),
     "社区助餐点中午11:00-12:30供餐，60岁以上老人凭优待证就餐享受补贴，"
     "行动不便的可登记送餐上门。"),
    ("jujia_yanglao", "居家养老服务怎么申请？", ("居家养老", "上门服务", "养老服务",
                                              "助浴", "上门护理", "政府购买服务"),
     "独居、空巢、失能老人可申请居家养老服务（助洁、助浴、陪护等）：带身份证、户口簿到社区"
     "填写申请表，评估后安排服务。"),
    ("dianti", "老小区加装电梯怎么申请？", ("加装电梯", "装电梯", "电梯加装", "加梯"),
     "加装电梯需本单元三分之二以上业主同意并签协议，由业主代表向社区提出，社区协助设计、"
     "公示和报批，区里有补贴。"),
    ("diandongche", "电动车在哪里充电？", ("电动车充电", "电瓶车充电", "充电桩", "飞线充电",
                                        "电动车充", "充电车棚"),
     "小区集中充电棚在各小区东门车棚，扫码充电；严禁把电动车推进楼道或家中充电、飞线充电。"),
    ("laji", "垃圾分类怎么分？", ("垃圾分类", "厨余垃圾", "可回收物", "有害垃圾", "垃圾怎么扔",
                                "扔垃圾", "垃圾投放"),
     "垃圾分四类：厨余垃圾、可回收物、有害垃圾、其他垃圾。定时投放：早7:00-9:00，"
     "晚18:00-20:00，大件垃圾请预约清运。"),
    ("dajian_laji", "大件垃圾怎么处理？", ("大件垃圾", "旧家具", "装修垃圾", "建筑垃圾",
                                         "沙发扔", "旧床垫"),
     "旧家具等大件垃圾、装修垃圾请先联系物业或社区预约，放到指定堆放点，不得堆在楼道。"),
    ("tingche", "小区停车怎么办理？", ("停车证", "停车位", "车位", "停车收费", "办停车",
                                      "月租车位"),
     "小区停车位由物业统一管理：业主带行驶证、房产证明到物业办理停车证；访客车辆限时2小时免费。"),
    ("chongwu", "养狗要办证吗？", ("养狗", "养犬", "犬证", "狗证", "遛狗", "狗办证"),
     "南京城区养犬须办理养犬登记证：带身份证、房产证明、犬只免疫证到派出所或“我的南京”APP"
     "办理；遛狗必须拴绳、清理粪便。"),
    ("yimiao", "老人打疫苗去哪里？", ("疫苗", "接种", "打针", "流感疫苗", "肺炎疫苗"),
     "60岁以上老人可到街道社区卫生服务中心免费接种流感、肺炎疫苗，请带身份证和社保卡，"
     "周一至周五上午接种。"),
    ("tijian", "老年人免费体检什么时候？", ("免费体检", "老年人体检", "老人体检", "体检"),
     "65岁以上老人每年可在社区卫生服务中心免费体检一次，一般在4-6月，社区会提前通知，"
     "请空腹带身份证。"),
    ("shiye", "失业了怎么登记领失业金？", ("失业登记", "失业金", "失业保险", "领失业",
                                          "没工作了"),
     "失业后可带身份证、解除劳动合同证明到街道就业创业服务站做失业登记，缴满一年失业保险的"
     "可申领失业金，也可在“江苏智慧人社”APP申请。"),
    ("jiuye", "社区有没有招聘信息？", ("招聘", "找工作", "工作岗位", "就业", "公益岗位"),
     "街道就业创业服务站每周二发布招聘信息，公益性岗位优先安排就业困难人员，"
     "可带身份证到服务站登记求职。"),
    ("juzhu_zhengming", "居住证明怎么开？", ("居住证明", "开证明", "住址证明", "开居住证明"),
     "居住证明请本人带身份证、房产证或租房合同到社区党群服务中心开具，工作日当场办理。"),
    ("tuixiu", "退休手续怎么办？", ("退休手续", "办退休", "退休申请", "到龄退休"),
     "到退休年龄前一个月，单位职工由单位办理；灵活就业人员带身份证、社保卡到街道社保服务站"
     "或“江苏智慧人社”APP申请。"),
    ("tingshui", "停水停电去哪里看通知？", ("停水", "停电", "停气", "没水了", "没电了"),
     "计划停水停电会提前在群里和小区公告栏通知；突然停水停电请先问物业，或拨打供水96889、"
     "供电95598。"),
    ("falv", "遇到法律问题找谁？", ("法律咨询", "法律援助", "打官司", "律师", "欠薪",
                                   "纠纷咨询"),
     "社区法律服务室每周三下午有律师值班免费咨询；经济困难的可到区法律援助中心申请法律援助，"
     "或拨打12348。"),
    ("wuye_baoxiu", "家里东西坏了找谁修？", ("报修", "水管漏", "下水道堵", "马桶堵", "家电维修"),
     "公共部位（楼道灯、下水主管）请找物业报修；家里的水电、家电可找社区便民维修服务点，"
     "也可在群里说明情况由网格员帮助联系。"),
    ("huji_qianyi", "户口迁移怎么办理？", ("户口迁移", "迁户口", "户口迁入", "户口迁出",
                                        "户籍迁移"),
     "户口迁移：带身份证、户口簿、房产证明（或准迁证）到迁入地派出所户籍窗口办理，"
     "省内迁移可“一站式”办理。"),
    ("shenfenzheng", "身份证过期了怎么换？", ("身份证过期", "换身份证", "补办身份证",
                                            "身份证丢", "身份证到期", "身份证换领"),
     "身份证到期换领或丢失补办，带户口簿到任一派出所户籍窗口办理，可异地办理，"
     "办好后可邮寄到家。"),
    ("jiangwen", "夏天高温老人去哪里避暑？", ("避暑", "高温", "纳凉点", "太热了"),
     "高温天气社区党群服务中心一楼开放纳凉点（9:00-17:00），有空调、饮用水和常用药品。"),
    ("zhiyuanzhe", "怎么报名当志愿者？", ("志愿者", "做志愿", "当志愿", "志愿服务"),
     "想当志愿者的居民可在群里回复“报名 活动编号”报名活动，或到社区党群服务中心登记技能和"
     "空闲时间。"),
)

# (key, name, keywords, with_words, level, notify)
ALERT_RULES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], str, tuple[str, ...]],
                  ...] = (
    ("fire", "火情", ("着火", "火灾", "起火", "冒烟", "失火"), (), "urgent",
     ("grid_worker", "community_clerks", "street_duty")),
    ("trapped", "被困", ("被困", "困在电梯", "电梯困人", "出不来"), (), "urgent",
     ("grid_worker", "community_clerks")),
    ("faint", "人员晕倒", ("晕倒", "昏倒", "摔倒了起不来", "没有反应", "不省人事"), (),
     "urgent", ("grid_worker", "community_clerks")),
    ("gas", "煤气泄漏", ("煤气味", "燃气泄漏", "煤气泄漏", "天然气味", "漏气"), (), "urgent",
     ("grid_worker", "community_clerks", "street_duty")),
    ("leak", "楼上漏水", ("漏水", "渗水", "滴水"), ("楼上", "天花板", "顶上"), "watch",
     ("grid_worker",)),
)


def knowledge_rows(clerk_id: str | None, created_at: dt.datetime) -> list[dict[str, Any]]:
    """The district's knowledge entries (owner: the district's first clerk, for the
    demo), with made-up hit counts so the desk's list has something to sort by."""
    rows = []
    for n, (key, question, keywords, answer) in enumerate(KNOWLEDGE):
        rows.append({
            "id": entry_id(key), "question": question, "answer": answer,
            "keywords": list(keywords), "scope": "district", "street_id": None,
            "community_id": None, "valid_from": None, "valid_to": None, "active": True,
            "owner_id": clerk_id, "hit_count": (37 * (n + 3)) % 140,
            "last_hit_at": None, "created_at": created_at,
        })
    return rows


def alert_rule_rows(admin_id: str | None) -> list[dict[str, Any]]:
    return [{"id": rule_id(key), "name": name, "keywords": list(keywords),
             "with_words": list(with_words), "level": level, "notify": list(notify),
             "scope": "district", "street_id": None, "community_id": None, "active": True,
             "created_by_id": admin_id, "fired_count": 0}
            for key, name, keywords, with_words, level, notify in ALERT_RULES]


UNANSWERED: tuple[tuple[str, int], ...] = (
    # (a question residents asked that the knowledge base does not answer, times asked)
    ("小区东门的路什么时候修好？", 6),
    ("社区食堂周末开不开？", 4),
    ("老年大学怎么报名？", 3),
    ("孩子暑假托管班在哪里报名", 3),
    ("家门口的共享单车太多了能不能清一下", 2),
    ("燃气表换新的要收费吗", 2),
    ("独生子女父母奖励金怎么领", 1),
)


def unanswered_rows(community_id: str, grids: list[tuple[str, str]], now: dt.datetime,
                    question_id: Any) -> list[dict[str, Any]]:
    """Questions the bot could not answer in one community, spread over its groups
    (``grids``: (grid id, group id)); ``question_id`` is :func:`server.bot_ask.question_id`
    (asked again, the same record counts up)."""
    rows = []
    for n, (text, count) in enumerate(UNANSWERED):
        grid, group = grids[n % len(grids)]
        rows.append({
            "id": question_id(community_id, text), "community_id": community_id,
            "grid_id": grid, "group_id": group, "text": text,
            "asked_at": now - dt.timedelta(hours=5 * n + 2), "best_score": 0.2,
            "count": count, "status": "open", "entry_id": None})
    return rows


def announcement_rows(community_id: str, clerk_id: str | None, worker_id: str | None,
                      worker_grids: list[str], now: dt.datetime) -> list[dict[str, Any]]:
    """A community's announcements: sent ones (history), a recurring weekly notice, a
    clerk's draft and a social worker's draft waiting for approval."""
    def row(key: str, **values: Any) -> dict[str, Any]:
        base: dict[str, Any] = {
            "id": str(uuid.uuid5(_NAMESPACE, f"announcement:{community_id}:{key}")),
            "community_id": community_id, "grid_ids": [], "kind": "notice", "title": "",
            "text": "", "send_at": None, "recurrence": "none", "status": "draft",
            "created_by_id": clerk_id, "approved_by_id": None, "sent_at": None,
            "sent_count": 0, "history": []}
        base.update(values)
        return base

    def at(days: float, hour: int = 9) -> dt.datetime:
        return (now + dt.timedelta(days=days)).replace(hour=hour, minute=0)

    return [
        row("water", title="停水通知", status="sent", send_at=at(-6), sent_at=at(-6),
            sent_count=1, approved_by_id=clerk_id,
            text="【停水通知】因管网维修，本周三9:00-15:00小区停水，请提前储水。"),
        row("flu", kind="activity", title="免费流感疫苗接种", status="sent", send_at=at(-3),
            sent_at=at(-3), sent_count=1, approved_by_id=clerk_id,
            text="【活动预告】本周六上午社区卫生服务站为60岁以上老人免费接种流感疫苗，请带身份证。"),
        row("weekly", title="每周一安全提示", status="scheduled", recurrence="weekly",
            send_at=at(7 - now.weekday(), 8), approved_by_id=clerk_id,
            text="【安全提示】天气干燥，请不要在楼道堆放杂物，电动车不进楼、不飞线充电。"),
        row("newyear", kind="holiday", title="元旦问候", status="scheduled",
            send_at=dt.datetime(now.year + 1, 1, 1, 8, 0, tzinfo=now.tzinfo),
            approved_by_id=clerk_id, text="【节日问候】社区全体工作人员祝大家元旦快乐，新年安康！"),
        row("lecture", kind="activity", title="防诈骗讲座", status="draft", send_at=at(4, 10),
            text="【活动预告】下周二下午两点在社区活动室举办防诈骗讲座，欢迎参加。"),
        row("stairs", title="楼道清理通知", status="pending", created_by_id=worker_id,
            grid_ids=worker_grids[:1], send_at=at(2),
            text="【通知】本周五网格统一清理楼道堆物，请各户提前把自家物品搬回家中。",
            history=[{"action": "submit", "actor_id": worker_id,
                      "at": (now - dt.timedelta(hours=3)).isoformat(timespec="seconds")}]),
    ]
