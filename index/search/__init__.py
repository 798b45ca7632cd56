"""Retrieval in llama-index's shapes. Public API: ``search_index.SearchIndex`` (Chroma vectors + jieba BM25,
fused by reciprocal rank; ``search``, ``retriever``, ``add_document``, ``delete_document``),
``retrievers.HybridRetriever``, ``chunking.chunk_document``, ``embeddings.build_embed_model``.

Nothing is imported here: Chroma and the embedding model load only when a search index is opened.
"""
