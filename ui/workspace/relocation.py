"""Offers to re-point a lost link: a linked folder (or file) that cannot be reached, and a folder (or file) of the
same name that has appeared near where it was (moved into a sibling or a new sub-folder, or its parent renamed), or
one beside where it was that holds what it held (renamed in place: archive.renamed_nearby; offered first).

While any linked folder is unreachable, its neighbourhood is looked at after every refresh and every
CHECK_INTERVAL_MS, on a thread of its own (a slow network share must not hold the UI thread, nor the writer);
what is found comes back as `offers_changed`. The link box (link_box.py) shows the offer on the criterion; 重新定位 goes
through ArchiveSession.relocate (a write on the writer), 不是它 is remembered until the archive is closed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from archive.links import same_name_nearby
from archive.renamed_nearby import moved_and_renamed, renamed_nearby, what_was_there

CHECK_INTERVAL_MS = 5000
NEAR_LEVELS = 2  # the same-name look under the parent and the grandparent, before the moved-and-renamed one


class RelocationWatch(QObject):
    offers_changed = Signal()
    _found = Signal(object)  # {(code, lost path): found path}, from the search thread

    def __init__(self, session):
        super().__init__(session)
        self.session = session
        self.offers: dict[tuple[str, str], str] = {}
        self.declined: set[tuple[str, str, str]] = set()
        self.file_links: set[str] = set()  # lost links that are files, not folders (for the words of an offer)
        self.renamed: set[tuple[str, str, str]] = set()  # (code, lost, found) found by what it holds, not its name
        self.searching = False
        self.again = False  # a refresh came while looking: what the look read may be out of date, look again
        self.thread: threading.Thread | None = None  # the look under way, joined when the archive closes
        self.timer = QTimer(self, interval=CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self._found.connect(self._take, Qt.ConnectionType.QueuedConnection)
        session.refreshed.connect(lambda _codes: self.check())

    def lost_links(self) -> list[tuple[str, str, bool, dict]]:
        """(code, path, is a folder, what the index last saw there: renamed_nearby.what_was_there) of the linked
        folders and files the last scan or the monitor found unreachable. Not on the UI thread:
        a read waits for the writer (measured: 150-220 ms after a first scan of 50,000 files, while the page counts
        were written). Through a snapshot, not the shared connection: that one may be inside the writer's
        half-done transaction, and it is closed with the archive while this thread may still be reading."""
        with self.session.archive.snapshot() as view:
            rows = view.conn.execute(
                "SELECT code, path, is_dir FROM links WHERE reachable = 0 ORDER BY code, path").fetchall()
            return [(code, path, bool(is_dir), what_was_there(view.conn, path, bool(is_dir)))
                    for code, path, is_dir in rows]

    @Slot()
    def check(self) -> None:
        """Look again, when any item shows 无法访问 (known from the statuses, without reading the archive)."""
        if self.session.closed:
            return
        if self.searching:
            self.again = True
            return
        if not any(status.state == "unreachable" for status in self.session.statuses):
            self.timer.stop()
            self._set({})
            return
        if not self.timer.isActive():
            self.timer.start()
        self.searching = True
        self.thread = threading.Thread(target=self._search, name="relocation-search", daemon=True)
        self.thread.start()

    def _search(self) -> None:
        found = {}
        try:
            lost = self.lost_links()
        except Exception:  # the archive closed (or went) meanwhile: nothing to offer
            lost = []
        for code, path, is_dir, seen in lost:
            if not is_dir:
                self.file_links.add(path)  # known here, off the UI thread: asking a slow share there would hang it
            # renamed in place first: a folder of the same name further off may be another department's; moved and
            # renamed last (the widest look, by content)
            for candidate, by_content in self._candidates(path, is_dir, seen):
                if (code, path, candidate) not in self.declined:
                    found[(code, path)] = candidate
                    if by_content:
                        self.renamed.add((code, path, candidate))
                    break
        with contextlib.suppress(RuntimeError):  # the window let go of the archive (and this object) meanwhile
            self._found.emit(found)

    @staticmethod
    def _candidates(path: str, is_dir: bool, seen: dict):
        """(place, found by what it holds) of the places the lost folder or file may have gone, most likely first:
        renamed beside it, moved under its name nearby, moved and renamed nearby, moved under its name further off.
        Each look only when the ones before it offered nothing the clerk has not declined."""
        if renamed := renamed_nearby(path, is_dir, seen):
            yield renamed, True
        near = same_name_nearby(path, levels=NEAR_LEVELS, folder=is_dir)
        yield from ((place, False) for place in near)
        if moved := moved_and_renamed(path, is_dir, seen):  # looks as far as the same-name look's NEAR_LEVELS
            yield moved, True
        if not near and not _stands(path, is_dir):  # further off: one of the same name may be another department's
            further = same_name_nearby(path, folder=is_dir, first_level=NEAR_LEVELS + 1)
            yield from ((place, False) for place in further)

    @Slot(object)
    def _take(self, found: dict) -> None:
        self.searching = False
        if not self.session.closed:
            # The look may have begun before the clerk's latest 不是它, or before a refresh (a relocation, a rescan):
            # what was declined since stays declined, an item no longer 无法访问 gets no offer, and a look after that
            # refresh follows (not instead: refreshes coming faster than a slow share answers would hide every offer).
            lost_now = {status.code for status in self.session.statuses if status.state == "unreachable"}
            found = {(code, lost): place for (code, lost), place in found.items()
                     if code in lost_now and (code, lost, place) not in self.declined}
            new = [key for key, place in found.items() if self.offers.get(key) != place]
            self._set(found)
            if new:
                code, path = new[0]
                self.session.status_message(self.news(code, path, found[new[0]]))
        if self.again:
            self.again = False
            self.check()

    def _set(self, offers: dict) -> None:
        if offers != self.offers:
            self.offers = offers
            self.offers_changed.emit()

    def offer_for(self, code: str | None) -> tuple[str, str] | None:
        """(lost path, found path) of the first offer on `code`."""
        return next(((lost, place) for (c, lost), place in self.offers.items() if c == code), None)

    def accept(self, code: str, lost: str) -> None:
        place = self.offers.pop((code, lost), None)
        if place is not None:
            self.offers_changed.emit()
            self.session.relocate(code, lost, place)

    def decline(self, code: str, lost: str) -> None:
        place = self.offers.pop((code, lost), None)
        if place is not None:
            self.declined.add((code, lost, place))
            self.offers_changed.emit()

    def stop(self, timeout: float = 30) -> None:
        """The archive is closing: no more looks, and the one under way ends before the window lets go of this
        object. Its thread signals its answer on it, and a QObject deleted on the UI thread while another thread
        signals on it crashes the app (PySide's RuntimeError covers only an object already gone)."""
        self.timer.stop()
        if self.thread is not None:
            self.thread.join(timeout)
            self.thread = None

    def kind_of(self, lost: str) -> str:
        """What the lost link is, in the clerk's words."""
        return "文件" if lost in self.file_links else "文件夹"

    def news(self, code: str, lost: str, place: str) -> str:
        """The status bar's word of a new offer: by names (the full paths are on the criterion's link list)."""
        where = os.path.basename(os.path.dirname(place.rstrip(os.sep))) or place
        return (f"{code} 关联的{self.kind_of(lost)}“{os.path.basename(lost.rstrip(os.sep))}”找不到了，"
                f"“{where}”中的“{os.path.basename(place.rstrip(os.sep))}”是{self.likeness(code, lost, place)}："
                "可在该项目的关联列表上方重新定位")

    def found_renamed(self, code: str, lost: str, place: str) -> bool:
        """Whether `place` was found by what it holds (renamed, in place or moved), not by its name (moved)."""
        return (code, lost, place) in self.renamed

    def what_happened(self, code: str, lost: str, place: str) -> str:
        """What the clerk is asked happened to the lost folder or file, in her words."""
        if not self.found_renamed(code, lost, place):
            return "被移到了那里"
        return "被改了名" if os.path.dirname(lost.rstrip(os.sep)) == os.path.dirname(place) else "被移动并改了名"

    def likeness(self, code: str, lost: str, place: str) -> str:
        """How the found folder or file is like the lost one, in the clerk's words."""
        if not self.found_renamed(code, lost, place):
            return f"同名{self.kind_of(lost)}"
        return "内容相同的文件" if lost in self.file_links else "文件大多相同的文件夹"


def _stands(path: str, is_dir: bool) -> bool:
    """Whether the lost folder (or file) is there after all, unreadable: the near same-name look found it as itself
    (a folder that is no symlink, a file or a symlink), and nothing further off is offered for it."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode) == is_dir
    except OSError:
        return False
