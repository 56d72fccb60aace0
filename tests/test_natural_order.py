"""The dossier's file order: NaturalKeys (each folder split once) gives exactly natural_key of the whole path."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from exporters.evidence import NaturalKeys, natural_key

PATH_TEXT = st.text(alphabet="ab材料1２3９0/._- ", max_size=24)


@given(st.lists(PATH_TEXT, max_size=30))
def test_cached_keys_are_the_keys_of_the_whole_path(paths):
    keys = NaturalKeys()
    for path in paths + paths:  # the second round is answered from the folders already split
        assert keys(path) == natural_key(path)


def test_numbers_in_names_sort_by_value():
    keys = NaturalKeys()
    shown = ["材料/第10批/2.txt", "材料/第9批/10.txt", "材料/第9批/9.txt", "材料/第9批/09a.txt"]
    assert sorted(shown, key=keys) == ["材料/第9批/9.txt", "材料/第9批/09a.txt", "材料/第9批/10.txt",
                                       "材料/第10批/2.txt"]
