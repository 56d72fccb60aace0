"""What a name or the first and last lines of a document say: 文号, dates, 密级, the issuing body and the title.

Pure functions over text, no I/O. The layout they expect is that of a government document (GB/T 9704): a red header
"XX市食品安全委员会办公室文件", the 文号 "X食安办〔2024〕3号", the title over one to three lines, the addressee ending
with "：", the body, and at the end the issuing body over the date (落款). Ordinary documents start with their title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

CJK = re.compile(r"[\u4e00-\u9fff]")
_OPEN, _CLOSE = "〔[［【（(﹝", "〕]］】）)﹞"
_DOC_NO = re.compile(rf"([\u4e00-\u9fffA-Za-z]{{0,12}})\s*[{re.escape(_OPEN)}]\s*((?:19|20)\d{{2}})\s*"
                     rf"[{re.escape(_CLOSE)}]\s*第?\s*(\d{{1,5}})\s*号")
# words a 机关代字 never contains: where a run of characters before the bracket stops being the 文号
_NOT_PREFIX = re.compile(r".*(?:关于|转发|印发|根据|按照|贯彻|落实|执行|依据|附件|通知|决定|意见|方案|"
                         r"报告|请示|批复|纪要|[的和及与对])")
_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_HAN_DIGITS = "〇零○Ｏ０一二三四五六七八九"
_HAN_TENS = "[一二三四五六七八九十]{1,3}"
_YMD_HAN = re.compile(rf"([{_HAN_DIGITS}]{{4}})\s*年\s*({_HAN_TENS})\s*月\s*({_HAN_TENS})\s*日")
_YMD_SEP = re.compile(r"(?<![\d.])((?:19|20)\d{2})([.\-/_])(\d{1,2})\2(\d{1,2})(?![\d.])")
_YMD_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
# a camera's or phone's name: IMG_20240305_143012, Screenshot_2024-03-05-14-30-12, 屏幕截图 2024-03-05 143012
_STAMP = re.compile(r"(?<!\d)((?:19|20)\d{2})([-.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])[_\-T ]?"
                    r"([01]\d|2[0-3])([-.]?)([0-5]\d)\6([0-5]\d)(?!\d)")
# WeChat names a picture it saves (and its camera's) by that moment, in milliseconds since 1970: mmexport1709620212000.
# Not when it was taken, but mostly the same day, and often all there is: WeChat strips a photo's EXIF.
_EPOCH_MS = re.compile(r"^(?:mmexport|wx_camera_|microMsg\.)(1[2-9]\d{11})(?!\d)", re.I)
CHINA_TIME = timezone(timedelta(hours=8))  # a phone's clock in China: the same day whatever the PC's zone
SECRET_LEVELS = ("绝密", "机密", "秘密")  # state secrets (保密法); 内部, 公开 and the like are not
_SECRET = re.compile(rf"({'|'.join(SECRET_LEVELS)})\s*(?:★\s*\S{{0,6}})?")
_SKIP_LINE = re.compile(r"(?:\d{6}|特急|加急|特提|平急|急件|签发人[:：].*|附件\s*\d*[:：]?|[-—－]\s*\d+\s*[-—－])")
_NUMBERING = re.compile(r"^\s*(?:(?:[\dA-Za-z]+(?:[.\-_][\dA-Za-z]+)*)[\s\-_.、:：]+"
                        r"|[（(][\d一二三四五六七八九十]+[）)]\s*|[\d一二三四五六七八九十]+、\s*)")
_COPY_MARK = re.compile(r"(?:\s+\(\d{1,2}\)|\s*[-_]\s*副本|\s*的副本|\s*副本)$")
_CAMERA_NAME = re.compile(r"^(?:img|dsc|dscn|dcim|p\d|mmexport|wx_camera|screenshot|微信图片|屏幕截图|vid|pxl)", re.I)
# What programs and scanners call a document they made, not what it is: no 题名 (an empty one tells the clerk it is
# hers to type, "扫描件001" in the catalogue does not). Props ("Microsoft Word - 文档1") and file names alike.
PLACEHOLDER_TITLE = re.compile(
    r"^(?:untitled|无标题.*|标题|title|document\d*|文档\s*\d*|新建\s*(?:microsoft\s+)?[a-z]*\s*(?:文本)?(?:文档|工作表|"
    r"演示文稿|文件夹)\s*\d*|powerpoint.*|幻灯片.*|microsoft word.*|wps.*|sheet\d*|工作表\d*|book\d*|由.*生成的.*文档|"
    r"未命名.*|新文档.*|扫描(?:件|文件|文档|图片|全能王)?[\s\d_.:：\-]*|camscanner.*|(?:图片|照片|附件|截图)\s*\d*|"
    r"qq图片.*)$", re.I)
TITLE_ENDINGS = ("通知", "通报", "意见", "方案", "报告", "决定", "办法", "规定", "细则", "纪要", "函", "请示",
                 "批复", "公告", "通告", "计划", "总结", "要点", "制度", "名单", "清单", "说明", "汇报", "讲话",
                 "安排", "预案", "简报", "规划", "标准", "指南", "协议", "合同", "记录", "台账", "报表", "汇编")
_ORG = re.compile(r"(?:局|委|委员会|办|办公室|政府|中心|所|院|队|站|公司|部|厅|协会|学会|学校|中学|小学|"
                  r"幼儿园|医院|街道|办事处|镇|乡|管委会|科|处|室|组|党委|党组|集团|社|馆|会)$")
_PUNCTUATION = re.compile(r"[，。：；,:;]")
_DATE_HINT = re.compile(r"[\d年]")  # every date style has a digit or 年: most lines are ruled out by this alone
DATE_LINE_MAX = 24  # "二〇二四年十二月三十一日" is 12 characters: a line of its own with a date is short
HEAD_LINES, TAIL_LINES, TITLE_LINES = 15, 12, 3
JOINT_BODIES = 6  # bodies of a joint document's header or 落款, at most


_SPACES = re.compile(r"\s+")
_SPREAD = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")


def squeeze(text: str) -> str:
    """One line, single spaces, and no spaces between Chinese characters ("通　　知" is how a title is spread)."""
    if text.isalnum():  # no white space at all (most names and title lines): nothing to do
        return text
    text = _SPACES.sub(" ", text.replace("\u3000", " ")).strip()
    return _SPREAD.sub("", text) if " " in text else text


def doc_number(text: str) -> str:
    """The first 文号 in `text`, written the standard way: X政发〔2024〕12号 ("" when there is none)."""
    match = _DOC_NO.search(text) if "号" in text else None  # every 文号 ends with 号: most texts are ruled out
    return _standard(match) if match else ""


def _standard(match: re.Match) -> str:
    prefix = _NOT_PREFIX.sub("", match.group(1))
    return f"{prefix}〔{match.group(2)}〕{int(match.group(3))}号"


def _han_number(text: str) -> int:
    """一 … 三十一 (a month or day written in Chinese numerals)."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if "十" not in text:
        return digits.get(text, 0)
    tens, _, ones = text.partition("十")
    return (digits.get(tens, 0) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)


