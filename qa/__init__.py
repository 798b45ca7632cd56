"""The question side: reads the stores, never writes them.

``contract`` ← ``understand`` ← ``figures`` ← ``answer`` ← ``services`` ← {``web``, ``cli``, ``evaluation``};
``audit`` beside ``answer``, reading only the document side and the contract.
"""
