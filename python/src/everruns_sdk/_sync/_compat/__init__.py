"""Generated blocking mirror of the async modules."""
