"""The self-evaluation wing in the window: score box, rectification tab, summary, rules and report dialogs."""
