"""The index of the evidence files: walk the linked folders, hash and type what changed, write it in one transaction."""
