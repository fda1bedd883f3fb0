"""``python -m bot`` is the ``speechbot`` command."""

from bot.cli import main

raise SystemExit(main())
