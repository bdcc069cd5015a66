"""Interactive network maps, the geographic view, province maps and HTML reports."""
