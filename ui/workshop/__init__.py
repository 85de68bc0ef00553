"""A workshop's pages: the way in (codes, keys, tokens), the door, the dashboard, facilitation."""
