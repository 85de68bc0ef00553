"""Results as a whole: answers as frames, publishing, Compare's choices, imports, the demo,
and deleting or exporting an area's data."""
