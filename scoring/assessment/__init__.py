"""A self-assessment's results: dimension scores, priorities, plans, the words and the figures."""
