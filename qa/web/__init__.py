"""The web app, the only Gradio importers: ``serve.build_app`` (tabs), ``chat`` and ``documents`` (handlers
testable without a browser), ``conversation``, ``uploads``, ``login`` (the gate before every route) and
``server`` (bind, served files, no outbound fetches)."""
