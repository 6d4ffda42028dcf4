"""Batch input: sniffing the format, matching the header, reading CSV and JSON rows, parsing cells, summaries."""
