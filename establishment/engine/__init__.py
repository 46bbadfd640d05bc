"""The engine: structures as frames of exact integer columns, the one pricing path
(:mod:`~establishment.engine.costing`), and the one matching rule
(:mod:`~establishment.engine.matching`)."""
