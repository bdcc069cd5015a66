"""The knowledge portal (``kumenet serve``): routes, templates and static files."""