def _han_year(text: str) -> int:
    return int("".join(str("零一二三四五六七八九".index(c)) if c in "零一二三四五六七八九" else "0" for c in text))


_YEAR_CHAR, _SEPARATOR = re.compile("年"), re.compile(r"[.\-/_]")
_DATE_STYLES = ((_YMD, _YEAR_CHAR, lambda m: (int(m[1]), int(m[2]), int(m[3]))),
                (_YMD_HAN, _YEAR_CHAR, lambda m: (_han_year(m[1]), _han_number(m[2]), _han_number(m[3]))),
                (_YMD_SEP, _SEPARATOR, lambda m: (int(m[1]), int(m[3]), int(m[4]))),
                (_YMD_COMPACT, None, lambda m: (int(m[1]), int(m[2]), int(m[3]))))


def find_dates(text: str) -> list[tuple[int, int, date]]:
    """Every valid date in `text` as (start, end, date), in order, in any of the styles clerks and documents use."""
    if not _DATE_HINT.search(text):
        return []
    found = []
    for pattern, needs, convert in _DATE_STYLES:
        if needs is not None and not needs.search(text):
            continue  # a style whose every date has one of these characters: the text has none of them
        for match in pattern.finditer(text):
            try:
                day = date(*convert(match))
            except ValueError:
                continue
            if not any(start <= match.start() < end for start, end, _ in found):
                found.append((match.start(), match.end(), day))
    return sorted(found)


