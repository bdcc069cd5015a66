"""The application layer: services that compose analyses into what people ask for.

A network snapshot, an actor's profile, a cluster page, a region page, suggestions, the
report's content, the demo. The CLI, the report, the demo and the portal call it; below it,
``viz`` only draws the tables it is handed, and ``matching`` and ``regional`` never import each
other (``(cli, web) -> app -> (viz, matching, regional) -> graph -> data``).
"""
