"""The department packages in the window: task packages out, evidence packages in, the unit's side."""
