"""Live monitoring: watchdog observers as hints, a stability delay, polling for network roots; every write a scan."""
