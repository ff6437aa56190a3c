# P0 inherent structures: minimiser comparison and defects (see helper)
INHERENT_TARGETS = []
