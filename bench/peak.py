"""Run main.py with the given arguments and print this process's peak RSS (MB) to stderr as 'peak-mb: N', and the
largest of its own children's (worker processes, the walking child) as 'children-peak-mb: N' before it.

ru_maxrss of RUSAGE_CHILDREN is the largest of all children so far, so each measured run gets its own process.
"""

import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from main import main

if __name__ == "__main__":
    code = main(sys.argv[1:])
    print(f"children-peak-mb: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f}", file=sys.stderr)
    print(f"peak-mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}", file=sys.stderr)
    sys.exit(code)
