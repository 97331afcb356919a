"""Text formats written from (and read back into) the pipeline's records: one module per format."""
