"""The stages (阶段) in the window: freeze the current evidence, compare with a stage."""
