# P2 clones and the landscape of a glass basin
LANDSCAPE_TARGETS = []
