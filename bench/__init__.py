"""`make bench`: accuracy of the alignment on episodes with known chapter starts, and speed."""
