"""The self-evaluation in the window: score box, rectification tab, summary, rules and report dialogs."""
