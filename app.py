"""预算问答 web app: ``python app.py`` is ``budget-qa serve`` (the UI itself is built in ``qa.web.serve``)."""

from __future__ import annotations

import sys

from qa.cli.main import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
