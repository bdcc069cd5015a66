"""One module per file format, as networkx's ``readwrite``: :mod:`.csv`, :mod:`.parquet`,
:mod:`.excel`, :mod:`.xml` (GraphML and GEXF). :mod:`kumenet.graph.io` reads and writes
networks through them."""
