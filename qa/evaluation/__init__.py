"""Measuring the product: the Q&A eval (``run``, ``scoring``, ``report``), the retrieval eval
(``retrieval``) and ``check`` (a batch's identity, tables and a battery verified on the cited pages)."""
