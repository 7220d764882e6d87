"""A small knowledge base with an imported law of twelve articles, written into a test's tmp dir.

The law is made up for the tests: its articles hold dates, counts with 日/年/元/条, and
domain words of its userdict.txt, so every kind of cloze has material.
"""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase

SOURCES = """\
primary: demo-patent-regulation
sources:
  - id: demo-notice
    short: 示例通知
    title: 示例市知识产权局关于施行《示例市专利促进条例》的通知
    issuer: 示例市知识产权局
    date: 2024-01-15
"""

ARTICLES = [
    (1, 1, "为了鼓励发明创造，促进专利运用，保护专利权人的合法权益，制定本条例。"),
    (2, 1, "本条例适用于本市行政区域内专利的创造、运用、保护、管理和服务活动。"),
    (3, 1, "市人民政府专利行政部门负责本市的专利工作，每年发布专利发展报告。"),
    (
        4,
        2,
        "市人民政府设立专利资助资金，对授权发明专利每件给予五千元资助，对获得专利金奖的给予十万元奖励。",
    ),
    (5, 2, "高等学校、科研机构应当建立专利转化制度；专利授权后三年内未实施的，可以许可他人实施。"),
    (6, 2, "企业可以向专利行政部门申请专利导航服务，专利行政部门应当在十五日内答复。"),
    (7, 2, "鼓励金融机构开展专利质押融资，质押登记机构应当在七日内办理登记，登记有效期为二年。"),
    (8, 3, "专利行政部门处理侵权纠纷，应当自立案之日起九十日内结案。"),
    (9, 3, "展会主办方应当设立专利投诉机构，并在三日内处理展会期间的专利投诉。"),
    (10, 3, "重复侵犯专利权的，由专利行政部门责令改正，处五万元以上五十万元以下罚款。"),
    (11, 4, "违反本条例第十条规定，构成犯罪的，依法追究刑事责任。"),
    (12, 4, "本条例自2024年3月1日起施行。"),
]

CHAPTERS = [
    (1, "总则", 1, 3),
    (2, "专利创造与运用", 4, 7),
    (3, "专利保护", 8, 10),
    (4, "附则", 11, 12),
]


def law_yaml() -> str:
    lines = [
        "law:",
        "  id: demo-patent-regulation",
        "  title: 示例市专利促进条例",
        "  aliases: [示例条例]",
        "  adopted: 2023-12-20",
        "  effective: 2024-03-01",
        f"  article_count: {len(ARTICLES)}",
        "  chapters:",
    ]
    for number, name, first, last in CHAPTERS:
        lines += [
            f"    - number: {number}",
            f"      name: {name}",
            f"      first_article: {first}",
            f"      last_article: {last}",
        ]
    lines += ["  citation:", "    source: demo-notice", "    locator: 示例通知 正文", "articles:"]
    labels = "一二三四五六七八九十"
    for number, chapter, text in ARTICLES:
        label = labels[number - 1] if number <= 10 else "十" + labels[number - 11]
        lines += [
            f"  - number: {number}",
            f"    label: 第{label}条",
            f"    chapter: {chapter}",
            "    paragraphs:",
            f"      - {text}",
        ]
    return "\n".join(lines) + "\n"


ENTRIES = """\
entries:
  - id: regulation-adoption
    kind: fact
    title: 《示例条例》的通过
    text: 《示例市专利促进条例》于2023年12月20日经示例市人大常委会审议通过。
    source: demo-notice
    locator: 示例通知 正文
"""

CONTACTS = """\
contacts:
  - id: zhang-san
    name: 张三
    organization: 示例市知识产权局
    phone: "010-11111111"
    serves: 专利资助资金的申请
    source: demo-notice
    locator: 示例通知 联系人
  - id: li-si
    name: 李四
    organization: 示例市市场监督管理局
    phone: "010-22222222"
    serves: 专利侵权纠纷的处理
    source: demo-notice
    locator: 示例通知 联系人
"""

USERDICT = """\
专利 100 n
专利权 10 n
专利权人 10 n
发明创造 10 n
专利行政部门 10 nt
专利资助资金 10 n
发明专利 10 n
专利金奖 10 n
高等学校 10 n
科研机构 10 n
专利转化 10 n
专利导航 10 n
质押融资 10 n
侵权纠纷 10 n
展会 10 n
投诉机构 10 n
罚款 10 n
刑事责任 10 n
"""


def write_demo_kb(root: Path) -> Path:
    """Write the demo knowledge directory under `root` and return its path."""
    directory = root / "knowledge"
    (directory / "laws").mkdir(parents=True, exist_ok=True)
    (directory / "entries").mkdir(parents=True, exist_ok=True)
    (directory / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    (directory / "laws" / "demo-patent-regulation.yaml").write_text(law_yaml(), encoding="utf-8")
    (directory / "entries" / "facts.yaml").write_text(ENTRIES, encoding="utf-8")
    (directory / "contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    (directory / "userdict.txt").write_text(USERDICT, encoding="utf-8")
    return directory


def demo_kb(root: Path) -> KnowledgeBase:
    return load_knowledge(write_demo_kb(root))
