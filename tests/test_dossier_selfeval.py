"""The dossier's 自评情况 for its two audiences: the 内部版 keeps the office's projection (预计结果, 已评分 n/m, what
keeps the city from passing); the 送审版 gives the review team the score and, once every item is scored, the
conclusion. Built from a real archive with real scores; the export plan warns before a half-scored 送审版 goes out."""

from __future__ import annotations

from export_helpers import options

from exporters import plan_export
from exporters.build import build_dossier, cover_lines
from exporters.evidence import collect
from exporters.model import Heading, Paragraph, Table
from tests.selfeval_support import PASSING, rules_archive_fixture, score_all  # noqa: F401 - fixture


def selfeval_text(archive, **kwargs) -> str:
    """The text of the 自评情况 section, from its heading to the next."""
    blocks = build_dossier(archive, options(**kwargs)).blocks
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "自评情况")
    end = next(i for i, b in enumerate(blocks[start + 1:], start + 1) if isinstance(b, Heading))
    parts = []
    for block in blocks[start:end]:
        if isinstance(block, Heading | Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts += [cell for row in block.rows for cell in row if isinstance(cell, str)]
    return "\n".join(parts)


def test_a_half_scored_review_edition_gives_the_score_and_no_projection(rules_archive):
    score_all(rules_archive, {"1.1": "通过", "2.1": 30, "2.2": 15})
    review = selfeval_text(rules_archive)
    assert "自评总分 45 分（满分 100 分，另有加分 10 分）。" in review
    for internal in ("预计结果", "已评分", "未评分", "影响通过", "自评结论"):
        assert internal not in review, internal
    inside = selfeval_text(rules_archive, edition="internal")
    assert "预计结果：不通过" in inside and "已评分 3/7 项" in inside and "影响通过的项目" in inside
    warned = [line for line in plan_export(rules_archive, "pdf", options()).lines() if "尚未自评打分" in line]
    assert warned == ["4 个计分项目尚未自评打分（汇总表中显示“未评分”）：送审版的自评情况只列总分、不下结论"
                      "（可在项目的“自查自评”中打分，或勾选“不列自评得分”）"]
    # a part of the archive: its 汇总表 shows only its own items (the plan said all 4 would show "未评分")
    part = [line for line in plan_export(rules_archive, "pdf", options(codes=["2"])).lines() if "尚未自评打分" in line]
    assert part[0].startswith("4 个计分项目尚未自评打分（均不在本次导出的项目中）：")
    part = [line for line in plan_export(rules_archive, "pdf", options(codes=["3"])).lines() if "尚未自评打分" in line]
    assert part[0].startswith("4 个计分项目尚未自评打分（本次导出的项目中 2 个，汇总表中显示“未评分”）")
    assert not any("尚未自评打分" in line for line in plan_export(rules_archive, "pdf", options(edition="internal"))
                   .lines())


def test_a_fully_scored_review_edition_states_its_conclusion_and_deductions(rules_archive):
    score_all(rules_archive, PASSING)
    review = selfeval_text(rules_archive)
    assert "自评总分 90 分（满分 100 分，另有加分 10 分）。对照通过规则，自评结论：达到通过标准。" in review
    assert "扣分项目" in review and "食品抽检覆盖" in review  # the points it took off itself, for the reviewers
    assert not any("尚未自评打分" in line for line in plan_export(rules_archive, "pdf", options()).lines())
    score_all(rules_archive, {"2.2": 15})  # a key item under 60%
    review = selfeval_text(rules_archive)
    assert "自评结论：未达到通过标准" in review and "影响通过" not in review


def test_a_review_edition_with_nothing_scored_says_so_and_not_zero_points(rules_archive):
    """The cover and the 自评情况 of a 送审版 exported before any item was scored said "自评总分 0 分（满分 100 分）":
    the reviewers read it as the city's own score."""
    review = selfeval_text(rules_archive)
    assert "自评总分：未评分（满分 100 分，另有加分 10 分）。" in review and "总分 0 分" not in review
    assert ("自评得分", "未评分（满分 100 分，另有加分 10 分）") in cover_lines(collect(rules_archive), options())
    assert "自评总分 0 分（满分 100 分，另有加分 10 分），已评分 0/7 项" in selfeval_text(rules_archive,
                                                                                 edition="internal")
    score_all(rules_archive, {"1.1": "通过"})  # a veto item judged: still no points scored
    assert "自评总分：未评分（满分 100 分，另有加分 10 分）。" in selfeval_text(rules_archive)
    assert ("自评得分", "未评分（满分 100 分，另有加分 10 分）") in cover_lines(collect(rules_archive), options())


def test_a_dossier_of_some_items_gives_their_score_beside_the_whole_archives(rules_archive):
    """A dossier of part 二 counted its own items and files on the cover and printed the whole archive's score
    under them ("45 分（满分 100 分）" for two 30-point items); its 自评情况 gave the whole's total as if it were the
    part's."""
    score_all(rules_archive, {"1.1": "通过", "2.1": 30, "2.2": 15, "3.1": 18})
    part = options(codes=["2"])
    assert ("自评得分", "45 分（满分 60 分）") in cover_lines(collect(rules_archive, ["2"]), part)
    text = selfeval_text(rules_archive, codes=["2"])
    assert "自评总分 63 分（满分 100 分，另有加分 10 分）。" in text
    assert "以上为全部评价项目。本汇编收录其中 2 个计分项目，自评得分 45 分（满分 60 分）。" in text
    assert "本汇编收录其中 2 个计分项目，未评分（满分 20 分，另有加分 10 分）。" in selfeval_text(rules_archive,
                                                                                 codes=["3.2", "4"])
    assert "以上为全部评价项目。本汇编所收项目没有分值。" in selfeval_text(rules_archive, codes=["1"])  # veto items
    assert not any(label == "自评得分" for label, _ in cover_lines(collect(rules_archive, ["1"]), options(codes=["1"])))
    whole = cover_lines(collect(rules_archive), options())
    assert ("自评得分", "63 分（满分 100 分，另有加分 10 分）") in whole
    assert "以上为" not in selfeval_text(rules_archive)
