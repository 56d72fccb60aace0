"""The search wing in the window: full-text search, link suggestions, the background text indexer."""
