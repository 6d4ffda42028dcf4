"""The engine: the one scorer (scoring) and its result, the Assessment (assessment, document)."""
