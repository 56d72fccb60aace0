"""Link suggestions: for the unlinked folders and files under the evidence roots, the criteria they most likely
prove; and for every criterion without evidence, the folders that most likely hold it.

Which folders are suggested: a department's tree is unit folders over topic folders over sub-folders named 通知文件,
工作台账, 照片, 2024年. A topic folder is the thing to link, whole. So a folder is looked into (not suggested itself)
when it is a unit's folder, when something below it is linked already (linked whole, those files would count twice),
or when at least two of its sub-folders' names point at different criteria; otherwise it
is suggested as one, with everything below it as its evidence. Loose files in a folder that is looked into are
suggested one by one. Files outside the index are read here (a sample per folder), not stored: their text belongs
to the index only once they are linked.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from archive.automap import FolderCodes
from archive.catalogue import load_catalogue
from archive.db import Archive, now
from archive.index.walk import is_junk_name
from archive.linkset import LinkSet, is_under
from archive.status import compute_status
from common.progress import CancelCheck, Progress, ProgressReporter
from search import schema
from search.extract import READABLE, extract
from search.ranker import Profile, Ranker, describe

TOP = 3
SAMPLE_FILES = 8  # files read per suggested folder
SAMPLE_CHARS = 1500  # characters kept of each
MISSING_SCORE, MISSING_TOP = 0.1, 5  # folders listed under a criterion without evidence
NAME_CONFIDENT = 0.25  # a sub-folder's name alone this sure of a criterion is "topical"
_UNIT = re.compile(r"^.{0,12}(局|办|委|部|院|镇|乡|街道|办事处|中心|管委会)$")
_GENERIC = re.compile(r"通知|文件|台账|照片|图片|相片|材料|资料|其他|其它|附件|扫描件?|工作|会议|记录|活动|汇总|"
                      r"新建文件夹|[0-9０-９]+|年|月|日|第|期|批|[\W_]")
_EXT_ORDER = {"docx": 0, "pptx": 0, "xlsx": 1, "txt": 1, "csv": 2, "pdf": 2}


@dataclass
class Suggestion:
    code: str
    score: float
    why: str

    def to_json(self) -> dict:
        return {"code": self.code, "score": self.score, "why": self.why}


@dataclass
class Candidate:
    path: str
    is_dir: bool
    suggestions: list[Suggestion]

    def to_json(self) -> dict:
        return {"path": self.path, "suggestions": [s.to_json() for s in self.suggestions]}


@dataclass
class SuggestReport:
    roots: list[str]
    candidates: list[Candidate] = field(default_factory=list)
    missing: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # code -> [(path, score)]


@dataclass
class _Node:
    path: str
    files: list[str]
    children: list[_Node]

    @property
    def name(self) -> str:
        return os.path.basename(self.path)

    def all_files(self) -> list[str]:
        out = [os.path.join(self.path, name) for name in self.files]
        for child in self.children:
            out.extend(child.all_files())
        return out


def suggest(archive: Archive, roots: list[str] | None = None, progress: Progress | None = None,
            cancel: CancelCheck | None = None, top: int = TOP) -> SuggestReport:
    """Suggestions for every unlinked folder and file under `roots` (default: the remembered roots, else the
    folders that hold linked folders). Reads only; remembering the roots is the caller's choice (remember_root)."""
    job = ProgressReporter(progress, cancel, every=1)
    criteria = load_catalogue(archive).criteria
    ranker = Ranker(criteria)
    links = LinkSet.load(archive.conn)
    rejected = _rejected(archive)
    roots = [os.path.abspath(r) for r in roots] if roots else default_roots(archive, links)
    report = SuggestReport(roots)
    units = {unit for c in criteria for unit in c.units}
    reader = FolderCodes(archive)
    picked: list[tuple[_Node | str, list[str]]] = []
    holding = _holding_links(links)
    held = _held(archive)
    for root in roots:
        job.check()
        tree = _tree(root, links)
        if tree is not None:
            _pick(tree, [], ranker, (units, holding), picked)
    for done, (item, context) in enumerate(picked):
        job.report(done / max(1, len(picked)), f"正在分析 {done}/{len(picked)}")
        path = item.path if isinstance(item, _Node) else item
        profile = _profile(item, context)
        skip = {code for p, code in rejected if p == path}
        ranked = [s for s in ranker.rank(profile, top + len(skip)) if s.code not in skip][:top]
        found = [Suggestion(s.code, s.score, describe(s.why)) for s in ranked if s.raw > 0]
        name = os.path.basename(path)
        named = reader.match(name, None)
        if named is not None and named not in skip and reader.contradiction(name, named) is None:
            # the name carries a code or a whole title (one its words do not contradict): say so first
            found = [Suggestion(named, 1.0, "名称中写明了编号或标题"), *[f for f in found if f.code != named]][:top]
        files = item.all_files() if isinstance(item, _Node) else [item]
        found = [f for f in found if not _copies_of(files, held.get(f.code))]  # linked, it would add nothing
        if found:
            report.candidates.append(Candidate(path, isinstance(item, _Node), found))
    report.missing = _for_missing(archive, report.candidates)
    job.progress(1.0, "分析完成")
    return report


