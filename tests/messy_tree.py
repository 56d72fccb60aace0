"""A realistic messy evidence tree, built from the built-in template's texts, where the right criterion of each
folder is known: the search wing's tests and bench/search_bench.py measure suggestions against it.

Departments name folders by unit and topic, not by code: 县市场监管局/农贸市场快检/通知文件/…. Inside: notices
(Word) quoting a sentence of the rule amid boilerplate, ledgers (Excel), reports (PDF with a text layer), sign-in
sheets and banner photos (images with text drawn on them: only OCR reads them), and files with meaningless names
("新建 Microsoft Word 文档.docx"). Some topics appear under two units; about half the topic folders keep their files
in sub-folders named 通知文件/工作台账/活动照片/2024年.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from criteria.model import Criterion
from criteria.template import load_template
from tests.search_support import pdf_bytes, write_docx, write_xlsx

# code -> [(unit folder or None for the criterion's lead unit, the clerk's topic folder name)]
TOPICS: dict[str, list[tuple[str | None, str]]] = {
    "1.1": [(None, "创建实施方案")], "1.2": [(None, "领导小组文件")], "1.3": [(None, "任务分解和责任清单")],
    "1.4": [(None, "细则培训")], "1.5": [("城关镇", "本镇创建方案"), ("县教育局", "部门细化方案")],
    "1.6": [(None, "调度会和督查")], "1.7": [(None, "绩效考核")], "1.8": [(None, "创建经费"), ("城关镇", "镇级经费")],
    "1.9": [(None, "文明创建协作")], "1.10": [(None, "问责和表彰")],
    "2.1": [(None, "农残兽残治理"), ("县市场监管局", "农产品快检抽检")], "2.2": [(None, "食品生产企业HACCP")],
    "2.3": [(None, "农村集体聚餐"), ("城关镇", "农村小作坊整治")], "2.4": [(None, "农贸市场快检")],
    "2.5": [(None, "保健食品专柜")], "2.6": [(None, "学校食堂明厨亮灶"), ("县市场监管局", "校园周边检查")],
    "2.7": [(None, "外卖平台检查")], "3.1": [(None, "党政同责清单")], "3.2": [(None, "监管所规范化建设")],
    "3.3": [(None, "智慧监管创新")], "3.4": [(None, "检验检测能力")], "3.5": [(None, "应急演练")],
    "3.6": [(None, "食品安全宣传周")], "4.1": [(None, "抽检数据")], "4.2": [(None, "满意度测评")],
    "4.3": [(None, "知晓率调查")], "5.1.1": [(None, "动员大会")], "5.1.2": [(None, "学习资料汇编")],
    "5.1.3": [(None, "各单位方案报备")], "5.2.1": [(None, "攻坚进度")], "5.2.2": [(None, "督查通报")],
    "5.2.3": [(None, "进展报告报送")], "5.2.4": [(None, "宣传活动照片")], "5.3.1": [("城关镇", "自查报告")],
    "5.3.2": [(None, "自评报告公示")], "5.3.3": [(None, "问题整改")], "5.3.4": [(None, "省级初评准备")],
    "5.4.1": [(None, "初评反馈整改")], "5.4.2": [(None, "国家验收")], "5.5.1": [(None, "年度总结")],
    "5.5.2": [(None, "长效机制")],
}
SUBFOLDERS = ("通知文件", "工作台账", "活动照片", "2024年")
BOILERPLATE = ("为深入贯彻落实党中央、国务院关于食品安全工作的决策部署，扎实推进创建国家食品安全示范城市工作，",
               "根据县委、县政府工作安排，结合我单位实际，现将有关事项通知如下。",
               "请各单位高度重视，明确专人负责，按时报送相关材料。", "特此通知。")
MEANINGLESS = ("新建 Microsoft Word 文档.docx", "扫描件001.pdf", "材料(1).docx", "附件2.xlsx")


@dataclass(frozen=True)
class Folder:
    path: Path
    code: str


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[；。]", text) if len(s.strip()) >= 6]


def _items(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[；、，（）]", text) if len(s.strip()) >= 2]


def build_tree(root: Path, seed: int = 7, images: bool = True) -> list[Folder]:
    """Write the tree under `root`; return every topic folder with its right criterion."""
    rng = random.Random(seed)
    criteria = {c.code: c for c in load_template().criteria}
    folders = []
    for code, places in TOPICS.items():
        crit = criteria[code]
        for unit, topic in places:
            folder = root / (unit or (crit.units[0] if crit.units else "县食安办")) / topic
            others = [c for c in criteria.values() if c.rule and c.code != code]
            _fill(folder, topic, crit, rng.choice(others), rng, images)
            folders.append(Folder(folder, code))
    return folders


def _fill(folder: Path, topic: str, crit: Criterion, other: Criterion, rng: random.Random, images: bool) -> None:
    """A notice quotes the rule only sometimes, and now and then a sentence of another item's rule (a work plan
    names many tasks); a ledger's columns name the evidence only sometimes."""
    nested = rng.random() < 0.5
    place = (lambda kind: folder / SUBFOLDERS[kind]) if nested else (lambda kind: folder)
    rule = _sentences(crit.rule) or [crit.title]
    evidence = _items(crit.evidence) or [topic]
    said = [rng.choice(rule) + "。"] if rng.random() < 0.6 else []
    if rng.random() < 0.4:
        said.append(rng.choice(_sentences(other.rule) or [other.title]) + "。")
    rng.shuffle(said)
    notice = [f"关于做好{topic}工作的通知", BOILERPLATE[0] + BOILERPLATE[1], *said, BOILERPLATE[2], BOILERPLATE[3]]
    name = rng.choice((f"关于做好{topic}工作的通知.docx", MEANINGLESS[0], MEANINGLESS[2]))
    write_docx(place(0) / name, notice)
    ledger = [["序号", "日期", rng.choice(evidence) if rng.random() < 0.6 else "事项", "责任人", "备注"]]
    ledger += [[n, f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", f"{topic}第{n}次", "张三", ""]
               for n in range(1, rng.randint(4, 12))]
    write_xlsx(place(1) / rng.choice((f"{topic}台账.xlsx", MEANINGLESS[3])), {"台账": ledger})
    if rng.random() < 0.7:
        report = place(0) / rng.choice((f"{topic}工作情况报告.pdf", MEANINGLESS[1]))
        report.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"{topic}工作情况报告", BOILERPLATE[0][:30], rng.choice(rule if rng.random() < 0.6 else [""])[:34],
                 rng.choice(evidence)[:34]]
        report.write_bytes(pdf_bytes(["\n".join(lines)]))
    if images:
        write_image(place(2) / f"IMG_2024{rng.randint(1000, 9999)}.jpg", ["创建国家食品安全示范城市", topic])
        if rng.random() < 0.5:
            write_image(place(2) / "签到表.png", [f"{topic}工作会议签到表", "姓名  单位  职务", "张三  县食安办  科员"])


def write_image(path: Path, lines: list[str], width: int = 900) -> Path:
    """A banner or a sign-in sheet: dark text on a light background, the WenQuanYi font."""
    from PIL import Image, ImageDraw, ImageFont

    from archive.demo import find_cjk_font

    font = ImageFont.truetype(find_cjk_font(), 40)
    image = Image.new("RGB", (width, 80 + 70 * len(lines)), (250, 245, 235))
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((40, 40 + 70 * number), line, fill=(160, 20, 20), font=font)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path
