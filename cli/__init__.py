"""The command-line interface: the contract scripts, tests and the app share. Never imports Qt."""