def only_date(line: str) -> str:
    """The date a line consists of (a 落款 date, "2024年3月5日"), else ""."""
    if len(line) > DATE_LINE_MAX:
        return ""
    dates = find_dates(line)
    if len(dates) != 1:
        return ""
    start, end, day = dates[0]
    rest = (line[:start] + line[end:]).strip(" （）()")
    return day.isoformat() if not rest else ""


def photo_stamp(text: str) -> str:
    """The time a camera or phone wrote into a file name: "2024-03-05 14:30:12"."""
    if epoch := _EPOCH_MS.match(text):
        return datetime.fromtimestamp(int(epoch[1]) / 1000, CHINA_TIME).strftime("%Y-%m-%d %H:%M:%S")
    match = _STAMP.search(text)
    if match is None:
        return ""
    try:
        day = date(int(match[1]), int(match[3]), int(match[4]))
    except ValueError:
        return ""
    return f"{day.isoformat()} {match[5]}:{match[7]}:{match[8]}"


def secret_level(line: str) -> str:
    match = _SECRET.fullmatch(line.strip())
    return match.group(1) if match else ""


def is_org(text: str) -> bool:
    """Reads like an issuing body: Chinese, short, ends like an office ("…市场监督管理局", "…办公室")."""
    return (2 <= len(text) <= 40 and bool(CJK.search(text)) and bool(_ORG.search(text))
            and not _PUNCTUATION.search(text))


_CUT = ("unexpected end of data", "incomplete multibyte sequence")  # UTF-8's and GB18030's word for a cut character


