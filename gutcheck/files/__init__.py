"""Files: reading and atomic writing, the CSV formula rule, data paths, safe report names."""
