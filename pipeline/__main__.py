"""`python -m pipeline` is the `chapters` command."""

import sys

from pipeline.cli import main

sys.exit(main())
