"""How well 鼓宝 answers residents' questions: top-1 precision and recall of
``gulou_desk.domain.gubao.best_answer`` over a set of real-style questions (as typed in a
neighbourhood WeChat group: no spaces, mixed polite filler, synonyms, typos of
punctuation), against the demo knowledge base (``server/demo_gubao.py``) and the service
catalogue of one street and one community (``server/demo_names.py``).

Each question has the entry it should get (a knowledge entry's key, a service item's
name) or none (a complaint or chat the bot must leave to staff). Precision: of the
questions the bot answered, the share answered with the expected entry. Recall: of the
questions that have an expected entry, the share answered with it.

    .venv/bin/python bench/bot_answers.py [--verbose]

Goal (issue 16): precision >= 0.9 at recall >= 0.8.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gulou_desk.domain import gubao
from server import demo_gubao, demo_names

STREET = "湖南路街道"
COMMUNITY = "颐和路社区"

K = "knowledge:"
S = "service:"

QUESTIONS: tuple[tuple[str, str | None], ...] = (
    # 民生问答
    ("我爸今年81了，高龄补贴去哪领", K + "gaoling"),
    ("请问尊老金怎么办理", K + "gaoling"),
    ("高龄津贴每个月发多少啊", K + "gaoling"),
    ("@鼓宝 养老金认证在手机上怎么弄", K + "yanglao_renzheng"),
    ("退休金认证今年做了没有怎么查", K + "yanglao_renzheng"),
    ("生存认证老人不会用手机怎么办", K + "yanglao_renzheng"),
    ("居民医保今年什么时候交", K + "yibao_jiaofei"),
    ("医保缴费在哪里交？", K + "yibao_jiaofei"),
    ("孩子的医疗保险怎么缴", K + "yibao_jiaofei"),
    ("社保卡丢了怎么办", K + "shebaoka_buban"),
    ("我妈的社保卡掉了，要去哪补", K + "shebaoka_buban"),
    ("社保卡坏了能换吗", K + "shebaoka_buban"),
    ("低保怎么申请", K + "dibao"),
    ("家里生活困难能不能申请补助", K + "dibao"),
    ("残疾证怎么办啊", K + "canjizheng"),
    ("请问残疾鉴定去哪家医院", K + "canjizheng"),
    ("外地人办居住证要什么材料", K + "juzhuzheng"),
    ("暂住证在哪里办", K + "juzhuzheng"),
    ("新生儿落户需要带什么", K + "xinsheng_luohu"),
    ("宝宝刚出生怎么报户口", K + "xinsheng_luohu"),
    ("老年证怎么办理", K + "laonianka"),
    ("我妈60岁了能办老年卡吗", K + "laonianka"),
    ("老人坐公交免费要办什么卡", K + "laonianka"),
    ("社区助餐点几点开饭", K + "zhucan"),
    ("老年食堂怎么吃饭", K + "zhucan"),
    ("居家养老服务怎么申请", K + "jujia_yanglao"),
    ("独居老人能申请上门服务吗", K + "jujia_yanglao"),
    ("我们单元想加装电梯怎么弄", K + "dianti"),
    ("老小区装电梯政府有补贴吗", K + "dianti"),
    ("电瓶车在哪充电", K + "diandongche"),
    ("小区充电桩在哪里", K + "diandongche"),
    ("垃圾分类怎么分啊", K + "laji"),
    ("厨余垃圾几点扔", K + "laji"),
    ("旧沙发旧家具怎么扔", K + "dajian_laji"),
    ("装修垃圾放哪里", K + "dajian_laji"),
    ("小区停车证怎么办", K + "tingche"),
    ("想租个车位找谁", K + "tingche"),
    ("养狗要不要办证", K + "chongwu"),
    ("犬证去哪里办", K + "chongwu"),
    ("老人打流感疫苗去哪里", K + "yimiao"),
    ("肺炎疫苗免费吗", K + "yimiao"),
    ("今年老年人免费体检什么时候", K + "tijian"),
    ("失业金怎么领", K + "shiye"),
    ("刚没工作了要去哪登记", K + "shiye"),
    ("社区有招聘信息吗", K + "jiuye"),
    ("想找份公益岗位", K + "jiuye"),
    ("居住证明怎么开", K + "juzhu_zhengming"),
    ("办退休手续要带什么", K + "tuixiu"),
    ("明天停水吗？", K + "tingshui"),
    ("怎么又停电了", K + "tingshui"),
    ("欠薪了去哪咨询法律援助", K + "falv"),
    ("马桶堵了找谁", K + "wuye_baoxiu"),
    ("户口迁移怎么办理", K + "huji_qianyi"),
    ("身份证过期了去哪换", K + "shenfenzheng"),
    ("太热了，老人有纳凉点吗", K + "jiangwen"),
    ("怎么报名当志愿者", K + "zhiyuanzhe"),
    ("老人满80岁有什么补贴吗", K + "gaoling"),
    # 便民服务目录 (怎么办 X, X 在哪, X 电话)
    ("社保服务站在哪里", S + f"{STREET}社保服务站"),
    ("街道社保服务站几点上班", S + f"{STREET}社保服务站"),
    ("派出所户籍窗口周六开门吗", S + f"{STREET}派出所户籍窗口"),
    ("法律援助工作站什么时候有人", S + f"{STREET}法律援助工作站"),
    ("12345热线是干什么的", S + "南京12345政务服务热线"),
    ("鼓楼医院电话多少", S + "南京鼓楼医院"),
    ("儿童医院在哪", S + "南京市儿童医院"),
    ("退役军人服务站在哪", S + f"{STREET}退役军人服务站"),
    ("长者照护之家怎么入住", S + f"{STREET}长者照护之家"),
    ("人力资源市场地址", S + "鼓楼区人力资源市场"),
    ("政务服务中心几点下班", S + "鼓楼区政务服务中心"),
    # 不该由机器人回答的（投诉、闲聊、报警）
    ("楼道灯坏了好几天了没人管", None),
    ("三楼着火了快来人", None),
    ("今天天气真好", None),
    ("楼下广场舞太吵了", None),
    ("谢谢网格员", None),
    ("隔壁装修天天砸墙", None),
    ("有人在小区里乱停车堵住消防通道", None),
    ("物业费为什么又涨了", None),
)


def knowledge_base() -> tuple[list[gubao.Candidate], list[gubao.Candidate]]:
    entries = [gubao.knowledge_candidate({
        "id": K + key, "question": q, "keywords": list(kw), "answer": a, "scope": "district"})
        for key, q, kw, a in demo_gubao.KNOWLEDGE]
    items = []
    for category, name, address, hours, phone, documents in demo_names.DISTRICT_SERVICES:
        items.append({"id": S + name, "name": name, "category": category, "hours": hours,
                      "phone": phone, "address": address, "documents": list(documents),
                      "scope": "district"})
    for category, pattern, hours, documents in demo_names.STREET_SERVICES:
        name = pattern.format(street=STREET)
        items.append({"id": S + name, "name": name, "category": category, "hours": hours,
                      "documents": list(documents), "scope": "street"})
    for category, pattern, hours, documents in demo_names.COMMUNITY_SERVICES:
        name = pattern.format(community=COMMUNITY)
        items.append({"id": S + name, "name": name, "category": category, "hours": hours,
                      "documents": list(documents), "scope": "community"})
    services = [gubao.service_candidate(item, (STREET, COMMUNITY)) for item in items]
    return entries, services


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="every question's answer")
    args = parser.parse_args()
    entries, services = knowledge_base()
    answered = correct = expected = 0
    for question, want in QUESTIONS:
        answer = gubao.best_answer(question, entries, services)
        got = answer.match.candidate.id if answer.match else None
        expected += want is not None
        answered += got is not None
        correct += got is not None and got == want
        if args.verbose or got != want:
            mark = "ok " if got == want else "BAD"
            score = f"{answer.match.score:.2f}" if answer.match else "-"
            print(f"{mark} {question}  ->  {got} ({score}); expected {want}")
    precision = correct / answered if answered else 0.0
    recall = correct / expected if expected else 0.0
    print(f"questions: {len(QUESTIONS)} ({expected} with an expected entry, "
          f"{len(QUESTIONS) - expected} to leave to staff)")
    print(f"answered: {answered}, correctly: {correct}")
    print(f"top-1 precision: {precision:.3f}  recall: {recall:.3f}  "
          f"(goal: precision >= 0.9 at recall >= 0.8)")
    return 0 if precision >= 0.9 and recall >= 0.8 else 1


if __name__ == "__main__":
    sys.exit(main())
