"""Reports of a verification: the JSON document that CI scripts read."""
