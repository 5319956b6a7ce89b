"""Every profile at once: the pathway as a graph, and the walks that reason over it.

The one home of networkx. `changes` turns declared profile changes into bit shifts,
`profile_graph` builds the graph with every victim profile as a bit, `walks` follows it,
`counting` counts along the way, `repeats` finds the same two agencies meeting twice, and
`reach` says where each profile can go. Used by checks, compare and diagram alike.
"""

__all__: list[str] = []
