"""Self-evaluation and rectification (自查自评与问题整改), kept beside the evidence in the archive.

- sheet: the scoring sheet (scoring items, maxima, parent sums); scores: entering a score within bounds.
- rules: configurable pass rules and the projected result with the items holding it back.
- rectify: rectification items, their states, verification and evidence links ("R<id>" in the links table).
Below them, in the archive (the department packages read them too): archive.assignments (responsible units
(牵头/配合), deadlines and item kinds per criterion, overriding the imported table), archive.deadlines (the overdue
rule, with an injectable `today`) and the tables themselves (archive.migrations, version 2). Their reports are
written by exporters.reports.

Veto items (否决项): one fails when it is marked 否决 explicitly, or when it carries points and is scored below them.
Only scored veto items can fail; an unscored one is reported as not yet judged. Bonus items (鼓励项/加分项) add to
the total but not to the base (the "100") that the total rule measures against.
"""
