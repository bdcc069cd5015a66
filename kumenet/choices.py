"""The names the command line offers as choices, without importing what does the work.

``kumenet --help`` must answer at once; the registries these names come from
(``graph.communities.METHODS``, ``graph.io.FORMATS``, ``matching.scorers.HEURISTICS``, ...)
import pandas, scipy and igraph. ``tests/test_cli.py`` checks that each list here is its
registry's, so that the two never part.
"""

COMMUNITY_METHODS = ("leiden", "leiden_cpm", "louvain", "multiplex_leiden", "infomap")
NETWORK_FORMATS = ("csv", "csv.gz", "parquet", "xlsx", "graphml", "gexf")
SCOPES = ("intra_regional", "interregional", "international")
SCOPE_CHOICES = ("any", *SCOPES)
SOURCE_KINDS = ("firm", "institution", "any")
SCORERS = ("common_neighbours", "adamic_adar", "resource_allocation", "jaccard",
           "preferential_attachment", "katz", "personalised_pagerank", "recent_adamic_adar")
TABLE_FORMATS = ("table", "csv", "tsv", "json", "parquet", "xlsx")
DATASETS = ("tr-nuts2-employment",)  # regional.table.DATASETS