def decode_legacy(raw: bytes, *, sliced: bool = False, last_resort: str = "latin-1") -> str:
    """Bytes without a declared encoding, as Chinese software writes them (EXIF tags, PDF strings without a byte-order
    mark, text files): UTF-16 or UTF-8 by their byte-order mark, else UTF-8, else GB18030 (what Chinese Windows
    writes), else `last_resort`: Latin-1 decodes anything; GB18030 marks what it cannot read. A `sliced` read (the
    first bytes of a file) drops a character cut at the end of the slice instead of giving up the encoding."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    # "utf-8-sig" decodes in Python around the C codec: used only where the mark it drops is there
    for encoding in ("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            if sliced and exc.end == len(raw) and exc.reason in _CUT:
                return raw[:exc.start].decode(encoding, "ignore")
    return raw.decode(last_resort, "replace")

def is_title(text: str) -> bool:
    return 2 <= len(text) <= 100 and len(CJK.findall(text)) >= 2


def _ends_title(text: str) -> bool:
    return text.rstrip("）)》”\"").endswith(TITLE_ENDINGS)


def _ends_head(line: str, title: list[str]) -> bool:
    """The title is over: the addressee ("各县（市、区）食安办："), the body, or a title already complete."""
    if line.endswith((":", "：")) or len(line) > 60 or "。" in line or "；" in line or ";" in line:
        return True
    return bool(title) and (_ends_title("".join(title)) or len(line) > 30)


def _squeezed(lines: Iterable[str], count: int):
    """The first `count` lines with text, squeezed; a long line (body text) is only stripped: it is never a title,
    and squeezing costs."""
    for line in lines:
        if count <= 0:
            return
        if line.strip():
            count -= 1
            yield squeeze(line) if len(line) <= 100 else line.strip()


def head_fields(lines: Iterable[str]) -> dict[str, str]:
    """密级, issuer (the red header), 文号, a date standing alone, and the title, from a document's first lines.

    A title needs something after it (a date, the addressee, the body) or a title's own ending (通知, 方案 ...):
    the only line of a one-line note is its content, not its title."""
    found: dict[str, str] = {}
    title: list[str] = []
    bodies: list[str] = []  # bodies named one a line before "文件": a joint header (联合行文), or a title's start
    squeezed = _squeezed(lines, HEAD_LINES)  # taken one at a time: most heads end at their second line
    followed = False
    for line in squeezed:
        if (level := secret_level(line)) and "secret" not in found:
            found["secret"] = level
        elif _SKIP_LINE.fullmatch(line):
            continue
        elif not title and "issuer" not in found and (issuer := _header_issuer(line, bodies)):
            found["issuer"], bodies = issuer, []
        elif not title and "issuer" not in found and len(bodies) < JOINT_BODIES and is_org(line):
            bodies.append(line)
        elif len(line) <= 40 and not title and (number_text := doc_number(line)):
            if bodies:  # a header of the bodies' names alone, without 文件
                found["issuer"], bodies = "、".join(bodies), []
            found.setdefault("doc_no", number_text)
        elif title and (number_text := _number_line(line)):  # under the title, as government websites publish
            found.setdefault("doc_no", number_text)
            followed = True
            break
        elif day := only_date(line):
            found.setdefault("date", day)
            if title:
                followed = True
                break
        elif _ends_head(line, title):
            followed = bool(title)
            break
        else:
            title += [*bodies, line]  # the bodies were not a header: "某县食品安全委员会" over "会议纪要"
            bodies = []
            if len(title) >= TITLE_LINES:
                followed = next(squeezed, None) is not None  # a line after it
                break
    text = "".join(title)
    if is_title(text) and (followed or _ends_title(text)):
        found["title"] = text
        if "issuer" not in found and (issuer := _title_issuer(text)):
            found["issuer"] = issuer
    return found


def _number_line(line: str) -> str:
    """The 文号 a line holds and nothing else ("某农发〔2024〕8号", "（〔2024〕3号）"); not one a title's line names
    ("省食安办〔2024〕3号文件的通知")."""
    text = line.strip("（()）")
    match = _DOC_NO.fullmatch(text) if len(text) <= 40 else None
    return _standard(match) if match else ""


def _header_issuer(line: str, bodies: list[str]) -> str:
    """The red header's issuer(s), when `line` ends it: "某县市场监督管理局文件", or "文件" (or "X文件") under the
    names of the other bodies of a joint document; else ""."""
    if not line.endswith("文件"):
        return ""
    own = line[:-2].strip()
    if own and not is_org(own):
        return ""
    return "、".join([*bodies, own] if own else bodies)


def _title_issuer(title: str) -> str:
    """The issuing body a title in full official form names first ("某某县市场监督管理局关于…的通知", GB/T 9704:
    发文机关名称 + 关于 + 事由 + 文种); not a body forwarded ("转发某某局关于…") or one of several."""
    before = title[:title.find("关于")] if "关于" in title else ""
    return before if is_org(before) and not _NOT_ISSUER.search(before) else ""


_NOT_ISSUER = re.compile(r"转发|印发|批转|[的和及与、]")


def tail_fields(lines: list[str]) -> dict[str, str]:
    """The 落款 at a document's end: the date on a line of its own, the issuing body just above it."""
    tail = list(_squeezed(lines[::-1], TAIL_LINES))[::-1]
    for index in range(len(tail) - 1, -1, -1):
        day = only_date(tail[index])
        if day:
            found = {"date": day}
            if issuer := _signing_bodies(tail[:index], lines):
                found["issuer"] = issuer
            return found
        if signed := signed_on_one_line(tail[index]):
            return signed
    return {}


def signature_on_page(lines: list[str]) -> dict[str, str]:
    """The first 落款 among `lines` (a page's, of a document of several pages): a date on a line of its own with
    the signing body (or bodies) on the lines above, as tail_fields reads it; {} when there is none. A date under a
    line that names no body (检查时间 / 2024年3月1日) is none, nor a body and a date on one line: on a page, that is
    as often a table's row (任务 | 牵头单位 | 完成时限) read as one line."""
    for index, raw in enumerate(lines):
        if len(raw) > 2 * DATE_LINE_MAX or not _DATE_HINT.search(raw):
            continue
        if day := only_date(squeeze(raw)):
            above = list(_squeezed(lines[max(0, index - 2 * JOINT_BODIES):index], 2 * JOINT_BODIES))
            if issuer := _signing_bodies(above, lines):
                return {"date": day, "issuer": issuer}
    return {}


