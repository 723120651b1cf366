"""Validates many cloud-config files in one process with cloud-init's own `schema` command.

`cloud-init schema --config-file F` per file spends most of its second starting Python and
loading cloud-init; this runs the same handler (handle_schema_args, what that command calls) for
each file given, so the verdicts are the command's own. Run by cloud-init's interpreter (its
shebang). For each file it prints its output, then a line `@@ <status> <file>`.
"""

import sys
from argparse import Namespace

from cloudinit.config.schema import handle_schema_args

# cloud-init's error() prints to stderr before it exits: keep each file's lines together.
sys.stderr = sys.stdout
for path in sys.argv[1:]:
    status = 0
    try:
        handle_schema_args(
            "schema",
            Namespace(config_file=path, docs=None, system=False, annotate=False),
        )
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    print(f"@@ {status} {path}", flush=True)
