"""The department-package wing in the window: task packages out, evidence packages in, the unit's side."""
