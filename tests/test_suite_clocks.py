"""No test times the machine (RELIABILITY.md, "The suite itself"): every property test runs with Hypothesis's deadline
and its too-slow health check off, whatever its own @settings say, so a CI machine stalled for a moment fails
nothing. Speed is measured in bench/."""

from __future__ import annotations

import importlib
from pathlib import Path

from hypothesis import HealthCheck

TESTS = Path(__file__).parent


def property_tests() -> list:
    found = []
    for path in sorted(TESTS.glob("test_*.py")):
        if "@given" in path.read_text(encoding="utf-8"):
            module = importlib.import_module(f"tests.{path.stem}")
            found += [(path.stem, name, test) for name, test in vars(module).items()
                      if name.startswith("test_") and getattr(test, "is_hypothesis_test", False)]
    return found


def test_no_property_test_has_a_deadline_or_a_speed_check():
    tests = property_tests()
    assert len(tests) >= 10, tests  # the search found them all (13 on 2026-12-06)
    for module, name, test in tests:
        chosen = test._hypothesis_internal_use_settings
        assert chosen.deadline is None, f"{module}.{name}: deadline {chosen.deadline}"
        assert HealthCheck.too_slow in chosen.suppress_health_check, f"{module}.{name}: too_slow checked"