def _held(archive: Archive) -> dict[str, set[tuple[str, int]]]:
    """code -> (name, size) of every indexed file under it: a folder whose files are all among them is a copy of
    what the item has (an office folder beside the unit package that replaced it), not evidence to add."""
    names = {fid: (os.path.basename(path), size) for fid, path, size in archive.conn.execute(
        "SELECT id, path, size FROM files")}
    return {s.code: {names[i] for i in s.file_ids if i in names} for s in compute_status(archive) if s.file_ids}


def _copies_of(files: list[str], held: set[tuple[str, int]] | None) -> bool:
    if not held or not files:
        return False
    try:
        return all((os.path.basename(path), os.stat(path).st_size) in held for path in files)
    except OSError:
        return False


def default_roots(archive: Archive, links: LinkSet) -> list[str]:
    remembered = [p for (p,) in archive.conn.execute("SELECT path FROM search_roots ORDER BY path")] \
        if schema.has_tables(archive.conn) else []
    if remembered:
        return [p for p in remembered if os.path.isdir(p)]
    parents = sorted({os.path.dirname(link.path) for link in links.roots() if link.is_dir})
    return [p for n, p in enumerate(parents) if not any(is_under(p, q) for q in parents[:n]) and os.path.isdir(p)]


def _tree(folder: str, links: LinkSet) -> _Node | None:
    """The unlinked part of the tree under `folder` (None if the folder itself is linked)."""
    if links.covers(folder):
        return None
    try:
        with os.scandir(folder) as entries:
            items = [(e.name, e.is_dir(follow_symlinks=False), e.path) for e in entries if not is_junk_name(e.name)]
    except OSError:
        return None
    files = sorted(name for name, is_dir, path in items if not is_dir and not links.covers(path))
    children = [child for name, is_dir, path in sorted(items) if is_dir and (child := _tree(path, links))]
    if not files and not children:
        return None
    return _Node(folder, files, children)


def _holding_links(links: LinkSet) -> set[str]:
    """The folders with a linked folder or file somewhere below them. Such a folder is looked into, never suggested
    whole: linked, it would count those files for a second criterion (the already-linked 2.5 folder's files for 3.4)."""
    holding: set[str] = set()
    for link in links.links:
        folder = os.path.dirname(link.path)
        while folder not in holding and os.path.dirname(folder) != folder:
            holding.add(folder)
            folder = os.path.dirname(folder)
    return holding


def _pick(node: _Node, context: list[str], ranker: Ranker, known: tuple[set[str], set[str]], out: list) -> None:
    """`known`: the catalogue's unit names, and the folders holding links (_holding_links)."""
    if not _looks_into(node, ranker, *known):
        out.append((node, context))
        return
    for child in node.children:
        _pick(child, [*context, node.name], ranker, known, out)
    out.extend((os.path.join(node.path, name), [*context, node.name]) for name in node.files)