def _signing_bodies(above: list[str], lines: list[str]) -> str:
    """The bodies signing above a 落款's date: one, or those of a joint document, each on a line of its own or
    side by side ("某县食安办　　　　某县市场监督管理局"), joined by "、"; "" when the line above names no body."""
    bodies: list[str] = []
    for line in reversed(above[-JOINT_BODIES:]):
        if not is_org(line):
            break
        bodies.insert(0, line)
    if len(bodies) == 1:  # squeezed, bodies side by side ran together: look for the gaps in the line as written
        for raw in reversed(lines):
            if ("\u3000" in raw or "  " in raw) and squeeze(raw) == bodies[0]:
                parts = [squeeze(part) for part in _WIDE_GAP.split(raw.strip())]
                if len(parts) > 1 and all(is_org(part) for part in parts):
                    bodies = parts
                break
    return "、".join(bodies)


_WIDE_GAP = re.compile(r"\s*\u3000[\s\u3000]*|\s{2,}")


def signed_on_one_line(line: str) -> dict[str, str]:
    """A 落款 on one line, the body and the date apart ("某某县市场监督管理局　　2024年3月5日"), else {}."""
    if len(line) > 2 * DATE_LINE_MAX or not _DATE_HINT.search(line):
        return {}
    dates = find_dates(line)
    if len(dates) != 1 or line[dates[0][1]:].strip(" （）()"):
        return {}
    issuer = line[:dates[0][0]].strip()
    return {"date": dates[0][2].isoformat(), "issuer": issuer} if is_org(issuer) else {}


def says_nothing(name: str) -> bool:
    """True for a name a camera, a phone, a scanner or a program gave ("IMG_0001", "扫描件001", "新建 Microsoft Word
    文档"): it tells nothing of what the file shows or is."""
    return bool(_CAMERA_NAME.match(name) or PLACEHOLDER_TITLE.match(name))


def name_fields(stem: str, photo: bool) -> dict[str, str]:
    """文号, date (a photo: its time) and a title from a file name without its extension."""
    found = {}
    if number := doc_number(stem):
        found["doc_no"] = number
    stamp = photo_stamp(stem) if photo else ""
    dates = find_dates(stem)  # once: the title is cut from the same name, most often as it is
    if stamp:
        found["time"] = stamp
    elif dates:
        found["time" if photo else "date"] = dates[0][2].isoformat()
    title = clean_title(stem, dates)
    if title and not _CAMERA_NAME.match(stem) and not PLACEHOLDER_TITLE.match(title):
        found["title"] = title
        if photo:
            found["subject"] = title
        elif issuer := _title_issuer(title):  # a document saved under its title in full official form
            found["issuer"] = issuer
    return found


def clean_title(stem: str, dates: list | None = None) -> str:
    """A file name as a title: without its numbering ("6.1.1-1 "), a 文号 or date at its start or end, and copy marks
    ("- 副本"). A 文号 or date inside the name is part of the title ("关于转发省食安办〔2024〕3号文件的通知").
    `dates`: find_dates(stem), when the caller has it."""
    known = stem if dates is not None else None
    stem = stem.strip()
    # every copy mark ends with ")" or 副本: most names have neither, and the pattern would be tried at every place
    text = squeeze(_COPY_MARK.sub("", stem) if ")" in stem or "副本" in stem else stem)
    while True:
        before = text
        text = _NUMBERING.sub("", text).strip(_EDGE)
        if "号" in text:
            text = _strip_edges(text, [m.span() for m in _DOC_NO.finditer(text)], prefixed=True)
        found = dates if text == known else find_dates(text)
        text = _strip_edges(text, [(start, end) for start, end, _ in found], prefixed=False)
        if text == before:
            break
    return text if is_title(text) else ""


_EDGE = " -_.、，,;；:："


def _strip_edges(text: str, spans: list[tuple[int, int]], prefixed: bool) -> str:
    """Cut a span that opens or closes `text` (a bracketed one at the end too: "…的通知（X办〔2024〕3号）")."""
    for start, end in spans:
        if prefixed:  # a 文号's match may begin with title words before its 机关代字
            match = _DOC_NO.match(text, start)
            start = match.start(1) + len(match.group(1)) - len(_NOT_PREFIX.sub("", match.group(1)))
        if start == 0:
            return text[end:].strip(_EDGE)
        closing = text[end:].strip()
        if not closing.strip(_CLOSE + _EDGE):
            opening = text[:start].rstrip()
            if closing and opening.endswith(tuple(_OPEN)):
                opening = opening[:-1]
            return opening.strip(_EDGE)
    return text
