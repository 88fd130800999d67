"""`python -m firmware_bridge` is the same as the `firmware-bridge` console script."""

from firmware_bridge.cli import main

raise SystemExit(main())
