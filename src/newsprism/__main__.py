"""``python -m newsprism``."""

import sys

from newsprism.present.cli import main

sys.exit(main())