def _looks_into(node: _Node, ranker: Ranker, units: set[str], holding: set[str]) -> bool:
    """A unit's folder (it holds many items' evidence: never linked whole), a folder holding a unit's folder or a
    link, or one whose sub-folders' names disagree."""
    if _is_unit(node.name, units) or any(_is_unit(child.name, units) for child in node.children):
        return True
    if node.path in holding:
        return True
    if not node.children:
        return False
    topics = set()
    for child in node.children:
        if not _generic(child.name):
            best = ranker.rank(Profile(child.name), 1)
            if best and best[0].score >= NAME_CONFIDENT:
                topics.add(best[0].code)
    return len(topics) >= 2


def _is_unit(name: str, units: set[str]) -> bool:
    return name in units or _UNIT.match(name) is not None


def _generic(name: str) -> bool:
    """通知文件, 工作台账, 2024年, 照片: names that say what kind of paper, not what it proves."""
    return len(_GENERIC.sub("", name)) <= 1


def _profile(item: _Node | str, context: list[str]) -> Profile:
    if isinstance(item, _Node):
        files = item.all_files()
        names = [os.path.relpath(f, item.path) for f in files][:100]
        return Profile(item.name, context, names, _sample_text(files))
    stem = os.path.basename(item)
    return Profile(stem, context, [], _sample_text([item]))


def _sample_text(files: list[str]) -> str:
    readable = [f for f in files if _ext(f) in READABLE]
    readable.sort(key=lambda f: (_EXT_ORDER.get(_ext(f), 3), f))
    texts = []
    for path in readable[:SAMPLE_FILES]:
        texts.append(" ".join(text for _, text in extract(path, _ext(path)).pages)[:SAMPLE_CHARS])
    return "\n".join(texts)


def _ext(path: str) -> str:
    dot = path.rfind(".")
    return path[dot + 1:].lower() if dot > 0 else ""


def _for_missing(archive: Archive, candidates: list[Candidate]) -> dict[str, list[tuple[str, float]]]:
    from archive.status import compute_status

    missing = {s.code for s in compute_status(archive) if s.state == "missing"}
    out: dict[str, list[tuple[str, float]]] = {}
    for candidate in candidates:
        for s in candidate.suggestions:
            if s.code in missing and s.score >= MISSING_SCORE:
                out.setdefault(s.code, []).append((candidate.path, s.score))
    return {code: sorted(found, key=lambda f: -f[1])[:MISSING_TOP] for code, found in sorted(out.items())}


def _rejected(archive: Archive) -> set[tuple[str, str]]:
    if not schema.has_tables(archive.conn):
        return set()
    return set(archive.conn.execute("SELECT path, code FROM suggestion_rejects"))


def reject(archive: Archive, path: str, code: str) -> None:
    """Never suggest `code` for `path` again."""
    schema.ensure(archive)
    with archive.atomic():
        archive.conn.execute("INSERT OR REPLACE INTO suggestion_rejects (path, code, time) VALUES (?, ?, ?)",
                             (os.path.abspath(path), code, now()))


def remember_root(archive: Archive, path: str) -> None:
    schema.ensure(archive)
    with archive.atomic():
        archive.conn.execute("INSERT OR IGNORE INTO search_roots (path, added) VALUES (?, ?)",
                             (os.path.abspath(path), now()))


def accept(archive: Archive, pairs: list[tuple[str, str]], progress: Progress | None = None,
           cancel: CancelCheck | None = None) -> list[tuple[str, str]]:
    """Link each (path, code) and index what was linked (as linking by hand does); returns the pairs newly linked."""
    from archive.index.scan import scan
    from archive.links import add_links

    done = []
    for path, code in pairs:
        if add_links(archive, code, [path]):
            done.append((path, code))
    if done:
        scan(archive, progress, cancel, targets=[os.path.abspath(path) for path, _ in done])
    return done
