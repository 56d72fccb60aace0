"""Qt plumbing every window and panel uses: background jobs, settings, icons, the system shell, small widgets."""
