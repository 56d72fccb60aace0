"""Stages (阶段): freeze what was submitted, see what changed since, rebuild it as it was.

A wing above archive/ and exporters/: it reads the archive and calls the exporters; neither of them imports it.

    freeze(archive, "省级初评", keep_copies=True)   # stages.freeze: one immutable stage in the archive
    list_stages(archive)                            # stages.records
    diff_stages(archive, "省级初评", None)          # stages.diff: per criterion, against now or another stage
    rebuild(archive, "省级初评", "pdf", "汇编.pdf") # stages.rebuild: the dossier or package as it was

Every function is plain (no Qt); long ones take progress(fraction, message) and cancel() like the other core jobs.
"""
