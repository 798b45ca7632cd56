"""The document side: PDF → typed document model → stores. Never imports ``qa``.

Layers, each importing only those before it: ``core`` (settings, model, text, numbers, units, lexicon)
← ``read`` (PDF → ``Document``) ← ``store`` (facts, nodes) ← ``search`` (chunks, embeddings, BM25,
retrievers) ← ``ingest`` (the only writer).
"""
