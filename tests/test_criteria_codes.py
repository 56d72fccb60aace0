"""Leading codes in cell texts and folder names, label normalisation, and canonical code assignment."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from criteria.codes import LeadingCode, cn_number, normalize_label, parse_code_cell, parse_leading_code
from criteria.numbering import assign_codes, explicit_code

CN_DIGITS = "一二三四五六七八九"


def cn(value: int) -> str:
    """Reference Chinese numeral for 1..99, written independently of the parser."""
    tens, units = divmod(value, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens - 1] + "十")
    return head + (CN_DIGITS[units - 1] if units else "")


@pytest.mark.parametrize(("text", "label", "style", "numbers", "rest"), [
    ("一、组织领导", "一、", "cn_num", (1,), "组织领导"),
    ("一．组织领导", "一．", "cn_num", (1,), "组织领导"),
    ("十一、其他", "十一、", "cn_num", (11,), "其他"),
    ("二十、 附则", "二十、", "cn_num", (20,), "附则"),
    ("九十九、最后", "九十九、", "cn_num", (99,), "最后"),
    ("（二）宣传", "（二）", "cn_paren", (2,), "宣传"),
    ("(十二) 宣传", "(十二)", "cn_paren", (12,), "宣传"),
    ("（二）、宣传", "（二）", "cn_paren", (2,), "宣传"),
    ("1 食品", "1", "dotted", (1,), "食品"),
    ("1. 建立机制", "1.", "dotted", (1,), "建立机制"),
    ("1、建立机制", "1、", "dotted", (1,), "建立机制"),
    ("1.2 食品安全责任", "1.2", "dotted", (1, 2), "食品安全责任"),
    ("1.2-食品", "1.2", "dotted", (1, 2), "食品"),
    ("1.2.3_台账", "1.2.3", "dotted", (1, 2, 3), "台账"),
    ("1.2食品", "1.2", "dotted", (1, 2), "食品"),
    ("1．2 食品", "1．2", "dotted", (1, 2), "食品"),
    ("１．２　全角", "１．２", "dotted", (1, 2), "全角"),
    ("1.2. 带点", "1.2.", "dotted", (1, 2), "带点"),
    ("01 组织领导", "01", "dotted", (1,), "组织领导"),
    ("6.1.1：佐证", "6.1.1", "dotted", (6, 1, 1), "佐证"),
    ("1. 2023年工作总结", "1.", "dotted", (1,), "2023年工作总结"),
    ("(3)检查", "(3)", "paren", (3,), "检查"),
    ("（3） 检查", "（3）", "paren", (3,), "检查"),
    ("（１）全角数字", "（１）", "paren", (1,), "全角数字"),
    ("3）检查", "3）", "paren", (3,), "检查"),
    ("⑴检查", "⑴", "paren", (1,), "检查"),
    ("③台账", "③", "circled", (3,), "台账"),
    ("⑳ 台账", "⑳", "circled", (20,), "台账"),
    ("㉑台账", "㉑", "circled", (21,), "台账"),
    ("  一、 前后空白 ", "一、", "cn_num", (1,), "前后空白"),
    ("1", "1", "dotted", (1,), ""),
    ("1-1 纳入考核", "1-1", "dotted", (1, 1), "纳入考核"), ("2—3、建立", "2—3", "dotted", (2, 3), "建立"),
])
def test_parse_leading_code(text, label, style, numbers, rest):
    assert parse_leading_code(text) == LeadingCode(label, style, numbers, rest)


@pytest.mark.parametrize("text", [
    "2023年工作总结", "12月台账", "3.5万元", "1.2%", "5％以上", "8:30会议纪要", "1/2", "3D打印", "100a",
    "工作总结", "", "   ", "一是加强领导", "一般要求", "十分重要", "第一章", "(a)", "0 组织", "2024-05-01会议",
    "1号文件汇编", "2季度台账", "3-5月检查", "1-2次培训", "2024-05 月报", "1-2a",
])
def test_texts_that_are_not_codes(text):
    assert parse_leading_code(text) is None


def test_cn_number_covers_one_to_ninety_nine():
    assert [cn_number(cn(v)) for v in range(1, 100)] == list(range(1, 100))
    assert cn_number("十") == 10 and cn_number("十一") == 11 and cn_number("二十") == 20
    assert cn_number("一百") is None and cn_number("") is None and cn_number("十十") is None


@pytest.mark.parametrize(("a", "b"), [
    ("（二）", "(二)"), ("（ 2 ）", "(2)"), ("1．2", "1.2"), ("1.", "1"), ("一、", "一."), ("一、", "一"),
    ("⑴", "(1)"), ("⒈", "1."), ("１．２", "1.2"), ("1-2", "1.2"), ("1—2", "1.2"), ("第二部分", "二、"),
])
def test_normalize_label_unifies_widths_and_trailing_separators(a, b):
    assert normalize_label(a) == normalize_label(b)


def test_normalize_label_keeps_styles_apart():
    assert normalize_label("（一）") == "(一)"
    assert normalize_label("一、") == "一"
    assert len({normalize_label(x) for x in ("（一）", "一、", "(1)", "1", "①")}) == 5


@pytest.mark.parametrize(("text", "style", "numbers"), [
    ("1", "dotted", (1,)), ("1.10", "dotted", (1, 10)), ("2023", "dotted", (2023,)), ("一", "cn_num", (1,)),
    ("（三）", "cn_paren", (3,)), ("④", "circled", (4,)), ("１．１", "dotted", (1, 1)),
    ("1-1", "dotted", (1, 1)), ("2—3", "dotted", (2, 3)), ("1-2-1", "dotted", (1, 2, 1)), ("第三部分", "cn_part", (3,)),
])
def test_parse_code_cell_accepts_bare_codes(text, style, numbers):
    found = parse_code_cell(text)
    assert (found.style, found.numbers, found.label) == (style, numbers, text)


def test_parse_code_cell_rejects_text():
    assert parse_code_cell("") is None
    assert parse_code_cell("否决项") is None


@given(st.integers(1, 99), st.sampled_from(["、", "．", "."]),
       st.text(alphabet="食品安全台账检查记录", min_size=1, max_size=8))
def test_cn_num_round_trip(value, separator, rest):
    found = parse_leading_code(f"{cn(value)}{separator}{rest}")
    assert found == LeadingCode(f"{cn(value)}{separator}", "cn_num", (value,), rest)


@given(st.lists(st.integers(1, 999), min_size=1, max_size=4), st.sampled_from([" ", "-", "_", "", "、"]),
       st.text(alphabet="食品安全台账检查记录", min_size=1, max_size=8))
def test_dotted_round_trip(numbers, separator, rest):
    code = ".".join(map(str, numbers))
    found = parse_leading_code(f"{code}{separator}{rest}")
    label = code + "、" if separator == "、" else code
    assert found == LeadingCode(label, "dotted", tuple(numbers), rest)


# --- canonical codes -------------------------------------------------------------------------------------------

def test_assign_codes_spec_examples():
    labels = ["一、", "（一）", "（二）", "1.2", "③", "", "二、", "1.", "1.2.3", "", "(1)"]
    parents = [None, 0, 0, 0, 2, 2, None, None, 3, 6, 9]
    assert assign_codes(labels, parents) == [
        "1",  # 一、
        "1.1", "1.2",  # （一） （二）
        "1.3",  # "1.2" under "1" would be kept as is, but "1.2" is taken by （二）: next free
        "1.2.3",  # ③ under （二）
        "1.2.2",  # unlabelled, second among its siblings
        "2",  # 二、
        "3",  # "1." at top level: ordinal 1 is taken by 一、, so the next free position after its own (3)
        "1.3.3",  # "1.2.3" under 1.3 does not extend 1.3: ordinal 3
        "2.1",  # unlabelled group under 二、
        "2.1.1",  # (1)
    ]


def test_assign_codes_keeps_dotted_labels_that_extend_the_parent():
    labels = ["1", "1.1", "1.2", "1.2.1", "1.2.2", "2", "2.1"]
    parents = [None, 0, 0, 2, 2, None, 5]
    assert assign_codes(labels, parents) == labels


def test_assign_codes_duplicates_and_unlabelled_get_next_free_position():
    labels = ["", "1", "1", "3", "x"]
    parents = [None] * 5
    # Labelled nodes claim 1 and 3 first. Then, from their own positions: the unlabelled node 1 -> taken -> 2,
    # the second "1" 3 -> taken -> 4, "x" (no number) 5.
    assert assign_codes(labels, parents) == ["2", "1", "4", "3", "5"]


_LABELS = st.sampled_from(["", "1", "2", "1.1", "1.2", "（一）", "③", "二、", "2.1.1", "x"])


@given(st.lists(st.tuples(st.integers(0, 30), _LABELS), min_size=1, max_size=40))
def test_assign_codes_is_stable_and_unique_for_random_trees(spec):
    parents = [None if i == 0 or p % 3 == 0 else p % i for i, (p, _) in enumerate(spec)]
    labels = [label for _, label in spec]
    codes = assign_codes(labels, parents)
    assert len(set(codes)) == len(codes)
    assert codes == assign_codes(labels, parents)
    for code, parent in zip(codes, parents, strict=True):
        if parent is not None:
            assert code.startswith(codes[parent] + ".")


def test_explicit_code():
    assert explicit_code("1.2", "1") == "1.2"
    assert explicit_code("1.2", "2") == "2.2"
    assert explicit_code("（十一）", "3") == "3.11"
    assert explicit_code("一、", "") == "1"
    assert explicit_code("", "1") is None
    assert explicit_code("甲", "1") is None


def test_assign_codes_rejects_parent_after_child():
    with pytest.raises(ValueError):
        assign_codes(["1", "2"], [1, None])
