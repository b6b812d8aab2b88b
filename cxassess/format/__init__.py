"""The questionnaire format: models, loading with line marks, meaning checks, the catalogue."""
